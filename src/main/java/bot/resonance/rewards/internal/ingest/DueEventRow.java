package bot.resonance.rewards.internal.ingest;

import org.jspecify.annotations.Nullable;

/** A pending event taken off the deferral queue, with what is needed to process it. */
record DueEventRow(String brandId, String eventId, String eventType, String userId, @Nullable String serverId,
		long memberId, long amount) {
}
