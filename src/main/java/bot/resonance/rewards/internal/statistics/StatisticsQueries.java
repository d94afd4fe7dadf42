package bot.resonance.rewards.internal.statistics;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import bot.resonance.rewards.EventStatistics;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@link EventStatistics} over the aggregates, with every change recorded before the
 * query folded in first ({@link StatisticsChanges}). Every query reads one brand's rows
 * of an aggregate table for the range asked for, so its cost depends on the range (and,
 * for unique and top members, on the members active in it), not on how many events the
 * brand ever had.
 */
@Component
class StatisticsQueries implements EventStatistics {

	private static final String WORK_MEM = "32MB";

	private final JdbcClient jdbc;

	private final TransactionTemplate readOnly;

	private final ActivityRollups rollups;

	private final StatisticsChanges changes;

	StatisticsQueries(JdbcClient jdbc, PlatformTransactionManager transactions, ActivityRollups rollups,
			StatisticsChanges changes) {
		this.jdbc = jdbc;
		this.rollups = rollups;
		this.changes = changes;
		this.readOnly = new TransactionTemplate(transactions);
		this.readOnly.setReadOnly(true);
		this.readOnly.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
	}

	@Override
	public List<Counts> counts(String brandId, Instant from, Instant to, ChronoUnit bucket) {
		String unit = switch (bucket) {
			case HOURS -> "hour";
			case DAYS -> "day";
			default -> throw new IllegalArgumentException("Buckets are hours or days, not " + bucket);
		};
		this.changes.foldFor(brandId);
		return this.jdbc.sql("""
				select date_trunc(:bucket, hour, 'UTC') as bucket, event_type, outcome, error_code, currency,
				       sum(events)::bigint as events, sum(amount)::bigint as amount
				from reward_stats_hourly
				where brand_id = :brand and hour >= :from and hour < :to
				group by 1, 2, 3, 4, 5
				""")
			.param("bucket", unit)
			.param("brand", brandId)
			.param("from", from.atOffset(ZoneOffset.UTC))
			.param("to", to.atOffset(ZoneOffset.UTC))
			.query((rs, row) -> new Counts(rs.getObject("bucket", OffsetDateTime.class).toInstant(),
					rs.getString("event_type"), rs.getString("outcome"), rs.getString("error_code"),
					rs.getString("currency"), rs.getLong("events"), rs.getLong("amount")))
			.list();
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * A day's count is one row; the count over the range reads the members of the fewest
	 * whole months, weeks and days that cover it (see {@link #cover}).
	 */
	@Override
	public ActiveMembers activeMembers(String brandId, LocalDate from, LocalDate to) {
		this.changes.foldFor(brandId);
		Map<LocalDate, Long> counts = new HashMap<>();
		this.jdbc.sql("""
				select start, members from reward_active_members
				where brand_id = :brand and span = 'day' and start >= :from and start < :to
				""")
			.param("brand", brandId)
			.param("from", from)
			.param("to", to)
			.query((rs, row) -> counts.put(rs.getObject("start", LocalDate.class), rs.getLong("members")))
			.list();
		long total = withMemory(() -> {
			List<Period> cover = cover(brandId, from, to);
			if (cover.size() == 1) {
				return this.jdbc.sql("""
						select coalesce(max(members), 0) from reward_active_members
						where brand_id = :brand and span = :span and start = :start
						""")
					.param("brand", brandId)
					.param("span", cover.get(0).span())
					.param("start", cover.get(0).start())
					.query(Long.class)
					.single();
			}
			return covering(
					this.jdbc
						.sql("""
								select count(*) from (
								    select member_id from reward_member_activity
								    where brand_id = :brand and span = 'day' and start = any(array(select unnest(:days::date[])))
								    union
								    select member_id from reward_member_activity
								    where brand_id = :brand and span = 'week' and start = any(array(select unnest(:weeks::date[])))
								    union
								    select member_id from reward_member_activity
								    where brand_id = :brand and span = 'month' and start = any(array(select unnest(:months::date[])))
								) members
								"""),
					cover)
				.param("brand", brandId)
				.query(Long.class)
				.single();
		});
		return new ActiveMembers(Map.copyOf(counts), total);
	}

	@Override
	public List<MemberTotal> topMembers(String brandId, LocalDate from, LocalDate to, String currency, int limit) {
		this.changes.foldFor(brandId);
		return withMemory(() -> covering(
				this.jdbc
					.sql("""
							select member_id, sum(awarded) filter (where currency = :currency)::bigint as awarded,
							       sum(events)::bigint as events
							from reward_member_activity
							where brand_id = :brand
							  and (span = 'day' and start = any(array(select unnest(:days::date[]))) or span = 'week' and start = any(array(select unnest(:weeks::date[])))
							       or span = 'month' and start = any(array(select unnest(:months::date[]))))
							group by member_id
							having sum(awarded) filter (where currency = :currency) > 0
							order by awarded desc, events desc, member_id
							limit :limit
							"""),
				cover(brandId, from, to))
			.param("brand", brandId)
			.param("currency", currency)
			.param("limit", limit)
			.query((rs, row) -> new MemberTotal(rs.getLong("member_id"), rs.getLong("awarded"), rs.getLong("events")))
			.list());
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * Ranks the members of the range's cover as {@link #topMembers} does, numbering them
	 * with a window function; one statement returns the page, the first member (who
	 * carries the count when the page and the member asked about are not on it) and the
	 * member asked about, so all three come from one snapshot. A page past the last is
	 * moved back to the last in the same statement.
	 */
	@Override
	public Ranking ranking(String brandId, LocalDate from, LocalDate to, String currency, long offset, int limit,
			@Nullable Long memberId) {
		if (offset < 0 || limit < 1) {
			throw new IllegalArgumentException("A ranking's page starts at 0 or later and holds at least one member");
		}
		this.changes.foldFor(brandId);
		List<RankedRow> rows = withMemory(() -> covering(
				this.jdbc
					.sql("""
							with totals as (
							    select member_id, sum(awarded) filter (where currency = :currency)::bigint as awarded,
							           sum(events)::bigint as events
							    from reward_member_activity
							    where brand_id = :brand
							      and (span = 'day' and start = any(array(select unnest(:days::date[]))) or span = 'week' and start = any(array(select unnest(:weeks::date[])))
							           or span = 'month' and start = any(array(select unnest(:months::date[]))))
							    group by member_id
							    having sum(awarded) filter (where currency = :currency) > 0
							), ranked as (
							    select member_id, awarded, events,
							           row_number() over (order by awarded desc, events desc, member_id) as rank,
							           count(*) over () as ranked
							    from totals
							), page as (
							    select least(:offset, (max(ranked) - 1) / :limit * :limit) as start from ranked
							)
							select member_id, awarded, events, rank, ranked,
							       rank > page.start and rank <= page.start + :limit as on_page
							from ranked, page
							where rank = 1 or (rank > page.start and rank <= page.start + :limit) or member_id = :member
							order by rank
							"""),
				cover(brandId, from, to))
			.param("brand", brandId)
			.param("currency", currency)
			.param("offset", offset)
			.param("limit", limit)
			.param("member", (memberId != null) ? memberId : -1L)
			.query((rs,
					row) -> new RankedRow(new Ranked(rs.getLong("rank"), rs.getLong("member_id"), rs.getLong("awarded"),
							rs.getLong("events")), rs.getLong("ranked"), rs.getBoolean("on_page")))
			.list());
		return new Ranking(rows.stream().filter(RankedRow::onPage).map(RankedRow::ranked).toList(),
				rows.isEmpty() ? 0 : rows.get(0).count(),
				rows.stream()
					.map(RankedRow::ranked)
					.filter((ranked) -> memberId != null && ranked.memberId() == memberId)
					.findFirst());
	}

	@Override
	public Optional<LocalDate> firstActiveDay(String brandId) {
		this.changes.foldFor(brandId);
		return this.jdbc.sql("""
				select min(start) from reward_member_activity where brand_id = :brand and span = 'day'
				""")
			.param("brand", brandId)
			.query((rs, row) -> Optional.ofNullable(rs.getObject(1, LocalDate.class)))
			.single();
	}

	private record RankedRow(Ranked ranked, long count, boolean onPage) {
	}

	/**
	 * The fewest periods that cover the days [{@code from}, {@code to}) and can be read:
	 * a week or month not rolled up (yet, or again) is read as its weeks or days.
	 */
	List<Period> cover(String brandId, LocalDate from, LocalDate to) {
		List<Period> cover = Period.cover(from, to);
		if (cover.stream().allMatch((period) -> period.span().equals(Period.DAY))) {
			return cover;
		}
		Set<Period> ready = this.rollups.ready(brandId, from, to);
		List<Period> readable = new ArrayList<>();
		cover.forEach((period) -> addReadable(period, ready, readable));
		return readable;
	}

	private static void addReadable(Period period, Set<Period> ready, List<Period> readable) {
		if (period.span().equals(Period.DAY) || ready.contains(period)) {
			readable.add(period);
		}
		else {
			period.parts().forEach((part) -> addReadable(part, ready, readable));
		}
	}

	/**
	 * Binds the first days of the cover's days, weeks and months. The queries turn each
	 * list into dates once ({@code array(select unnest(…::date[]))}): a cast of a bound
	 * text array is not folded into a constant and would be redone for every row read.
	 */
	private static JdbcClient.StatementSpec covering(JdbcClient.StatementSpec statement, List<Period> cover) {
		for (String span : List.of(Period.DAY, Period.WEEK, Period.MONTH)) {
			statement = statement.param(span + "s",
					cover.stream()
						.filter((period) -> period.span().equals(span))
						.map((period) -> period.start().toString())
						.toArray(String[]::new));
		}
		return statement;
	}

	/**
	 * Runs a query that groups the members of a range in a read-only transaction whose
	 * sorts and hashes may use {@link #WORK_MEM} before spilling to disk (a hundred
	 * thousand members take some 25 MB), planned for its parameters. The transaction is
	 * REPEATABLE READ, so which weeks and months are ready ({@link #cover}) and their
	 * rows are read in one snapshot: a merge or a paid pending event that makes one stale
	 * changes both at once.
	 */
	private <T> T withMemory(Supplier<T> query) {
		return this.readOnly.execute((status) -> {
			// Planned for the periods at hand: a generic plan (after five runs of a
			// prepared
			// statement) cannot see how many rows each holds.
			this.jdbc
				.sql("""
						select set_config('work_mem', :workMem, true), set_config('plan_cache_mode', 'force_custom_plan', true)
						""")
				.param("workMem", WORK_MEM)
				.query()
				.singleRow();
			return query.get();
		});
	}

}
