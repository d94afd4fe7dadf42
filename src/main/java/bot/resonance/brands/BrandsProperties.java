package bot.resonance.brands;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the brands module.
 *
 * @param secretGracePeriod how long a rotated-out HMAC secret key keeps verifying, unless
 * the rotation says otherwise
 * @param apiKeyGracePeriod how long a rotated-out API key keeps working, unless the
 * rotation says otherwise
 * @param cacheTtl how long a node trusts its in-memory copy of a brand (settings,
 * secrets, API keys) before reading it again; a failed check re-reads at once
 * @param signatureTolerance how far {@code X-Resonance-Timestamp} may be from server time
 */
@ConfigurationProperties("resonance.brands")
public record BrandsProperties(@DefaultValue("24h") Duration secretGracePeriod,
		@DefaultValue("0s") Duration apiKeyGracePeriod, @DefaultValue("5s") Duration cacheTtl,
		@DefaultValue("5m") Duration signatureTolerance) {
}
