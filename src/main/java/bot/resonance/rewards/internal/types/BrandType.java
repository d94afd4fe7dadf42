package bot.resonance.rewards.internal.types;

/** An event type of a brand. */
public record BrandType(String brandId, String eventType) {
}
