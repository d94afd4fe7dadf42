package bot.resonance.brands;

import java.util.Set;

import bot.resonance.platform.web.JsonPatch;

/**
 * A brand's settings, for every adapter (the operator API, the portal's settings page,
 * the bot's configuration commands): its name, rate limit, daily event limit, whether
 * event requests must carry a timestamp, and for manual events its domains, whether it
 * accepts unsigned manual events and their cap. Brands are named by {@code brand_id} in
 * any case. Refusals are {@link bot.resonance.platform.web.ApiException}s with the
 * management API's codes ({@code brand_not_found}, {@code invalid_request},
 * {@code domain_taken}).
 */
public interface BrandSettings {

	/** The fields a change may carry. */
	Set<String> FIELDS = Set.of("name", "rate_limit_per_minute", "daily_event_limit", "require_timestamp", "domains",
			"allow_unsigned_manual_events", "unsigned_manual_event_max_amount");

	/** The brand with its current settings. */
	Brand get(String brandId);

	/**
	 * Changes the settings {@code change} carries (one of {@link #FIELDS}); the others
	 * keep their value. {@code daily_event_limit} and {@code domains} accept null (no
	 * limit, no domains). Every node sees the change once it commits.
	 */
	Brand update(String brandId, JsonPatch change);

}
