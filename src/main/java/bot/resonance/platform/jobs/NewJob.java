package bot.resonance.platform.jobs;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A job to schedule with {@link Jobs#scheduleAll}: what {@link Jobs#schedule} takes for
 * one.
 *
 * @param key which job: unique within the queue and brand
 * @param dueAt when it should run
 * @param payload what the handler needs besides the key, if anything (stored as JSON)
 */
public record NewJob(JobKey key, Instant dueAt, @Nullable Object payload) {
}
