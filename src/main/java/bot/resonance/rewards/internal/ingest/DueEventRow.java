package bot.resonance.rewards.internal.ingest;

import org.jspecify.annotations.Nullable;

/**
 * A pending event taken off the deferral queue, with what is needed to process it.
 *
 * @param amountCap the most it may move in all, if it came unsigned
 */
record DueEventRow(String brandId, String eventId, String eventType, String userId, @Nullable String serverId,
		long memberId, long amount, @Nullable Long amountCap) {
}
