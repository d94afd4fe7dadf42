package bot.resonance.platform.jobs;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import bot.resonance.platform.Transactions;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Durable jobs: work due at a time, recorded in the caller's transaction and run by the
 * queue's {@link JobHandler} on one node (see the package documentation).
 *
 * <pre>{@code
 * // in the transaction that opens the trade:
 * jobs.schedule("trade-expiry", JobKey.of(brandId, tradeId), expiresAt, null, IfScheduled.REPLACE);
 * // in the transaction that closes it early:
 * jobs.cancel("trade-expiry", JobKey.of(brandId, tradeId));
 * }</pre>
 */
public class Jobs {

	private final JobStore store;

	private final JobRunner runner;

	private final Clock clock;

	Jobs(JobStore store, JobRunner runner, Clock clock) {
		this.store = store;
		this.runner = runner;
		this.clock = clock;
	}

	/**
	 * Schedules a job in the current transaction: it exists if and when that transaction
	 * commits. A job due now wakes this node's handler of the queue at the commit; others
	 * find it when they next poll.
	 * @param queue the queue whose handler runs it
	 * @param key which job: unique within the queue and brand
	 * @param dueAt when it should run (it runs at the first poll after that)
	 * @param payload what the handler needs besides the key, if anything: a small value
	 * (a record, usually) stored as JSON, read back with {@link Job#payloadAs}
	 * @param ifScheduled what to do if the queue holds a job with this key already
	 * @return whether this call created or replaced the job ({@code false}: one was kept)
	 * @throws org.springframework.transaction.IllegalTransactionStateException outside a
	 * transaction
	 */
	public boolean schedule(String queue, JobKey key, Instant dueAt, @Nullable Object payload,
			IfScheduled ifScheduled) {
		Transactions.requireActive("Scheduling a job");
		JobQueue.requireName(queue);
		Instant now = this.clock.instant();
		boolean scheduled = this.store.schedule(queue, key, dueAt, JobPayloads.write(payload),
				ifScheduled == IfScheduled.REPLACE, now);
		if (scheduled && !dueAt.isAfter(now)) {
			wakeAfterCommit(queue);
		}
		return scheduled;
	}

	private void wakeAfterCommit(String queue) {
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

				@Override
				public void afterCommit() {
					Jobs.this.runner.wake(queue);
				}

			});
		}
	}

	/**
	 * Schedules many jobs of a queue in the current transaction with one statement (an
	 * ingest batch's deferrals, say), as {@link #schedule} does each. A job due now wakes
	 * this node's handler of the queue at the commit.
	 * @param jobs the jobs, with distinct keys
	 * @return how many were created or replaced (the others were kept)
	 * @throws IllegalArgumentException if two jobs have the same key
	 * @throws org.springframework.transaction.IllegalTransactionStateException outside a
	 * transaction
	 */
	public int scheduleAll(String queue, Collection<NewJob> jobs, IfScheduled ifScheduled) {
		Transactions.requireActive("Scheduling jobs");
		JobQueue.requireName(queue);
		if (jobs.isEmpty()) {
			return 0;
		}
		List<NewJob> all = List.copyOf(jobs);
		if (all.stream().map(NewJob::key).distinct().count() < all.size()) {
			throw new IllegalArgumentException("Jobs scheduled together have distinct keys");
		}
		List<@Nullable String> payloads = new ArrayList<>(all.size());
		all.forEach((job) -> payloads.add(JobPayloads.write(job.payload())));
		Instant now = this.clock.instant();
		int scheduled = this.store.scheduleAll(queue, all, payloads, ifScheduled == IfScheduled.REPLACE, now);
		if (scheduled > 0 && all.stream().anyMatch((job) -> !job.dueAt().isAfter(now))) {
			wakeAfterCommit(queue);
		}
		return scheduled;
	}

	/**
	 * Deletes a job in the current transaction, whatever its state: it will not run
	 * (unless it is running now: a transactional run finishes first, and then there is
	 * nothing left to cancel).
	 * @return whether there was such a job
	 * @throws org.springframework.transaction.IllegalTransactionStateException outside a
	 * transaction
	 */
	public boolean cancel(String queue, JobKey key) {
		Transactions.requireActive("Cancelling a job");
		JobQueue.requireName(queue);
		return this.store.cancel(queue, key);
	}

	/**
	 * Takes jobs off the queue in the current transaction, due or not, claimed or not
	 * (dead jobs stay): the caller does their work in this transaction instead of the
	 * handler, and returns with them. A job another node's handler is running inside its
	 * transaction is waited for, and is then gone.
	 * @return the jobs taken (those there were), oldest due first
	 * @throws org.springframework.transaction.IllegalTransactionStateException outside a
	 * transaction
	 */
	public List<Job> take(String queue, Collection<JobKey> keys) {
		Transactions.requireActive("Taking jobs");
		JobQueue.requireName(queue);
		return this.store.take(queue, keys, null);
	}

	/** Like {@link #take}, but only the jobs that are due now. */
	public List<Job> takeDue(String queue, Collection<JobKey> keys) {
		Transactions.requireActive("Taking jobs");
		JobQueue.requireName(queue);
		return this.store.take(queue, keys, this.clock.instant());
	}

	/** A job as stored now, dead or alive. */
	public Optional<Job> find(String queue, JobKey key) {
		JobQueue.requireName(queue);
		return this.store.find(queue, key);
	}

	/**
	 * Runs the queue's due jobs now, on the calling thread, as the background loop does
	 * (for tests, with a clock moved forward, and for tools): claims, runs and completes
	 * until no more is due (at most 100 claims of a batch each). Must be called outside a
	 * transaction.
	 * @return how many jobs were completed
	 * @throws IllegalArgumentException if no handler on this node serves the queue
	 */
	public int runDue(String queue) {
		return this.runner.runDue(queue);
	}

}
