package bot.resonance.platform.jobs;

/**
 * What {@link Jobs#schedule} does when the queue already holds a job with the same key
 * (for the same brand). A dead job is replaced either way: scheduling it again is asking
 * for it to run.
 */
public enum IfScheduled {

	/**
	 * The waiting job stays as it is: scheduling is idempotent. If that job is being run
	 * (outside a transaction) it may not see the caller's change.
	 */
	KEEP,

	/**
	 * The job takes the new due time and payload, starts again from its first attempt,
	 * and any claim on it is void: a run under way does not complete it (a run inside its
	 * handler's transaction finishes first, then the job is scheduled anew). A handler
	 * can reschedule the very job it runs this way.
	 */
	REPLACE

}
