package bot.resonance.platform.jobs;

import java.util.List;

/**
 * Does the work of one queue's jobs: one bean per queue. Every node runs every handler;
 * each job is claimed by one node at a time.
 *
 * <p>
 * <b>Transactional queues</b> (the default): the handler runs inside a transaction in
 * which its jobs are completed (deleted; a recurring job is moved to its next period).
 * What the handler writes and the jobs' completion commit together, once: a job runs
 * again only if that transaction did not commit. If the handler throws (or the commit
 * fails), the transaction rolls back and each job is retried after a backoff, until its
 * queue's maximum attempts; then it is kept as dead and logged. When several jobs ran
 * together and failed, each is run again on its own at once, so one bad job does not hold
 * back the others. The handler may schedule other jobs (they commit with it), and may
 * reschedule the very job it runs with {@link IfScheduled#REPLACE} (it then stays, due at
 * its new time).
 *
 * <p>
 * <b>Non-transactional queues</b> ({@link JobQueue#nonTransactional()}): the handler runs
 * outside any transaction and opens its own (pruning a slice at a time, or feeding a
 * batch pipeline). When it returns, its jobs are completed; when it throws, they are
 * retried as above. A handler that must do its work exactly once takes its jobs off the
 * queue itself, with {@link Jobs#take}, in the transaction that does the work: a job
 * taken so is simply gone when the handler returns. Work done outside such a transaction
 * may be done again if the node dies before the jobs are completed, so it should be
 * idempotent.
 *
 * <p>
 * Every claim of a job counts as an attempt, so a job whose run keeps killing its node
 * ends dead too. A recurring job is never dead: after its last attempt it waits for its
 * next period.
 */
public interface JobHandler {

	/** The queue this handler serves, and how its jobs run. */
	JobQueue queue();

	/** Does one job's work. */
	void handle(Job job);

	/**
	 * Does the work of several jobs (at most the queue's batch size, oldest due first).
	 * By default one after another; a handler that can do many at once more cheaply (one
	 * statement for all, one batch through a pipeline) overrides it.
	 */
	default void handleAll(List<Job> jobs) {
		for (Job job : jobs) {
			handle(job);
		}
	}

}
