package bot.resonance.rewards.internal.ingest;

import java.time.LocalDate;

/**
 * What the rules remember per member across event types.
 *
 * @param day the UTC day {@code count} counts
 * @param count rewards of any type on {@code day}
 */
public record DayState(LocalDate day, int count) {

	public int countOn(LocalDate today) {
		return this.day.equals(today) ? this.count : 0;
	}

}
