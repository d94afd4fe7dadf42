package bot.resonance.rewards.internal.ingest;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/** A new row of {@code reward_events}. */
record EventRow(String brandId, String id, @Nullable String eventType, @Nullable String userId,
		@Nullable String serverId, @Nullable Long memberId, @Nullable Long amount, long amountAwarded,
		@Nullable Long balanceAfter, @Nullable String currency, String outcome, @Nullable String errorCode,
		@Nullable String errorMessage, @Nullable Integer retryAfter, @Nullable String pendingReason,
		@Nullable Instant processAfter, @Nullable String metadata, @Nullable String idempotencyKey,
		byte @Nullable [] requestHash, @Nullable Integer responseStatus, @Nullable String responseBody, String source,
		Instant receivedAt) {
}
