package bot.resonance.rewards.internal.ingest;

/** The response stored with an event recorded under an Idempotency-Key. */
record StoredResponse(byte[] requestHash, int status, String body) {
}
