package bot.resonance.rewards.internal.statistics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import bot.resonance.platform.db.BrandLock;
import bot.resonance.rewards.EventStatistics;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * {@link EventStatistics#ranking} against the aggregates as the event pipeline and the
 * rollups leave them (days, and weeks and months rolled up from them): every page, the
 * count and every member's place are exactly what ranking the members' days by hand
 * gives, with the same order as {@link EventStatistics#topMembers}, and a rolled-up
 * period is never counted twice.
 */
class RankingQueriesTests {

	private static final String BRAND = "brand_ranked";

	private static final LocalDate FIRST = LocalDate.parse("2026-05-01");

	@Test
	void pagesCountsAndPlacesAreTheHandRankingOfTheDays() throws Exception {
		try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
			DataSource dataSource = postgres.getPostgresDatabase();
			Flyway.configure().dataSource(dataSource).load().migrate();
			JdbcClient jdbc = JdbcClient.create(dataSource);
			JdbcTransactionManager transactions = new JdbcTransactionManager(dataSource);
			Clock clock = Clock.fixed(Instant.parse("2026-07-20T12:00:00Z"), ZoneOffset.UTC);
			RollupProperties properties = new RollupProperties(Duration.ofMinutes(5), Duration.ofSeconds(1));
			StatisticsChanges changes = new StatisticsChanges(jdbc, transactions, properties);
			ActivityRollups rollups = new ActivityRollups(jdbc, transactions, mock(BrandLock.class), clock, properties,
					changes);
			StatisticsQueries statistics = new StatisticsQueries(jdbc, transactions, rollups, changes);

			List<Day> days = new ArrayList<>();
			Random random = new Random(12);
			for (int i = 0; i < 900; i++) {
				// Few distinct amounts and counts, so members tie and the tie-breaks
				// decide.
				long member = 1 + random.nextInt(60);
				LocalDate day = FIRST.plusDays(random.nextInt(80));
				String currency = switch (random.nextInt(4)) {
					case 0 -> "GEM";
					case 1 -> "";
					default -> "POINT";
				};
				days.add(new Day(member, day, currency, 1 + random.nextInt(2),
						currency.isEmpty() ? 0 : 5 * (1 + random.nextInt(2))));
			}
			Map<String, Day> merged = new HashMap<>();
			days.forEach((day) -> merged.merge(day.member() + " " + day.day() + " " + day.currency(), day,
					(a, b) -> new Day(a.member(), a.day(), a.currency(), a.events() + b.events(),
							a.awarded() + b.awarded())));
			// One transaction: an embedded database flushes every commit.
			new TransactionTemplate(transactions).executeWithoutResult((status) -> {
				for (Day day : merged.values()) {
					jdbc.sql(
							"""
									insert into reward_member_activity (brand_id, span, start, member_id, currency, events, awarded)
									values (:brand, 'day', :day, :member, :currency, :events, :awarded)
									""")
						.param("brand", BRAND)
						.param("day", day.day())
						.param("member", day.member())
						.param("currency", day.currency())
						.param("events", day.events())
						.param("awarded", day.awarded())
						.update();
				}
			});
			// May and June rolled up, and some weeks of July: ranges read them.
			assertThat(rollups.rollUp(BRAND, new Period(Period.MONTH, LocalDate.parse("2026-05-01")), clock.instant()))
				.isTrue();
			assertThat(rollups.rollUp(BRAND, new Period(Period.MONTH, LocalDate.parse("2026-06-01")), clock.instant()))
				.isTrue();
			assertThat(rollups.rollUp(BRAND, new Period(Period.WEEK, LocalDate.parse("2026-07-01")), clock.instant()))
				.isTrue();
			assertThat(rollups.rollUp(BRAND, new Period(Period.WEEK, LocalDate.parse("2026-07-08")), clock.instant()))
				.isTrue();

			assertThat(statistics.firstActiveDay(BRAND))
				.contains(merged.values().stream().map(Day::day).min(Comparator.naturalOrder()).orElseThrow());
			assertThat(statistics.firstActiveDay("nobody")).isEmpty();

			for (LocalDate[] range : List.of(new LocalDate[] { FIRST, FIRST.plusDays(80) },
					new LocalDate[] { LocalDate.parse("2026-05-18"), LocalDate.parse("2026-07-13") },
					new LocalDate[] { LocalDate.parse("2026-07-06"), LocalDate.parse("2026-07-13") },
					new LocalDate[] { LocalDate.parse("2026-09-01"), LocalDate.parse("2026-10-01") })) {
				LocalDate from = range[0];
				LocalDate to = range[1];
				List<EventStatistics.Ranked> expected = byHand(merged.values(), from, to, "POINT");
				assertThat(statistics.topMembers(BRAND, from, to, "POINT", 1000)
					.stream()
					.map(EventStatistics.MemberTotal::memberId)
					.toList()).isEqualTo(expected.stream().map(EventStatistics.Ranked::memberId).toList());
				for (long offset = 0; offset <= expected.size() + 10; offset += 7) {
					EventStatistics.Ranking ranking = statistics.ranking(BRAND, from, to, "POINT", offset, 7, null);
					assertThat(ranking.ranked()).isEqualTo(expected.size());
					assertThat(ranking.member()).isEmpty();
					// A page past the end is the last page.
					long start = expected.isEmpty() ? 0 : Math.min(offset, (expected.size() - 1) / 7 * 7);
					assertThat(ranking.page())
						.isEqualTo(expected.subList((int) start, (int) Math.min(start + 7, expected.size())));
				}
				for (long member = 0; member <= 61; member++) {
					long asked = member;
					Optional<EventStatistics.Ranked> place = expected.stream()
						.filter((ranked) -> ranked.memberId() == asked)
						.findFirst();
					assertThat(statistics.ranking(BRAND, from, to, "POINT", 0, 5, member).member()).isEqualTo(place);
				}
			}
		}
	}

	/** The ranking by hand: days summed per member, ordered as topMembers orders. */
	private static List<EventStatistics.Ranked> byHand(Iterable<Day> days, LocalDate from, LocalDate to,
			String currency) {
		Map<Long, long[]> totals = new HashMap<>();
		for (Day day : days) {
			if (day.day().isBefore(from) || !day.day().isBefore(to)) {
				continue;
			}
			long[] total = totals.computeIfAbsent(day.member(), (member) -> new long[2]);
			total[1] += day.events();
			if (day.currency().equals(currency)) {
				total[0] += day.awarded();
			}
		}
		List<Map.Entry<Long, long[]>> ranked = new ArrayList<>(totals.entrySet()
			.stream()
			.filter((entry) -> entry.getValue()[0] > 0)
			.sorted(Comparator.comparingLong((Map.Entry<Long, long[]> entry) -> -entry.getValue()[0])
				.thenComparingLong((entry) -> -entry.getValue()[1])
				.thenComparingLong(Map.Entry::getKey))
			.toList());
		List<EventStatistics.Ranked> result = new ArrayList<>();
		for (int i = 0; i < ranked.size(); i++) {
			result.add(new EventStatistics.Ranked(i + 1, ranked.get(i).getKey(), ranked.get(i).getValue()[0],
					ranked.get(i).getValue()[1]));
		}
		return result;
	}

	private record Day(long member, LocalDate day, String currency, long events, long awarded) {
	}

}
