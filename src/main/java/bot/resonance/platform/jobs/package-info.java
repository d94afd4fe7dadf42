/**
 * Durable jobs: work due at a time, for every module.
 *
 * <p>
 * A module records a job with {@link bot.resonance.platform.jobs.Jobs#schedule} inside
 * the transaction of the change that needs it, so the job exists exactly when that change
 * commits, and cancels it the same way. Each queue has one handler, a bean implementing
 * {@link bot.resonance.platform.jobs.JobHandler}; every node claims due jobs with
 * {@code FOR UPDATE SKIP LOCKED} under a lease and calls the handler, by default inside
 * the transaction that completes the jobs, so a job's work and its completion commit
 * together, once. A failed job is retried with backoff up to its queue's maximum, then
 * kept as dead. A queue may be recurring: one run per period across the cluster. See
 * {@code docs/architecture.md} ("Jobs").
 */
@NullMarked
package bot.resonance.platform.jobs;

import org.jspecify.annotations.NullMarked;
