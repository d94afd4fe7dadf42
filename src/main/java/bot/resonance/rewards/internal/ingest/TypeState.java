package bot.resonance.rewards.internal.ingest;

import java.time.Instant;
import java.time.LocalDate;

/**
 * What the rules remember per member and event type.
 *
 * @param lastAwardedAt when this type was last rewarded to the member (cooldowns start
 * here)
 * @param day the UTC day {@code dayCount} counts
 * @param dayCount rewards of this type on {@code day}
 */
public record TypeState(Instant lastAwardedAt, LocalDate day, int dayCount) {

	/** Rewards of this type on {@code today}. */
	public int countOn(LocalDate today) {
		return this.day.equals(today) ? this.dayCount : 0;
	}

}
