package bot.resonance.platform.jobs;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A job as stored.
 *
 * @param queue its queue
 * @param brandId the brand whose job it is, {@code null} for jobs that are no brand's
 * @param key its key, unique within the queue and brand
 * @param dueAt when it is (or was) due
 * @param payload its payload as JSON, if it has one (see {@link #payloadAs})
 * @param attempts how many times it has been claimed to run (the current run included,
 * for a job handed to a handler)
 * @param lastError why its last attempt failed, if it did
 * @param deadAt when it was given up, for a dead job
 * @param createdAt when it was scheduled
 */
public record Job(String queue, @Nullable String brandId, String key, Instant dueAt, @Nullable String payload,
		int attempts, @Nullable String lastError, @Nullable Instant deadAt, Instant createdAt) {

	/** Its key with its brand. */
	public JobKey jobKey() {
		return new JobKey(this.brandId, this.key);
	}

	/** Whether it was given up after its queue's maximum attempts. */
	public boolean dead() {
		return this.deadAt != null;
	}

	/**
	 * Its payload read as {@code type} (a record, usually): the inverse of what
	 * {@link Jobs#schedule} stored.
	 * @throws IllegalStateException if it has no payload
	 */
	public <T> T payloadAs(Class<T> type) {
		if (this.payload == null) {
			throw new IllegalStateException("Job " + this.queue + "/" + this.key + " has no payload");
		}
		return JobPayloads.read(this.payload, type);
	}

}
