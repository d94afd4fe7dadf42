package bot.resonance.rewards.internal.statistics;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Upgrading a database that already holds events: the migrations that add the analytics
 * aggregates fill them with exactly what the recorded events give.
 */
class AnalyticsMigrationTests {

	@Test
	void theAggregatesOfAnExistingHistoryAreFilledOnUpgrade() throws Exception {
		try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
			var dataSource = postgres.getPostgresDatabase();
			Flyway.configure().dataSource(dataSource).target("9").load().migrate();
			JdbcClient jdbc = JdbcClient.create(dataSource);
			Random random = new Random(5);
			Instant first = Instant.parse("2026-07-27T00:00:00Z");
			for (int i = 0; i < 600; i++) {
				Instant received = first.plusSeconds(random.nextLong(100L * 86_400));
				int roll = random.nextInt(10);
				String outcome = (roll < 6) ? "awarded" : (roll < 7) ? "pending" : "rejected";
				Long member = (roll == 9) ? null : (long) (1 + random.nextInt(30));
				jdbc.sql("""
						insert into reward_events (brand_id, id, event_type, user_id, member_id, amount, amount_awarded,
						                           currency, outcome, error_code, source, received_at, processed_at)
						values (:brand, :id, 'message', '1', :member, 5, :awarded, :currency, :outcome, :code, 'api',
						        :received, :received)
						""")
					.param("brand", (i % 3 == 0) ? "brand_b" : "brand_a")
					.param("id", "evt_" + i)
					.param("member", member)
					.param("awarded", outcome.equals("awarded") ? 1 + random.nextInt(40) : 0)
					.param("currency", outcome.equals("awarded") && random.nextInt(4) == 0 ? "GEM" : "POINT")
					.param("outcome", outcome)
					.param("code", outcome.equals("rejected") ? "COOLDOWN_ACTIVE" : null)
					.param("received", OffsetDateTime.ofInstant(received, ZoneOffset.UTC))
					.update();
			}

			Flyway.configure().dataSource(dataSource).load().migrate();

			// Days: the rollup of weeks and months is the server's (ActivityRollups).
			String periods = "cross join lateral (values ('day', e.day)) p(span, start)";
			List<String> expected = jdbc
				.sql("""
						select e.brand_id || ' ' || p.span || ' ' || p.start || ' ' || e.member_id || ' ' || e.currency || ' '
						       || count(*) || ' ' || sum(e.amount_awarded)
						from (select brand_id, (received_at at time zone 'UTC')::date as day, member_id, amount_awarded,
						             case when outcome = 'awarded' then currency else '' end as currency
						      from reward_events where member_id is not null) e
						%s
						group by e.brand_id, p.span, p.start, e.member_id, e.currency
						"""
					.formatted(periods))
				.query(String.class)
				.list();
			assertThat(expected).hasSizeGreaterThan(500);
			assertThat(jdbc
				.sql("""
						select brand_id || ' ' || span || ' ' || start || ' ' || member_id || ' ' || currency || ' ' || events
						       || ' ' || awarded
						from reward_member_activity
						""")
				.query(String.class)
				.list()).containsExactlyInAnyOrderElementsOf(expected);
			assertThat(jdbc
				.sql("select brand_id || ' ' || span || ' ' || start || ' ' || members from reward_active_members")
				.query(String.class)
				.list()).containsExactlyInAnyOrderElementsOf(jdbc.sql("""
						select e.brand_id || ' ' || p.span || ' ' || p.start || ' ' || count(distinct e.member_id)
						from (select brand_id, (received_at at time zone 'UTC')::date as day, member_id
						      from reward_events where member_id is not null) e
						%s
						group by e.brand_id, p.span, p.start
						""".formatted(periods)).query(String.class).list());
		}
	}

}
