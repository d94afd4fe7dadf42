package bot.resonance.rewards.internal.types;

import java.math.BigDecimal;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

import bot.resonance.platform.CharClass;

/**
 * An event type's rules for one brand.
 *
 * @param name the event type ({@code daily_checkin}, {@code place_order}, ...)
 * @param enabled whether events of this type are rewarded at all
 * @param amount the reward when an event does not give one
 * @param cooldownSeconds how long after a reward the same member cannot earn this type
 * again
 * @param dailyLimit how many rewards of this type a member can get per UTC day
 * ({@code null}: unlimited); events over it are accepted as pending and processed the
 * next day
 * @param maxAmount the largest amount an event may ask for ({@code null}: no maximum)
 * @param currency the currency paid ({@code null}: the brand's default)
 * @param builtIn whether this is one of the seven types every brand has
 * @param updatedAt when the brand last changed it ({@code null}: never, defaults apply)
 * @param amountField the top-level metadata field whose numeric value sets the reward of
 * events that give no amount ({@code null}: the fixed {@code amount} is paid)
 * @param affiliateAmount what the member's referrer earns when the member is rewarded
 * ({@code null}: nothing)
 * @param amountPerUnit what one unit of {@code amountField} is worth ({@code null}: 1);
 * the reward is rounded down
 */
public record EventType(String name, boolean enabled, long amount, int cooldownSeconds, @Nullable Integer dailyLimit,
		@Nullable Long maxAmount, @Nullable String currency, boolean builtIn, @Nullable Instant updatedAt,
		@Nullable String amountField, @Nullable BigDecimal amountPerUnit, @Nullable Long affiliateAmount) {

	private static final CharClass NAME = CharClass.of("a-z0-9_");

	/** A type that pays a fixed amount. */
	public EventType(String name, boolean enabled, long amount, int cooldownSeconds, @Nullable Integer dailyLimit,
			@Nullable Long maxAmount, @Nullable String currency, boolean builtIn, @Nullable Instant updatedAt) {
		this(name, enabled, amount, cooldownSeconds, dailyLimit, maxAmount, currency, builtIn, updatedAt, null, null,
				null);
	}

	public static boolean isValidName(String name) {
		return NAME.matches(name, 1, 64);
	}

	/** Whether events without an amount are paid per unit of a metadata field. */
	public boolean hasAmountRule() {
		return this.amountField != null;
	}

	/** What one unit of {@code amountField} is worth. */
	public BigDecimal perUnit() {
		return (this.amountPerUnit != null) ? this.amountPerUnit : BigDecimal.ONE;
	}

	public String currencyOr(String defaultCurrency) {
		return (this.currency != null) ? this.currency : defaultCurrency;
	}

}
