package bot.resonance.platform.jobs;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of durable jobs, for every queue that does not declare its own
 * ({@link JobQueue}).
 *
 * @param workerEnabled whether this node runs jobs in the background (a node that only
 * takes API traffic may leave them to others; {@link Jobs#runDue} works either way)
 * @param pollInterval how often an idle node looks for due jobs of each queue (a job
 * scheduled due now wakes the scheduling node at once) (default 10s)
 * @param lease how long a node holds the jobs it claimed before another node may take
 * them over: it only matters if the node dies or hangs, and must be longer than a
 * non-transactional handler takes (default 5m)
 * @param batchSize the most jobs claimed at once and handed to one handler call (default
 * 100)
 * @param maxAttempts the attempts a job gets before it is dead (default 10)
 * @param backoff the wait before a failed job's first retry; it doubles with every
 * further attempt (default 30s)
 * @param maxBackoff the longest wait between two attempts (default 1h)
 * @param shutdownTimeout how long stopping a node waits for the jobs it is running
 * (default 30s)
 * @param deadRetention how long a dead job is kept for inspection after it died;
 * {@code 0} keeps dead jobs until deleted by hand (default 30d)
 * @param pruneInterval how often dead jobs older than that are deleted (default 1h)
 */
@ConfigurationProperties("resonance.jobs")
public record JobsProperties(@DefaultValue("true") boolean workerEnabled, @DefaultValue("10s") Duration pollInterval,
		@DefaultValue("5m") Duration lease, @DefaultValue("100") int batchSize, @DefaultValue("10") int maxAttempts,
		@DefaultValue("30s") Duration backoff, @DefaultValue("1h") Duration maxBackoff,
		@DefaultValue("30s") Duration shutdownTimeout, @DefaultValue("30d") Duration deadRetention,
		@DefaultValue("1h") Duration pruneInterval) {

	public JobsProperties {
		if (batchSize < 1 || maxAttempts < 1) {
			throw new IllegalArgumentException("resonance.jobs.batch-size and max-attempts are at least 1");
		}
		if (!pollInterval.isPositive() || !lease.isPositive() || !backoff.isPositive()
				|| maxBackoff.compareTo(backoff) < 0) {
			throw new IllegalArgumentException(
					"resonance.jobs.poll-interval, lease and backoff are positive, and max-backoff is at least backoff");
		}
		if (deadRetention.isNegative() || !pruneInterval.isPositive()) {
			throw new IllegalArgumentException(
					"resonance.jobs.dead-retention is 0 (kept) or positive, and prune-interval is positive");
		}
	}

	/** The defaults. */
	public static JobsProperties defaults() {
		return new JobsProperties(true, Duration.ofSeconds(10), Duration.ofMinutes(5), 100, 10, Duration.ofSeconds(30),
				Duration.ofHours(1), Duration.ofSeconds(30), Duration.ofDays(30), Duration.ofHours(1));
	}

}
