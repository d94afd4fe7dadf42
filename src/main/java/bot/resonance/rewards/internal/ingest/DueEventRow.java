package bot.resonance.rewards.internal.ingest;

/** A pending event taken off the deferral queue, with what is needed to process it. */
record DueEventRow(String brandId, String eventId, String eventType, String userId, long memberId, long amount) {
}
