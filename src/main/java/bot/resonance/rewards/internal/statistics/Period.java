package bot.resonance.rewards.internal.statistics;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * A period the analytics keep per-member rows for: a UTC day, a week of a month (days
 * 1–7, 8–14, 15–21, 22–28, 29 to the end) or a month, as the database's
 * {@code reward_periods(day)} gives them. Weeks nest in months and days in weeks.
 *
 * @param span {@code day}, {@code week} or {@code month}
 * @param start its first day
 */
record Period(String span, LocalDate start) {

	static final String DAY = "day";

	static final String WEEK = "week";

	static final String MONTH = "month";

	/** The day after the period. */
	LocalDate end() {
		return switch (this.span) {
			case DAY -> this.start.plusDays(1);
			case WEEK -> {
				LocalDate weekEnd = this.start.plusDays(7);
				LocalDate monthEnd = this.start.withDayOfMonth(1).plusMonths(1);
				yield weekEnd.isAfter(monthEnd) ? monthEnd : weekEnd;
			}
			default -> this.start.plusMonths(1);
		};
	}

	/**
	 * The periods one size down that make up this one: a month's weeks, a week's days.
	 */
	List<Period> parts() {
		List<Period> parts = new ArrayList<>();
		if (this.span.equals(DAY)) {
			return parts;
		}
		String part = this.span.equals(MONTH) ? WEEK : DAY;
		int step = this.span.equals(MONTH) ? 7 : 1;
		for (LocalDate day = this.start; day.isBefore(end()); day = day.plusDays(step)) {
			parts.add(new Period(part, day));
		}
		return parts;
	}

	/**
	 * The fewest periods that exactly cover the days [{@code from}, {@code to}): whole
	 * months, then whole weeks, then days, in order.
	 */
	static List<Period> cover(LocalDate from, LocalDate to) {
		List<Period> periods = new ArrayList<>();
		LocalDate day = from;
		while (day.isBefore(to)) {
			LocalDate nextMonth = day.withDayOfMonth(1).plusMonths(1);
			LocalDate weekEnd = day.plusDays(7);
			if (weekEnd.isAfter(nextMonth)) {
				weekEnd = nextMonth;
			}
			if (day.getDayOfMonth() == 1 && !nextMonth.isAfter(to)) {
				periods.add(new Period(MONTH, day));
				day = nextMonth;
			}
			else if ((day.getDayOfMonth() - 1) % 7 == 0 && !weekEnd.isAfter(to)) {
				periods.add(new Period(WEEK, day));
				day = weekEnd;
			}
			else {
				periods.add(new Period(DAY, day));
				day = day.plusDays(1);
			}
		}
		return periods;
	}

}
