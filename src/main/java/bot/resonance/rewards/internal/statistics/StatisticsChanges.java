package bot.resonance.rewards.internal.statistics;

import java.time.Duration;

import bot.resonance.platform.jobs.Job;
import bot.resonance.platform.jobs.JobHandler;
import bot.resonance.platform.jobs.JobQueue;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Folds what event batches added to the analytics into the aggregates. A batch records
 * its changes in {@code reward_stat_changes} (one row, one element per event), so the
 * transaction that holds its brands' locks writes one row instead of the aggregates; the
 * changes are folded into {@code reward_stats_hourly}, the days of
 * {@code reward_member_activity} and {@code reward_active_members} (and the week and
 * month rollups of a day that changed are made stale) and deleted, in one transaction.
 *
 * <p>
 * That happens every {@code resonance.analytics.fold-interval} (a recurring job, one node
 * at a time), and at the latest before anything reads the aggregates: the statistics
 * queries, a rollup pass and a member merge fold what is recorded first, so what they
 * read is exact. One transaction folds at a time across the cluster (a PostgreSQL
 * advisory lock): the aggregates have no other writer of days (a merge holds the lock
 * while it moves a member's days), which is what tells a member's first event of a day
 * from the next.
 */
@Component
public class StatisticsChanges implements JobHandler {

	/** The queue of the recurring job. */
	static final String QUEUE = "reward-statistics";

	/** Rows of changes (a batch's each) folded per transaction. */
	static final int ROWS_PER_FOLD = 500;

	private static final String LOCK_SQL = "select pg_advisory_xact_lock(hashtextextended('resonance:statistics', 0))";

	private static final String PENDING_SQL = """
			select exists (select 1 from reward_stat_changes where :brand = any(brand_ids))
			""";

	private static final String FOLD_SQL = """
			with taken as (
			    -- any rows, in any order: what they add up to does not depend on it
			    delete from reward_stat_changes c
			    where c.id in (select id from reward_stat_changes limit :rows)
			    returning c.brand_ids, c.received_at, c.event_types, c.member_ids, c.outcomes, c.error_codes, c.currencies,
			              c.events, c.amounts, c.reprocessed
			), stat_keys as (
			    select k.brand_id, k.received_at, coalesce(k.event_type, '') as event_type, k.member_id, k.outcome,
			           case when k.outcome = 'rejected' then coalesce(k.error_code, '') else '' end as error_code,
			           case when k.outcome = 'awarded' then coalesce(k.currency, '') else '' end as currency, k.events,
			           k.amount, k.reprocessed
			    from taken t
			    cross join lateral unnest(t.brand_ids, t.received_at, t.event_types, t.member_ids, t.outcomes,
			                              t.error_codes, t.currencies, t.events, t.amounts, t.reprocessed)
			         as k(brand_id, received_at, event_type, member_id, outcome, error_code, currency, events, amount,
			              reprocessed)
			), hourly as (
			    insert into reward_stats_hourly as s (brand_id, hour, event_type, outcome, error_code, currency, events,
			                                          amount)
			    select brand_id, date_trunc('hour', received_at, 'UTC'), event_type, outcome, error_code, currency,
			           sum(events), sum(amount)
			    from stat_keys
			    group by 1, 2, 3, 4, 5, 6
			    having sum(events) <> 0 or sum(amount) <> 0
			    order by 1, 2, 3, 4, 5, 6
			    on conflict (brand_id, hour, event_type, outcome, error_code, currency) do update
			    set events = s.events + excluded.events, amount = s.amount + excluded.amount
			), activity as (
			    insert into reward_member_activity as s (brand_id, span, start, member_id, currency, events, awarded)
			    select brand_id, 'day', (received_at at time zone 'UTC')::date, member_id, currency, sum(events),
			           sum(amount)
			    from stat_keys
			    where member_id is not null
			    group by 1, 2, 3, 4, 5
			    having sum(events) <> 0 or sum(amount) <> 0
			    order by 1, 2, 3, 4, 5
			    on conflict (brand_id, span, start, member_id, currency) do update
			    set events = s.events + excluded.events, awarded = s.awarded + excluded.awarded
			    returning s.brand_id, s.start, s.member_id, s.xmax = 0 as inserted
			), active_members as (
			    -- A member is new on a day when all of its rows there were inserted now and it had
			    -- none before (this statement reads the table as it was before it; the fold's lock
			    -- keeps other writers of days out).
			    insert into reward_active_members as c (brand_id, span, start, members)
			    select n.brand_id, 'day', n.start, count(*)
			    from (
			        select brand_id, start, member_id from activity
			        group by 1, 2, 3 having bool_and(inserted)
			    ) n
			    -- one index probe per candidate (a lateral subquery is never turned into a
			    -- hash anti-join over all the days)
			    cross join lateral (
			        select count(*) as rows from (
			            select 1 from reward_member_activity before
			            where before.brand_id = n.brand_id and before.span = 'day' and before.start = n.start
			              and before.member_id = n.member_id
			            limit 1
			        ) found
			    ) earlier
			    where earlier.rows = 0
			    group by 1, 2, 3
			    order by 1, 2, 3
			    on conflict (brand_id, span, start) do update set members = c.members + excluded.members
			), stale_rollups as (
			    -- A pending event processed later changes a past day, which the rollup of its week
			    -- and month may have summed already: they are rolled up again.
			    delete from reward_rollups r
			    using (select distinct k.brand_id, q.span, q.start
			           from stat_keys k cross join lateral reward_periods((k.received_at at time zone 'UTC')::date) q
			           where k.reprocessed and q.span <> 'day') s
			    where r.brand_id = s.brand_id and r.span = s.span and r.start = s.start
			)
			select count(*) from taken
			""";

	private final JdbcClient jdbc;

	private final TransactionTemplate transaction;

	private final Duration interval;

	StatisticsChanges(JdbcClient jdbc, PlatformTransactionManager transactions, RollupProperties properties) {
		this.jdbc = jdbc;
		this.transaction = new TransactionTemplate(transactions);
		this.interval = properties.foldInterval();
	}

	@Override
	public JobQueue queue() {
		return JobQueue.named(QUEUE).recurring(this.interval).nonTransactional().withPollInterval(this.interval);
	}

	@Override
	public void handle(Job job) {
		fold();
	}

	/**
	 * Folds every change recorded so far into the aggregates, in transactions of its own
	 * (or the caller's, if it has one); waits while another node folds.
	 */
	public void fold() {
		Integer rows;
		do {
			rows = this.transaction.execute((status) -> {
				this.jdbc.sql(LOCK_SQL).query().singleRow();
				return foldSome();
			});
		}
		while (rows != null && rows == ROWS_PER_FOLD);
	}

	/**
	 * Folds before a read of one brand's aggregates: as {@link #fold()} if changes of the
	 * brand are waiting; otherwise the brand's aggregates are whole already (a fold
	 * deletes the changes it folds in the transaction that adds them up) and there is
	 * nothing to wait for, so a quiet brand's reads neither take the folds' lock nor wait
	 * for a fold of other brands' events.
	 */
	public void foldFor(String brandId) {
		if (this.jdbc.sql(PENDING_SQL).param("brand", brandId).query(Boolean.class).single()) {
			fold();
		}
	}

	/**
	 * Folds every change recorded so far in the caller's transaction, and keeps the lock
	 * of folds until it ends: no change is folded meanwhile (a merge moves a member's
	 * days with it).
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public void foldInThisTransaction() {
		this.jdbc.sql(LOCK_SQL).query().singleRow();
		while (foldSome() == ROWS_PER_FOLD) {
			// the next rows
		}
	}

	private int foldSome() {
		return this.jdbc.sql(FOLD_SQL).param("rows", ROWS_PER_FOLD).query(Integer.class).single();
	}

}
