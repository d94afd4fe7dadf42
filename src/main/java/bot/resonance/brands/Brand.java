package bot.resonance.brands;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A brand (tenant).
 *
 * @param brandId the brand's wallet-style address, {@code 0x} + 40 lower-case hex digits
 * @param name display name
 * @param rateLimitPerMinute how many event API requests the brand may make per minute
 * @param dailyEventLimit how many rewarded events one member may receive per UTC day
 * across all event types, or {@code null} for no limit
 * @param requireTimestamp whether event API requests must carry
 * {@code X-Resonance-Timestamp} (and so be signed over {@code timestamp.body}, refusing
 * replays older than five minutes)
 * @param defaultCurrency the currency rewards are paid in unless an event type says
 * otherwise
 * @param createdAt when the brand was created
 * @param updatedAt when its settings last changed
 * @param domains the web domains the brand's manual events come from (lower-case host
 * names); a manual event whose {@code Origin} is one of them is the brand's
 * @param allowUnsignedManualEvents whether manual events without
 * {@code X-Resonance-Signature} are accepted
 * @param unsignedManualEventMaxAmount the most an unsigned manual event may award
 */
public record Brand(String brandId, String name, int rateLimitPerMinute, @Nullable Integer dailyEventLimit,
		boolean requireTimestamp, String defaultCurrency, Instant createdAt, Instant updatedAt, List<String> domains,
		boolean allowUnsignedManualEvents, long unsignedManualEventMaxAmount) {

	/** The default of {@code unsigned_manual_event_max_amount}. */
	public static final long DEFAULT_UNSIGNED_MAX_AMOUNT = 100;

	public Brand(String brandId, String name, int rateLimitPerMinute, @Nullable Integer dailyEventLimit,
			boolean requireTimestamp, String defaultCurrency, Instant createdAt, Instant updatedAt) {
		this(brandId, name, rateLimitPerMinute, dailyEventLimit, requireTimestamp, defaultCurrency, createdAt,
				updatedAt, List.of(), false, DEFAULT_UNSIGNED_MAX_AMOUNT);
	}

}
