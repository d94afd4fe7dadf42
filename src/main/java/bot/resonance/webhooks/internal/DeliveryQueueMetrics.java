package bot.resonance.webhooks.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import bot.resonance.platform.metrics.CachedReading;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The delivery queue as gauges: how many deliveries are due (all brands together) and how
 * long the oldest of them has waited. One query over the due-time index answers both, at
 * most once every few seconds however often the metrics are scraped
 * ({@link CachedReading}).
 */
@Component
class DeliveryQueueMetrics {

	private final CachedReading<Snapshot> snapshot;

	DeliveryQueueMetrics(JdbcClient jdbc, Clock clock, MeterRegistry meters) {
		this.snapshot = new CachedReading<>("the webhook delivery queue", new Snapshot(0, 0),
				() -> measure(jdbc, clock.instant()));
		Gauge.builder("resonance.webhook.queue.due", this, (metrics) -> metrics.snapshot.get().due())
			.description("Webhook deliveries due now and not yet claimed by a node (all brands)")
			.register(meters);
		Gauge
			.builder("resonance.webhook.queue.oldest.age", this, (metrics) -> metrics.snapshot.get().oldestAgeSeconds())
			.description("How long the oldest due webhook delivery has waited (0 when none is due)")
			.baseUnit("seconds")
			.register(meters);
	}

	private static Snapshot measure(JdbcClient jdbc, Instant now) {
		return jdbc.sql("""
				select count(*) as due, min(due_at) as oldest
				from webhook_queue
				where due_at <= :now
				""").param("now", EndpointRepository.utc(now)).query((rs, row) -> {
			OffsetDateTime oldest = rs.getObject("oldest", OffsetDateTime.class);
			double age = (oldest != null) ? Math.max(0, Duration.between(oldest.toInstant(), now).toMillis() / 1000.0)
					: 0;
			return new Snapshot(rs.getLong("due"), age);
		}).single();
	}

	private record Snapshot(long due, double oldestAgeSeconds) {
	}

}
