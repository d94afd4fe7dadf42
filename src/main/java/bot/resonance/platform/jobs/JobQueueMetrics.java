package bot.resonance.platform.jobs;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import bot.resonance.platform.metrics.CachedReading;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The job queues as gauges, by queue (all brands together): how many jobs are due and not
 * claimed by any node, how long the oldest of them has waited, and how many are dead
 * (kept for inspection until pruned). Pending events that came due are the
 * {@code reward-deferrals} queue's jobs, so this is also the deferral backlog. One
 * statement reads each queue's due range of the due-time index and the dead jobs' index,
 * at most once every few seconds however often the metrics are scraped
 * ({@link CachedReading}).
 */
@Component
class JobQueueMetrics implements SmartInitializingSingleton {

	private final JdbcClient jdbc;

	private final Clock clock;

	private final MeterRegistry meters;

	private final ObjectProvider<JobHandler> handlers;

	private final CachedReading<Map<String, QueueState>> snapshot;

	private volatile Set<String> queues = Set.of();

	JobQueueMetrics(JdbcClient jdbc, Clock clock, MeterRegistry meters, ObjectProvider<JobHandler> handlers) {
		this.jdbc = jdbc;
		this.clock = clock;
		this.meters = meters;
		this.handlers = handlers;
		this.snapshot = new CachedReading<>("the job queues", Map.of(),
				() -> measure(this.queues, this.clock.instant()));
	}

	/** One set of gauges per queue this node runs (a handler's), once all are known. */
	@Override
	public void afterSingletonsInstantiated() {
		Set<String> queues = new TreeSet<>();
		this.handlers.orderedStream().forEach((handler) -> queues.add(handler.queue().name()));
		this.queues = Set.copyOf(queues);
		for (String queue : queues) {
			Gauge.builder("resonance.jobs.due", this, (metrics) -> metrics.of(queue).due())
				.description("Jobs due now and not claimed by any node (all brands)")
				.tag("queue", queue)
				.register(this.meters);
			Gauge.builder("resonance.jobs.oldest.due.age", this, (metrics) -> metrics.of(queue).oldestAgeSeconds())
				.description("How long the oldest due job has waited (0 when none is due)")
				.baseUnit("seconds")
				.tag("queue", queue)
				.register(this.meters);
			Gauge.builder("resonance.jobs.dead", this, (metrics) -> metrics.of(queue).dead())
				.description("Jobs that failed every attempt, kept until resonance.jobs.dead-retention")
				.tag("queue", queue)
				.register(this.meters);
		}
	}

	private QueueState of(String queue) {
		return this.snapshot.get().getOrDefault(queue, QueueState.EMPTY);
	}

	/**
	 * The state of each of {@code queues} at {@code now}. A job is due when its time has
	 * come and no claim holds it: a job whose claim lapsed (its node died) counts, one a
	 * node is running does not. Each queue's due jobs are one range of the due-time index
	 * (the jobs due later are not read); dead jobs have an index of their own.
	 */
	Map<String, QueueState> measure(Set<String> queues, Instant now) {
		Map<String, QueueState> states = new HashMap<>();
		if (queues.isEmpty()) {
			return states;
		}
		this.jdbc.sql("""
				select q.queue, d.due, d.oldest,
				       (select count(*) from jobs j where j.dead_at is not null and j.queue = q.queue) as dead
				from unnest(:queues::text[]) as q(queue)
				cross join lateral (
				    select count(*) as due, min(j.due_at) as oldest
				    from jobs j
				    where j.queue = q.queue and j.dead_at is null and j.due_at <= :now
				      and (j.claimed_until is null or j.claimed_until <= :now)
				) d
				""").param("queues", queues.toArray(String[]::new)).param("now", JobStore.utc(now)).query((rs, row) -> {
			OffsetDateTime oldest = rs.getObject("oldest", OffsetDateTime.class);
			double age = (oldest != null) ? Math.max(0, Duration.between(oldest.toInstant(), now).toMillis() / 1000.0)
					: 0;
			return states.put(rs.getString("queue"), new QueueState(rs.getLong("due"), age, rs.getLong("dead")));
		}).list();
		return states;
	}

	/** A queue's due jobs, the oldest one's wait, and its dead jobs. */
	record QueueState(long due, double oldestAgeSeconds, long dead) {

		static final QueueState EMPTY = new QueueState(0, 0, 0);

	}

}
