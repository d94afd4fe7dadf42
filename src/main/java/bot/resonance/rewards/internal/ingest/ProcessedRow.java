package bot.resonance.rewards.internal.ingest;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/** The new outcome of a pending event that came due. */
record ProcessedRow(String brandId, String id, String outcome, long amountAwarded, @Nullable Long balanceAfter,
		@Nullable String currency, @Nullable String errorCode, @Nullable String errorMessage,
		@Nullable String pendingReason, @Nullable Instant processAfter) {
}
