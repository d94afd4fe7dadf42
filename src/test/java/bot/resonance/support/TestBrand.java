package bot.resonance.support;

/** A brand created for a test, with its credentials. */
public record TestBrand(String brandId, String secretKey, String apiKey) {
}
