package bot.resonance.webhooks.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The delivery queue as gauges: how many deliveries are due (all brands together) and how
 * long the oldest of them has waited. One query over the due-time index answers both; its
 * result is kept for {@value #CACHE_MILLIS} ms, so however often the metrics are scraped
 * the database sees at most one such query every few seconds.
 */
@Component
class DeliveryQueueMetrics {

	private static final Logger log = LoggerFactory.getLogger(DeliveryQueueMetrics.class);

	static final long CACHE_MILLIS = 5_000;

	private final JdbcClient jdbc;

	private final Clock clock;

	private volatile Snapshot snapshot = new Snapshot(0, 0, Long.MIN_VALUE);

	DeliveryQueueMetrics(JdbcClient jdbc, Clock clock, MeterRegistry meters) {
		this.jdbc = jdbc;
		this.clock = clock;
		Gauge.builder("resonance.webhook.queue.due", this, (metrics) -> metrics.current().due())
			.description("Webhook deliveries due now and not yet claimed by a node (all brands)")
			.register(meters);
		Gauge.builder("resonance.webhook.queue.oldest.age", this, (metrics) -> metrics.current().oldestAgeSeconds())
			.description("How long the oldest due webhook delivery has waited (0 when none is due)")
			.baseUnit("seconds")
			.register(meters);
	}

	private Snapshot current() {
		Snapshot current = this.snapshot;
		long nowNanos = System.nanoTime();
		if (current.takenAtNanos() != Long.MIN_VALUE
				&& nowNanos - current.takenAtNanos() < Duration.ofMillis(CACHE_MILLIS).toNanos()) {
			return current;
		}
		synchronized (this) {
			current = this.snapshot;
			if (current.takenAtNanos() != Long.MIN_VALUE
					&& System.nanoTime() - current.takenAtNanos() < Duration.ofMillis(CACHE_MILLIS).toNanos()) {
				return current;
			}
			try {
				Instant now = this.clock.instant();
				current = this.jdbc.sql("""
						select count(*) as due, min(due_at) as oldest
						from webhook_queue
						where due_at <= :now
						""").param("now", EndpointRepository.utc(now)).query((rs, row) -> {
					OffsetDateTime oldest = rs.getObject("oldest", OffsetDateTime.class);
					double age = (oldest != null)
							? Math.max(0, Duration.between(oldest.toInstant(), now).toMillis() / 1000.0) : 0;
					return new Snapshot(rs.getLong("due"), age, System.nanoTime());
				}).single();
			}
			catch (RuntimeException ex) {
				log.debug("Could not measure the webhook delivery queue", ex);
				current = new Snapshot(current.due(), current.oldestAgeSeconds(), System.nanoTime());
			}
			this.snapshot = current;
			return current;
		}
	}

	private record Snapshot(long due, double oldestAgeSeconds, long takenAtNanos) {
	}

}
