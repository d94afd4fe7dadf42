package bot.resonance.platform.crypto;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The key that seals the HMAC secrets kept in the database (brands' secret keys, webhook,
 * incoming-webhook and Shopify secrets). They must stay readable to sign and verify, so
 * they cannot be hashed like API keys; with a key set they are stored encrypted
 * (AES-256-GCM) and a copy of the database alone does not reveal them.
 *
 * @param key {@code RESONANCE_SEALING_KEY}: 32 random bytes in base64
 * ({@code openssl rand -base64 32}); unset, secrets are stored as they are
 * @param previousKeys {@code RESONANCE_SEALING_PREVIOUS_KEYS}: keys secrets may still be
 * sealed with, comma-separated; at start-up every secret is sealed again with {@code key}
 * (or stored as it is, without one), after which they can be dropped
 */
@ConfigurationProperties("resonance.sealing")
public record SealingProperties(@Nullable String key, @DefaultValue List<String> previousKeys) {

	public SealingProperties {
		// Checked when the setting is read, so a wrong key stops the start with its name
		// and what is wrong (Spring Boot's "APPLICATION FAILED TO START"), not a stack
		// trace from the bean that uses it.
		if (key != null && !key.isBlank()) {
			SecretSealer.Key.parse(key);
		}
		for (String previous : previousKeys) {
			if (!previous.isBlank()) {
				SecretSealer.Key.parse(previous);
			}
		}
	}

}
