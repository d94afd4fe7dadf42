package bot.resonance.rewards.internal.ingest;

import org.jspecify.annotations.Nullable;

/** The response stored with an event recorded under an Idempotency-Key. */
record StoredResponse(byte[] requestHash, int status, String body, @Nullable Long retryAfterSeconds) {
}
