package bot.resonance.rewards.internal.analytics;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Reads of the analytics aggregates. Every query is a range scan of one brand's rows in
 * an aggregate table, so its cost depends on the range asked for, not on how many events
 * the brand ever had.
 */
@Component
class AnalyticsQueries {

	private final JdbcClient jdbc;

	AnalyticsQueries(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Event counts and amounts per bucket, event type, outcome, code and currency. */
	List<StatsRow> stats(String brandId, TimeRange range) {
		return this.jdbc.sql("""
				select date_trunc(:bucket, hour, 'UTC') as bucket, event_type, outcome, error_code, currency,
				       sum(events)::bigint as events, sum(amount)::bigint as amount
				from reward_stats_hourly
				where brand_id = :brand and hour >= :from and hour < :to
				group by 1, 2, 3, 4, 5
				""")
			.param("bucket", range.granularity().wireName())
			.param("brand", brandId)
			.param("from", range.from().atOffset(ZoneOffset.UTC))
			.param("to", range.to().atOffset(ZoneOffset.UTC))
			.query((rs, row) -> new StatsRow(rs.getObject("bucket", OffsetDateTime.class).toInstant(),
					rs.getString("event_type"), rs.getString("outcome"), rs.getString("error_code"),
					rs.getString("currency"), rs.getLong("events"), rs.getLong("amount")))
			.list();
	}

	/**
	 * Members with at least one recorded event on the days [{@code from}, {@code to}):
	 * per day (keyed by the day) and over all of them (keyed by {@code null}).
	 */
	Map<@Nullable LocalDate, Long> uniqueMembers(String brandId, LocalDate from, LocalDate to) {
		Map<@Nullable LocalDate, Long> counts = new HashMap<>();
		this.jdbc.sql("""
				with active as (
				    select distinct day, member_id from reward_member_days
				    where brand_id = :brand and day >= :from and day < :to
				)
				select day, count(*) as members from active group by day
				union all
				select null, count(*) from (select distinct member_id from active) members
				""")
			.param("brand", brandId)
			.param("from", from)
			.param("to", to)
			.query((rs, row) -> counts.put(rs.getObject("day", LocalDate.class), rs.getLong("members")))
			.list();
		counts.putIfAbsent(null, 0L);
		return counts;
	}

	/**
	 * The members awarded the most in {@code currency} on the days [{@code from},
	 * {@code to}), with their events of any outcome on those days.
	 */
	List<MemberTotal> topMembers(String brandId, LocalDate from, LocalDate to, String currency, int limit) {
		return this.jdbc.sql("""
				select member_id, sum(awarded) filter (where currency = :currency)::bigint as awarded,
				       sum(events)::bigint as events
				from reward_member_days
				where brand_id = :brand and day >= :from and day < :to
				group by member_id
				having sum(awarded) filter (where currency = :currency) > 0
				order by awarded desc, events desc, member_id
				limit :limit
				""")
			.param("brand", brandId)
			.param("from", from)
			.param("to", to)
			.param("currency", currency)
			.param("limit", limit)
			.query((rs, row) -> new MemberTotal(rs.getLong("member_id"), rs.getLong("awarded"), rs.getLong("events")))
			.list();
	}

	/**
	 * One aggregate row.
	 *
	 * @param eventType the type, {@code ""} when the request named none
	 * @param errorCode the rejection code, {@code ""} unless rejected
	 * @param currency the currency awarded, {@code ""} unless awarded
	 */
	record StatsRow(Instant bucket, String eventType, String outcome, String errorCode, String currency, long events,
			long amount) {
	}

	record MemberTotal(long memberId, long awarded, long events) {
	}

}
