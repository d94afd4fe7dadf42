package bot.resonance.rewards.internal.statistics;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import bot.resonance.platform.db.BrandLock;
import bot.resonance.platform.jobs.Job;
import bot.resonance.platform.jobs.JobHandler;
import bot.resonance.platform.jobs.JobQueue;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Rolls the days of a week or month up into one row per member and currency once the
 * period has ended (and an hour more, for clocks a little behind), so a long range reads
 * a few rows per member. A rollup counts only while its {@code reward_rollups} row is
 * {@code ready}: a pending event processed later, or a merge, deletes that row, and the
 * period counts by its days until it is rolled up again.
 *
 * <p>
 * A recurring job ({@value #QUEUE}, every {@code resonance.analytics.rollup-interval})
 * runs the pass on one node of the cluster per interval. Each period is still claimed
 * under the brand's lock before it is computed, and only becomes ready if nothing
 * invalidated it meanwhile: the claim is what tells a rollup from a change to its days
 * (and keeps a pass that outlived its job's lease from racing the next one).
 */
@Component
class ActivityRollups implements JobHandler {

	/** The queue of the recurring job. */
	static final String QUEUE = "reward-rollups";

	private static final Logger log = LoggerFactory.getLogger(ActivityRollups.class);

	/** How long after a period ends it is rolled up. */
	private static final Duration GRACE = Duration.ofHours(1);

	/** How far back changed periods are looked for (the longest analytics range). */
	private static final int LOOKBACK_DAYS = 400;

	/**
	 * After this long, another node takes over a rollup claimed but never finished (its
	 * node stopped); longer than any rollup takes.
	 */
	private static final Duration ABANDONED = Duration.ofHours(1);

	private final JdbcClient jdbc;

	private final TransactionTemplate transaction;

	private final Clock clock;

	private final RandomGenerator random = new SecureRandom();

	private final BrandLock brandLock;

	private final Duration interval;

	private final StatisticsChanges changes;

	ActivityRollups(JdbcClient jdbc, PlatformTransactionManager transactions, BrandLock brandLock, Clock clock,
			RollupProperties properties, StatisticsChanges changes) {
		this.jdbc = jdbc;
		this.changes = changes;
		this.brandLock = brandLock;
		this.transaction = new TransactionTemplate(transactions);
		this.clock = clock;
		this.interval = properties.rollupInterval();
	}

	/**
	 * One pass per interval across the cluster; it opens a transaction per period. A pass
	 * that outlives the default lease is not taken over while it runs.
	 */
	@Override
	public JobQueue queue() {
		return JobQueue.named(QUEUE).recurring(this.interval).nonTransactional().withLease(ABANDONED);
	}

	@Override
	public void handle(Job job) {
		rollUp();
	}

	/** Rolls up every period due; returns how many were rolled up. */
	int rollUp() {
		Instant now = this.clock.instant();
		List<Due> due;
		try {
			// What event batches added first, so that the periods of its days are found.
			this.changes.fold();
			due = this.jdbc.sql("""
					select distinct c.brand_id, p.span, p.start
					from reward_active_members c cross join lateral reward_periods(c.start) p
					where c.span = 'day' and c.start >= :since and p.span <> 'day'
					  and not exists (select 1 from reward_rollups r
					                  where r.brand_id = c.brand_id and r.span = p.span and r.start = p.start
					                    and r.state = 'ready')
					""")
				.param("since", LocalDate.ofInstant(now, ZoneOffset.UTC).minusDays(LOOKBACK_DAYS))
				.query((rs, row) -> new Due(rs.getString("brand_id"),
						new Period(rs.getString("span"), rs.getObject("start", LocalDate.class))))
				.list();
		}
		catch (DataAccessException ex) {
			log.warn("Looking for analytics periods to roll up failed; the next run retries: {}", ex.getMessage());
			return 0;
		}
		int rolledUp = 0;
		// Weeks first, oldest first.
		for (Due period : due.stream()
			.filter((d) -> !d.period().end().atStartOfDay(ZoneOffset.UTC).toInstant().plus(GRACE).isAfter(now))
			.sorted(Comparator.comparing((Due d) -> d.period().span().equals(Period.MONTH))
				.thenComparing((d) -> d.period().start()))
			.toList()) {
			try {
				if (rollUp(period.brandId(), period.period(), this.clock.instant())) {
					rolledUp++;
				}
			}
			catch (RuntimeException ex) {
				log.warn("Rolling up the {} of {} for brand {} failed; the next run retries: {}",
						period.period().span(), period.period().start(), period.brandId(), ex.getMessage());
			}
		}
		return rolledUp;
	}

	/**
	 * Rolls one period up; {@code false} if another node has it or it changed meanwhile.
	 */
	boolean rollUp(String brandId, Period period, Instant now) {
		long token = this.random.nextLong();
		// The claim is made under the brand's lock, which every batch and merge holds
		// from
		// before it changes a day until it commits: one that changed the period before
		// the
		// claim has committed (and the rollup reads its change); one after it finds the
		// claim and deletes it.
		Integer claimed = this.transaction.execute((status) -> {
			this.brandLock.lock(brandId);
			return this.jdbc.sql("""
					insert into reward_rollups (brand_id, span, start, state, token, rolled_at)
					values (:brand, :span, :start, 'building', :token, :now)
					on conflict (brand_id, span, start) do update
					set state = 'building', token = excluded.token, rolled_at = excluded.rolled_at
					where reward_rollups.state = 'building' and reward_rollups.rolled_at < :abandoned
					""")
				.param("brand", brandId)
				.param("span", period.span())
				.param("start", period.start())
				.param("token", token)
				.param("now", now.atOffset(ZoneOffset.UTC))
				.param("abandoned", now.minus(ABANDONED).atOffset(ZoneOffset.UTC))
				.update();
		});
		if (claimed == null || claimed == 0) {
			return false;
		}
		Boolean ready = this.transaction.execute((status) -> {
			this.jdbc.sql("""
					delete from reward_member_activity where brand_id = :brand and span = :span and start = :start
					""").param("brand", brandId).param("span", period.span()).param("start", period.start()).update();
			this.jdbc.sql("""
					insert into reward_member_activity (brand_id, span, start, member_id, currency, events, awarded)
					select brand_id, :span, :start, member_id, currency, sum(events), sum(awarded)
					from reward_member_activity
					where brand_id = :brand and span = 'day' and start >= :start and start < :end
					group by brand_id, member_id, currency
					having sum(events) <> 0 or sum(awarded) <> 0
					order by member_id, currency
					""")
				.param("brand", brandId)
				.param("span", period.span())
				.param("start", period.start())
				.param("end", period.end())
				.update();
			this.jdbc.sql("""
					insert into reward_active_members as c (brand_id, span, start, members)
					select :brand, :span, :start, count(distinct member_id) from reward_member_activity
					where brand_id = :brand and span = :span and start = :start
					on conflict (brand_id, span, start) do update set members = excluded.members
					""").param("brand", brandId).param("span", period.span()).param("start", period.start()).update();
			// Ready only if no processed event or merge deleted the claim meanwhile; one
			// that comes after this waits for the commit and then deletes it.
			int done = this.jdbc.sql("""
					update reward_rollups set state = 'ready', rolled_at = :now
					where brand_id = :brand and span = :span and start = :start and token = :token
					  and state = 'building'
					""")
				.param("brand", brandId)
				.param("span", period.span())
				.param("start", period.start())
				.param("token", token)
				.param("now", now.atOffset(ZoneOffset.UTC))
				.update();
			if (done == 0) {
				status.setRollbackOnly();
				return false;
			}
			return true;
		});
		return Boolean.TRUE.equals(ready);
	}

	/** The weeks and months of a brand rolled up and ready, starting in [from, to). */
	Set<Period> ready(String brandId, LocalDate from, LocalDate to) {
		return this.jdbc.sql("""
				select span, start from reward_rollups
				where brand_id = :brand and state = 'ready' and start >= :from and start < :to
				""")
			.param("brand", brandId)
			.param("from", from)
			.param("to", to)
			.query((rs, row) -> new Period(rs.getString("span"), rs.getObject("start", LocalDate.class)))
			.set();
	}

	private record Due(String brandId, Period period) {
	}

}
