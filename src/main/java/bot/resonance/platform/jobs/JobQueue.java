package bot.resonance.platform.jobs;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import bot.resonance.platform.CharClass;

/**
 * A queue, as its {@link JobHandler} declares it: its name, how its jobs run, and the
 * settings in which it differs from the defaults ({@link JobsProperties}). Start from
 * {@link #named}:
 *
 * <pre>{@code
 * JobQueue.named("trade-expiry")                                  // one job at a time, transactional
 * JobQueue.named("reward-deferrals").withBatchSize(500).nonTransactional()
 * JobQueue.named("webhook-pruning").recurring(Duration.ofHours(1)).nonTransactional()
 * }</pre>
 *
 * @param name the queue's name: lower-case letters, digits, {@code -}, {@code _} and
 * {@code .}, at most 63 characters
 * @param transactional whether the handler runs inside the transaction that completes its
 * jobs (the default), or outside any transaction (see {@link JobHandler})
 * @param period for a recurring queue, how often its one job runs; {@code null} for a
 * queue of scheduled jobs
 * @param batchSize the most jobs claimed at once and handed to one
 * {@link JobHandler#handleAll} call; {@code null} for the default
 * @param maxAttempts the attempts a job gets before it is dead; {@code null} for the
 * default
 * @param lease how long a node holds the jobs it claimed before another node may take
 * them over (only matters if it dies or hangs); {@code null} for the default
 * @param pollInterval how often an idle node looks for due jobs; {@code null} for the
 * default
 */
public record JobQueue(String name, boolean transactional, @Nullable Duration period, @Nullable Integer batchSize,
		@Nullable Integer maxAttempts, @Nullable Duration lease, @Nullable Duration pollInterval) {

	private static final CharClass FIRST = CharClass.of("a-z0-9");

	private static final CharClass NAME = CharClass.of("a-z0-9._-");

	public JobQueue {
		requireName(name);
		requirePositive("period", period);
		requirePositive("lease", lease);
		requirePositive("poll interval", pollInterval);
		if (batchSize != null && batchSize < 1) {
			throw new IllegalArgumentException("A queue's batch size is at least 1");
		}
		if (maxAttempts != null && maxAttempts < 1) {
			throw new IllegalArgumentException("A queue's jobs get at least 1 attempt");
		}
	}

	/** A transactional queue of scheduled jobs with the default settings. */
	public static JobQueue named(String name) {
		return new JobQueue(name, true, null, null, null, null, null);
	}

	/**
	 * The handler runs outside any transaction and opens its own; its jobs are completed
	 * after it returns.
	 */
	public JobQueue nonTransactional() {
		return new JobQueue(this.name, false, this.period, this.batchSize, this.maxAttempts, this.lease,
				this.pollInterval);
	}

	/** The queue holds one job, run once every {@code period} across all nodes. */
	public JobQueue recurring(Duration period) {
		return new JobQueue(this.name, this.transactional, period, this.batchSize, this.maxAttempts, this.lease,
				this.pollInterval);
	}

	public JobQueue withBatchSize(int batchSize) {
		return new JobQueue(this.name, this.transactional, this.period, batchSize, this.maxAttempts, this.lease,
				this.pollInterval);
	}

	public JobQueue withMaxAttempts(int maxAttempts) {
		return new JobQueue(this.name, this.transactional, this.period, this.batchSize, maxAttempts, this.lease,
				this.pollInterval);
	}

	public JobQueue withLease(Duration lease) {
		return new JobQueue(this.name, this.transactional, this.period, this.batchSize, this.maxAttempts, lease,
				this.pollInterval);
	}

	public JobQueue withPollInterval(Duration pollInterval) {
		return new JobQueue(this.name, this.transactional, this.period, this.batchSize, this.maxAttempts, this.lease,
				pollInterval);
	}

	/** Whether the queue holds one job that runs every {@link #period}. */
	public boolean isRecurring() {
		return this.period != null;
	}

	static void requireName(String name) {
		if (name.isEmpty() || name.length() > 63 || !FIRST.contains(name.charAt(0))
				|| !NAME.allIn(name, 1, name.length())) {
			throw new IllegalArgumentException(
					"A queue name is lower-case letters, digits, '-', '_' and '.', at most 63: " + name);
		}
	}

	private static void requirePositive(String what, @Nullable Duration duration) {
		if (duration != null && (duration.isNegative() || duration.isZero())) {
			throw new IllegalArgumentException("A queue's " + what + " is positive");
		}
	}

}
