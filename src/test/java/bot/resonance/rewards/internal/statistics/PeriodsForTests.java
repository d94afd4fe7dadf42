package bot.resonance.rewards.internal.statistics;

import java.time.LocalDate;

/** Week arithmetic of the analytics, for tests in other packages. */
public final class PeriodsForTests {

	/** The day after the week of the month that {@code day} falls in. */
	public LocalDate weekEnd(LocalDate day) {
		return new Period(Period.WEEK, day.minusDays((day.getDayOfMonth() - 1) % 7)).end();
	}

}
