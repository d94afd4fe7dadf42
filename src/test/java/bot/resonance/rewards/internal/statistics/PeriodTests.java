package bot.resonance.rewards.internal.statistics;

import java.time.LocalDate;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PeriodTests {

	@Test
	void aRangeIsCoveredByWholeMonthsThenWeeksThenDays() {
		assertThat(Period.cover(LocalDate.parse("2026-08-25"), LocalDate.parse("2026-11-24"))).containsExactly(
				day("2026-08-25"), day("2026-08-26"), day("2026-08-27"), day("2026-08-28"), week("2026-08-29"),
				month("2026-09-01"), month("2026-10-01"), week("2026-11-01"), week("2026-11-08"), week("2026-11-15"),
				day("2026-11-22"), day("2026-11-23"));
		assertThat(Period.cover(LocalDate.parse("2026-02-01"), LocalDate.parse("2026-03-01")))
			.containsExactly(month("2026-02-01"));
		assertThat(Period.cover(LocalDate.parse("2026-02-22"), LocalDate.parse("2026-03-01")))
			.containsExactly(week("2026-02-22"));
		assertThat(Period.cover(LocalDate.parse("2028-02-29"), LocalDate.parse("2028-03-01")))
			.containsExactly(week("2028-02-29"));
		assertThat(Period.cover(LocalDate.parse("2026-11-08"), LocalDate.parse("2026-11-14"))).hasSize(6)
			.allMatch((period) -> period.span().equals(Period.DAY));
	}

	@Test
	void everyCoverIsExactAndUsesTheLargestPeriodThatFits() {
		Random random = new Random(11);
		for (int i = 0; i < 5_000; i++) {
			LocalDate from = LocalDate.parse("2026-01-01").plusDays(random.nextInt(900));
			LocalDate to = from.plusDays(1 + random.nextInt(400));
			List<Period> cover = Period.cover(from, to);
			LocalDate next = from;
			for (Period period : cover) {
				assertThat(period.start()).isEqualTo(next);
				LocalDate end = end(period);
				assertThat(end).isAfter(period.start());
				if (!period.span().equals(Period.MONTH)) {
					// A larger period starting here would not have fitted.
					LocalDate monthEnd = period.start().withDayOfMonth(1).plusMonths(1);
					assertThat(period.start().getDayOfMonth() == 1 && !monthEnd.isAfter(to)).isFalse();
				}
				if (period.span().equals(Period.DAY) && (period.start().getDayOfMonth() - 1) % 7 == 0) {
					assertThat(end(new Period(Period.WEEK, period.start()))).isAfter(to);
				}
				next = end;
			}
			assertThat(next).isEqualTo(to);
			// At most a month's worth of weeks and days at either end.
			assertThat(cover.stream().filter((period) -> !period.span().equals(Period.MONTH))).hasSizeLessThan(24);
		}
	}

	/** The day after the period, as reward_periods(day) groups days. */
	private static LocalDate end(Period period) {
		LocalDate start = period.start();
		return switch (period.span()) {
			case Period.DAY -> start.plusDays(1);
			case Period.WEEK -> {
				assertThat((start.getDayOfMonth() - 1) % 7).isZero();
				LocalDate weekEnd = start.plusDays(7);
				LocalDate monthEnd = start.withDayOfMonth(1).plusMonths(1);
				yield weekEnd.isAfter(monthEnd) ? monthEnd : weekEnd;
			}
			default -> {
				assertThat(start.getDayOfMonth()).isEqualTo(1);
				yield start.plusMonths(1);
			}
		};
	}

	private static Period day(String start) {
		return new Period(Period.DAY, LocalDate.parse(start));
	}

	private static Period week(String start) {
		return new Period(Period.WEEK, LocalDate.parse(start));
	}

	private static Period month(String start) {
		return new Period(Period.MONTH, LocalDate.parse(start));
	}

}
