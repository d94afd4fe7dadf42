package bot.resonance.rewards.internal.ingest;

import org.jspecify.annotations.Nullable;

/**
 * The queue of pending events: one durable job ({@code platform/jobs}) per pending event,
 * keyed by its brand and id, due when the event may be processed. Scheduled with the
 * batch that defers the event, and taken off the queue by the batch that processes it, in
 * that batch's transaction, so each is processed once.
 */
public final class PendingEventQueue {

	/** The job queue of pending events. */
	public static final String QUEUE = "reward-deferrals";

	private PendingEventQueue() {
	}

	/**
	 * A pending event's job payload (none if it has no cap).
	 *
	 * @param amountCap the most it may move in all, if it came unsigned
	 */
	public record Deferred(@Nullable Long amountCap) {
	}

}
