package bot.resonance.rewards.internal;

import java.time.Instant;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

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
 */
public record EventType(String name, boolean enabled, long amount, int cooldownSeconds, @Nullable Integer dailyLimit,
		@Nullable Long maxAmount, @Nullable String currency, boolean builtIn, @Nullable Instant updatedAt) {

	private static final Pattern NAME = Pattern.compile("[a-z0-9_]{1,64}");

	public static boolean isValidName(String name) {
		return NAME.matcher(name).matches();
	}

	public String currencyOr(String defaultCurrency) {
		return (this.currency != null) ? this.currency : defaultCurrency;
	}

}
