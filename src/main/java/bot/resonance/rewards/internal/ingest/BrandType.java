package bot.resonance.rewards.internal.ingest;

/** An event type of a brand. */
public record BrandType(String brandId, String eventType) {
}
