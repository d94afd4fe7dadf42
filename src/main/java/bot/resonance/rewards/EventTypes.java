package bot.resonance.rewards;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

import bot.resonance.brands.Brand;
import bot.resonance.platform.web.JsonPatch;

/**
 * A brand's event types and their rules, for every adapter (management API, portal, the
 * bot's {@code /config events}): the seven built-in types exist for every brand and start
 * disabled; any other name ({@code [a-z0-9_]{1,64}}) is a custom type. Refusals are
 * {@link bot.resonance.platform.web.ApiException}s with the management API's codes.
 */
public interface EventTypes {

	/** The fields a change may carry. */
	List<String> FIELDS = List.of("enabled", "amount", "cooldown_seconds", "daily_limit", "max_amount", "currency",
			"amount_field", "amount_per_unit", "affiliate_amount");

	/** The built-in types first, then custom ones by name. */
	List<EventTypeView> list(Brand brand);

	EventTypeView get(Brand brand, String name);

	/**
	 * Creates or changes a type: fields not in {@code change} keep their value (or the
	 * default of a new type); {@code daily_limit}, {@code max_amount}, {@code currency},
	 * {@code amount_field}, {@code amount_per_unit} and {@code affiliate_amount} accept
	 * null to clear them.
	 */
	Saved put(Brand brand, String name, JsonPatch change);

	/** Deletes a custom type (built-in ones can only be disabled). */
	void delete(Brand brand, String name);

	/**
	 * A type as saved.
	 *
	 * @param created whether it is a custom type created by this change
	 */
	record Saved(EventTypeView type, boolean created) {
	}

	/**
	 * An event type's rules.
	 *
	 * @param name the event type
	 * @param enabled whether its events are rewarded
	 * @param amount the reward when an event gives none
	 * @param cooldownSeconds how long after a reward a member cannot earn it again
	 * (events in cooldown get 429 COOLDOWN_ACTIVE)
	 * @param dailyLimit rewards per member per UTC day; events beyond it are accepted as
	 * pending and processed the next day
	 * @param maxAmount the largest amount an event may ask for
	 * @param currency the currency paid
	 * @param amountField the top-level metadata field an event without an amount is paid
	 * by ({@code null}: the fixed amount)
	 * @param amountPerUnit what one unit of amountField is worth ({@code null}: 1); the
	 * reward is rounded down and capped by maxAmount
	 * @param affiliateAmount what a rewarded member's referrer earns ({@code null}:
	 * nothing)
	 * @param builtIn whether it is one of the seven built-in types
	 * @param updatedAt when the brand last changed it
	 */
	record EventTypeView(String name, boolean enabled, long amount, int cooldownSeconds, @Nullable Integer dailyLimit,
			@Nullable Long maxAmount, String currency, @Nullable String amountField, @Nullable BigDecimal amountPerUnit,
			@Nullable Long affiliateAmount, boolean builtIn, @Nullable Instant updatedAt) {
	}

}
