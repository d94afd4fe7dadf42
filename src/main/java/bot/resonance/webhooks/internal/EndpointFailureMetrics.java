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
 * Endpoints' failure streaks as gauges, for all brands together: how many enabled
 * endpoints have failed every delivery since some time ({@code failing_since}, which a
 * success clears and which disables the endpoint after {@code disable-after}), counted by
 * how long they have been failing, and the longest such streak. No endpoint, URL or brand
 * is named. One query answers all of them, at most once every few seconds however often
 * the metrics are scraped ({@link CachedReading}).
 */
@Component
class EndpointFailureMetrics {

	private final CachedReading<Snapshot> snapshot;

	EndpointFailureMetrics(JdbcClient jdbc, Clock clock, MeterRegistry meters) {
		this.snapshot = new CachedReading<>("the webhook endpoints' failure streaks", new Snapshot(0, 0, 0, 0),
				() -> measure(jdbc, clock.instant()));
		String description = "Enabled webhook endpoints whose every delivery has failed for this long (all brands)";
		Gauge.builder("resonance.webhook.endpoints.failing", this, (metrics) -> metrics.snapshot.get().underHour())
			.description(description)
			.tag("failing_for", "under_1h")
			.register(meters);
		Gauge.builder("resonance.webhook.endpoints.failing", this, (metrics) -> metrics.snapshot.get().underDay())
			.description(description)
			.tag("failing_for", "1h_to_1d")
			.register(meters);
		Gauge.builder("resonance.webhook.endpoints.failing", this, (metrics) -> metrics.snapshot.get().overDay())
			.description(description)
			.tag("failing_for", "over_1d")
			.register(meters);
		Gauge
			.builder("resonance.webhook.endpoints.failing.longest", this,
					(metrics) -> metrics.snapshot.get().longestSeconds())
			.description("How long the longest-failing enabled webhook endpoint has failed every delivery "
					+ "(0 when none is failing)")
			.baseUnit("seconds")
			.register(meters);
	}

	private static Snapshot measure(JdbcClient jdbc, Instant now) {
		return jdbc.sql("""
				select count(*) filter (where failing_since > :hourAgo) as under_hour,
				       count(*) filter (where failing_since <= :hourAgo and failing_since > :dayAgo) as under_day,
				       count(*) filter (where failing_since <= :dayAgo) as over_day,
				       min(failing_since) as oldest
				from webhook_endpoints
				where failing_since is not null and enabled
				""")
			.param("hourAgo", EndpointRepository.utc(now.minus(Duration.ofHours(1))))
			.param("dayAgo", EndpointRepository.utc(now.minus(Duration.ofDays(1))))
			.query((rs, row) -> {
				OffsetDateTime oldest = rs.getObject("oldest", OffsetDateTime.class);
				double longest = (oldest != null)
						? Math.max(0, Duration.between(oldest.toInstant(), now).toMillis() / 1000.0) : 0;
				return new Snapshot(rs.getLong("under_hour"), rs.getLong("under_day"), rs.getLong("over_day"), longest);
			})
			.single();
	}

	private record Snapshot(long underHour, long underDay, long overDay, double longestSeconds) {
	}

}
