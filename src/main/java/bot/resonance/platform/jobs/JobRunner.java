package bot.resonance.platform.jobs;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import bot.resonance.platform.logging.Failures;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.transaction.IllegalTransactionStateException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs a node's queues: claims due jobs, calls their handlers, completes them or records
 * their failure. In the background, one loop per queue looks for due jobs every poll
 * interval, or at once when woken; {@link #runDue} does the same on the caller's thread.
 *
 * <p>
 * A claim marks jobs with its own id ({@code <node>#<number>}) and an expiry, and counts
 * an attempt. Everything the runner later does to a job (lock it to run it, complete it,
 * record a failure) applies only while the job still carries that claim id, so a claim
 * that lapsed and was taken over, or a job replaced or taken off the queue meanwhile, is
 * left alone. A transactional run locks its jobs first, so no other node can claim them
 * while it runs, however long it takes. There is no separate reaper: a claim whose node
 * died simply lapses, and the next claim on any node takes the job over.
 */
class JobRunner implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(JobRunner.class);

	/** The most claims one {@link #drain} makes before it lets the loop look again. */
	private static final int MAX_ROUNDS = 100;

	private static final int MAX_ERROR_LENGTH = 2_000;

	private final JobStore store;

	private final TransactionTemplate transaction;

	private final Clock clock;

	private final JobsProperties properties;

	private final String node;

	private final Supplier<? extends Collection<JobHandler>> handlers;

	private final AtomicLong claims = new AtomicLong();

	private final List<Thread> loops = new ArrayList<>();

	private @Nullable Map<String, Queue> queues;

	private volatile boolean running;

	JobRunner(JobStore store, PlatformTransactionManager transactions, Clock clock, JobsProperties properties,
			String node, Supplier<? extends Collection<JobHandler>> handlers) {
		this.store = store;
		this.transaction = new TransactionTemplate(transactions);
		this.clock = clock;
		this.properties = properties;
		this.node = node;
		this.handlers = handlers;
	}

	/**
	 * Runs the queue's due jobs now, on this thread, until none is due (or for
	 * {@link #MAX_ROUNDS} claims); returns how many were completed.
	 */
	int runDue(String queueName) {
		if (TransactionSynchronizationManager.isActualTransactionActive()) {
			throw new IllegalTransactionStateException("Jobs are run in their own transactions, not the caller's");
		}
		Queue queue = queues().get(queueName);
		if (queue == null) {
			throw new IllegalArgumentException("No handler runs the job queue " + queueName);
		}
		return drain(queue).completed();
	}

	/** Wakes the queue's loop, if this node runs the queue. */
	void wake(String queueName) {
		Queue queue = queues().get(queueName);
		if (queue != null) {
			queue.wake.release();
		}
	}

	/**
	 * Claims and runs due jobs until a claim finds fewer than a batch, or for
	 * {@link #MAX_ROUNDS} claims (so a handler that keeps rescheduling its job at once
	 * cannot hold the loop forever).
	 */
	private Drain drain(Queue queue) {
		scheduleRecurring(queue);
		int completed = 0;
		for (int round = 0; round < MAX_ROUNDS; round++) {
			Instant now = this.clock.instant();
			String claim = this.node + "#" + this.claims.incrementAndGet();
			List<Job> claimed = this.store.claim(queue.name, claim, now, now.plus(queue.lease), queue.batchSize);
			List<Job> runnable = new ArrayList<>();
			for (Job job : claimed) {
				if (job.attempts() > queue.maxAttempts) {
					// Its last attempt was claimed and never finished: the node died, or
					// the run outlasted the lease.
					String error = "attempt " + (job.attempts() - 1)
							+ " never finished (its node stopped, or it ran longer than the lease)";
					failed(queue, claim, job,
							(job.lastError() != null) ? error + "; before: " + job.lastError() : error, null);
				}
				else {
					runnable.add(job);
				}
			}
			if (!runnable.isEmpty()) {
				completed += queue.transactional ? runInTransaction(queue, claim, runnable)
						: runOutsideTransaction(queue, claim, runnable);
			}
			if (claimed.size() < queue.batchSize) {
				return new Drain(completed, false);
			}
		}
		return new Drain(completed, true);
	}

	/**
	 * Runs jobs in one transaction that completes them; if it fails and there were
	 * several, runs each on its own.
	 */
	private int runInTransaction(Queue queue, String claim, List<Job> jobs) {
		try {
			Integer completed = this.transaction.execute((status) -> {
				List<Job> held = this.store.lockClaimed(queue.name, claim, jobs);
				if (held.isEmpty()) {
					return 0;
				}
				queue.handler.handleAll(held);
				complete(queue, claim, held);
				return held.size();
			});
			return (completed != null) ? completed : 0;
		}
		catch (RuntimeException ex) {
			if (jobs.size() > 1) {
				log.info("{} jobs of queue {} failed together ({}); running them one by one", jobs.size(), queue.name,
						ex.toString());
				int completed = 0;
				for (Job job : jobs) {
					completed += runInTransaction(queue, claim, List.of(job));
				}
				return completed;
			}
			failed(queue, claim, jobs.getFirst(), ex.toString(), ex);
			return 0;
		}
	}

	/**
	 * Runs jobs outside a transaction, then completes those still claimed (the handler
	 * may have taken some off the queue itself).
	 */
	private int runOutsideTransaction(Queue queue, String claim, List<Job> jobs) {
		try {
			queue.handler.handleAll(jobs);
		}
		catch (RuntimeException ex) {
			for (Job job : jobs) {
				failed(queue, claim, job, ex.toString(), ex);
			}
			return 0;
		}
		this.transaction.executeWithoutResult((status) -> complete(queue, claim, jobs));
		return jobs.size();
	}

	/** Deletes finished jobs; moves a recurring job to its next period. */
	private void complete(Queue queue, String claim, List<Job> jobs) {
		if (queue.period == null) {
			this.store.complete(queue.name, claim, jobs);
			return;
		}
		Instant now = this.clock.instant();
		List<Job> others = new ArrayList<>();
		for (Job job : jobs) {
			if (job.brandId() == null && job.key().equals(JobStore.RECURRING_KEY)) {
				this.store.reschedule(queue.name, claim, job, nextPeriod(job.createdAt(), now, queue.period), null);
			}
			else {
				others.add(job);
			}
		}
		if (!others.isEmpty()) {
			this.store.complete(queue.name, claim, others);
		}
	}

	/**
	 * Records a failed attempt: retried after a backoff, or dead after the last attempt
	 * (a recurring job waits for its next period instead).
	 */
	private void failed(Queue queue, String claim, Job job, String error, @Nullable Exception cause) {
		String lastError = (error.length() > MAX_ERROR_LENGTH) ? error.substring(0, MAX_ERROR_LENGTH) : error;
		Instant now = this.clock.instant();
		try {
			if (job.attempts() < queue.maxAttempts) {
				Instant retryAt = now.plus(backoff(this.properties, job.attempts()));
				if (this.store.retry(queue.name, claim, job, retryAt, lastError)) {
					log.warn("Job {} of queue {} failed (attempt {} of {}); retrying at {}: {}", describe(job),
							queue.name, job.attempts(), queue.maxAttempts, retryAt, lastError);
					trace(queue, job, cause);
				}
			}
			else if (queue.period != null) {
				Instant next = nextPeriod(job.createdAt(), now, queue.period);
				if (this.store.reschedule(queue.name, claim, job, next, lastError)) {
					log.error("Recurring job of queue {} failed {} times; it runs again in its next period, at {}: {}",
							queue.name, job.attempts(), next, lastError);
					trace(queue, job, cause);
				}
			}
			else if (this.store.bury(queue.name, claim, job, now, lastError)) {
				log.error("Job {} of queue {} failed {} times and is dead (kept for inspection): {}", describe(job),
						queue.name, job.attempts(), lastError);
				trace(queue, job, cause);
			}
		}
		catch (RuntimeException ex) {
			log.warn("Could not record the failure of job {} of queue {} ({}); its claim will lapse and it runs again",
					describe(job), queue.name, ex.toString());
		}
	}

	/**
	 * The stack trace of a job's failure, at DEBUG: the one-line warning or error names
	 * the exception and its message (also kept as the job's last error); a handler that
	 * throws on every attempt would otherwise fill the log with the same trace.
	 */
	private static void trace(Queue queue, Job job, @Nullable Exception cause) {
		if (cause != null && log.isDebugEnabled()) {
			log.debug("Failure of job {} of queue {}", describe(job), queue.name, cause);
		}
	}

	/**
	 * The wait after failed attempt number {@code attempts}: the backoff, doubled for
	 * every attempt before, at most the maximum.
	 */
	static Duration backoff(JobsProperties properties, int attempts) {
		int doublings = Math.max(0, attempts - 1);
		if (doublings >= 31) {
			return properties.maxBackoff();
		}
		Duration wait = properties.backoff().multipliedBy(1L << doublings);
		return (wait.compareTo(properties.maxBackoff()) > 0) ? properties.maxBackoff() : wait;
	}

	/**
	 * A recurring job's next due time: the first of {@code anchor + k × period} (k ≥ 1)
	 * after {@code now}, where the anchor is when the job was created. One run per
	 * period, on the same grid however late or often retried a run was; periods missed
	 * while no node ran are not made up.
	 */
	static Instant nextPeriod(Instant anchor, Instant now, Duration period) {
		long elapsed = now.isAfter(anchor) ? Duration.between(anchor, now).dividedBy(period) : 0;
		return anchor.plus(period.multipliedBy(elapsed + 1));
	}

	private void scheduleRecurring(Queue queue) {
		if (queue.period != null && !queue.recurringScheduled) {
			Instant now = this.clock.instant();
			this.store.scheduleRecurring(queue.name, now.plus(queue.period), now);
			queue.recurringScheduled = true;
		}
	}

	private static String describe(Job job) {
		return (job.brandId() != null) ? job.brandId() + "/" + job.key() : job.key();
	}

	private synchronized Map<String, Queue> queues() {
		if (this.queues == null) {
			Map<String, Queue> found = new LinkedHashMap<>();
			for (JobHandler handler : this.handlers.get()) {
				Queue queue = new Queue(handler, this.properties);
				Queue other = found.putIfAbsent(queue.name, queue);
				if (other != null) {
					throw new IllegalStateException("Two handlers serve the job queue " + queue.name + ": "
							+ other.handler.getClass().getName() + " and " + handler.getClass().getName());
				}
			}
			this.queues = found;
		}
		return this.queues;
	}

	@Override
	public synchronized void start() {
		Map<String, Queue> queues = queues();
		this.running = true;
		if (this.properties.workerEnabled()) {
			for (Queue queue : queues.values()) {
				this.loops.add(Thread.ofVirtual().name("jobs-" + queue.name).start(() -> loop(queue)));
			}
		}
	}

	private void loop(Queue queue) {
		while (this.running && !Thread.currentThread().isInterrupted()) {
			boolean more = false;
			try {
				more = drain(queue).more();
			}
			catch (Throwable ex) {
				Failures.warn(log, ex, "Running the jobs of queue {} failed; trying again in {}", queue.name,
						queue.pollInterval);
			}
			if (!more && this.running) {
				queue.awaitWake();
			}
		}
	}

	/** Lets the loops finish the jobs they are running, and waits for them a while. */
	@Override
	public synchronized void stop() {
		this.running = false;
		Map<String, Queue> queues = this.queues;
		if (queues != null) {
			queues.values().forEach((queue) -> queue.wake.release());
		}
		long deadline = System.nanoTime() + this.properties.shutdownTimeout().toNanos();
		for (Thread loop : this.loops) {
			try {
				if (!loop.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))) {
					log.warn("The jobs of {} did not finish in time; their claims will lapse", loop.getName());
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		this.loops.clear();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	private record Drain(int completed, boolean more) {
	}

	/** A queue's settings, from its declaration and the defaults, and its wake-up. */
	private static final class Queue {

		final JobHandler handler;

		final String name;

		final boolean transactional;

		final @Nullable Duration period;

		final int batchSize;

		final int maxAttempts;

		final Duration lease;

		final Duration pollInterval;

		final Semaphore wake = new Semaphore(0);

		volatile boolean recurringScheduled;

		Queue(JobHandler handler, JobsProperties defaults) {
			JobQueue declared = handler.queue();
			this.handler = handler;
			this.name = declared.name();
			this.transactional = declared.transactional();
			this.period = declared.period();
			this.batchSize = (declared.batchSize() != null) ? declared.batchSize() : defaults.batchSize();
			this.maxAttempts = (declared.maxAttempts() != null) ? declared.maxAttempts() : defaults.maxAttempts();
			this.lease = (declared.lease() != null) ? declared.lease() : defaults.lease();
			this.pollInterval = (declared.pollInterval() != null) ? declared.pollInterval() : defaults.pollInterval();
		}

		void awaitWake() {
			try {
				if (this.wake.tryAcquire(this.pollInterval.toNanos(), TimeUnit.NANOSECONDS)) {
					this.wake.drainPermits();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

	}

}
