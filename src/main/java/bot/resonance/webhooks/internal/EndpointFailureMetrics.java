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
 * Endpoints' failure streaks as gauges, for all brands together: how many enabled
 * endpoints have failed every delivery since some time ({@code failing_since}, which a
 * success clears and which disables the endpoint after {@code disable-after}), counted by
 * how long they have been failing, and the longest such streak. No endpoint, URL or brand
 * is named. One query answers all of them; its result is kept for {@value #CACHE_MILLIS}
 * ms, so however often the metrics are scraped the database sees at most one such query
 * every few seconds.
 */
@Component
class EndpointFailureMetrics {

	private static final Logger log = LoggerFactory.getLogger(EndpointFailureMetrics.class);

	static final long CACHE_MILLIS = 5_000;

	private final JdbcClient jdbc;

	private final Clock clock;

	private volatile Snapshot snapshot = new Snapshot(0, 0, 0, 0, Long.MIN_VALUE);

	EndpointFailureMetrics(JdbcClient jdbc, Clock clock, MeterRegistry meters) {
		this.jdbc = jdbc;
		this.clock = clock;
		String description = "Enabled webhook endpoints whose every delivery has failed for this long (all brands)";
		Gauge.builder("resonance.webhook.endpoints.failing", this, (metrics) -> metrics.current().underHour())
			.description(description)
			.tag("failing_for", "under_1h")
			.register(meters);
		Gauge.builder("resonance.webhook.endpoints.failing", this, (metrics) -> metrics.current().underDay())
			.description(description)
			.tag("failing_for", "1h_to_1d")
			.register(meters);
		Gauge.builder("resonance.webhook.endpoints.failing", this, (metrics) -> metrics.current().overDay())
			.description(description)
			.tag("failing_for", "over_1d")
			.register(meters);
		Gauge
			.builder("resonance.webhook.endpoints.failing.longest", this,
					(metrics) -> metrics.current().longestSeconds())
			.description("How long the longest-failing enabled webhook endpoint has failed every delivery "
					+ "(0 when none is failing)")
			.baseUnit("seconds")
			.register(meters);
	}

	private Snapshot current() {
		Snapshot current = this.snapshot;
		if (fresh(current)) {
			return current;
		}
		synchronized (this) {
			current = this.snapshot;
			if (fresh(current)) {
				return current;
			}
			try {
				Instant now = this.clock.instant();
				current = this.jdbc
					.sql("""
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
						return new Snapshot(rs.getLong("under_hour"), rs.getLong("under_day"), rs.getLong("over_day"),
								longest, System.nanoTime());
					})
					.single();
			}
			catch (RuntimeException ex) {
				log.debug("Could not measure the webhook endpoints' failure streaks", ex);
				current = new Snapshot(current.underHour(), current.underDay(), current.overDay(),
						current.longestSeconds(), System.nanoTime());
			}
			this.snapshot = current;
			return current;
		}
	}

	private static boolean fresh(Snapshot snapshot) {
		return snapshot.takenAtNanos() != Long.MIN_VALUE
				&& System.nanoTime() - snapshot.takenAtNanos() < Duration.ofMillis(CACHE_MILLIS).toNanos();
	}

	private record Snapshot(long underHour, long underDay, long overDay, double longestSeconds, long takenAtNanos) {
	}

}
