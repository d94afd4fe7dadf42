package bot.resonance.discord.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

import org.jspecify.annotations.Nullable;

/**
 * A member's check-in streak: how many days in a row it runs, the longest it ran, and the
 * UTC day of the last rewarded check-in.
 *
 * @param current days in a row, the last one {@code lastDay}
 * @param best the longest streak
 * @param lastDay the UTC day of the last rewarded check-in
 */
record CheckinStreak(int current, int best, LocalDate lastDay) {

	/**
	 * The streak after a check-in rewarded at {@code at}: one day longer when it is on
	 * the UTC day after {@code lastDay}, or within {@code grace} after that day ended (a
	 * member far from UTC who checks in late in their evening keeps their streak);
	 * otherwise a new streak of one day. A check-in on {@code lastDay} or before changes
	 * nothing.
	 */
	static CheckinStreak after(@Nullable CheckinStreak previous, Instant at, Duration grace) {
		LocalDate day = LocalDate.ofInstant(at, ZoneOffset.UTC);
		if (previous == null) {
			return new CheckinStreak(1, 1, day);
		}
		if (!day.isAfter(previous.lastDay)) {
			return previous;
		}
		int current = previous.continuesAt(at, grace) ? previous.current + 1 : 1;
		return new CheckinStreak(current, Math.max(previous.best, current), day);
	}

	/** Whether a check-in at {@code at} (after {@code lastDay}) continues this streak. */
	boolean continuesAt(Instant at, Duration grace) {
		return LocalDate.ofInstant(at, ZoneOffset.UTC).equals(this.lastDay.plusDays(1))
				|| at.isBefore(keepUntil(grace));
	}

	/**
	 * The last moment a check-in continues this streak: the end of the day after
	 * {@code lastDay}, plus the grace window.
	 */
	Instant keepUntil(Duration grace) {
		return this.lastDay.plusDays(2).atStartOfDay(ZoneOffset.UTC).toInstant().plus(grace);
	}

}
