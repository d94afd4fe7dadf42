package bot.resonance.platform.crypto;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Signing secrets in the Standard Webhooks format, {@code whsec_} and 32 random bytes in
 * base64, shared by outgoing and incoming webhooks.
 */
public final class WebhookSecrets {

	public static final String PREFIX = "whsec_";

	private static final SecureRandom RANDOM = new SecureRandom();

	private WebhookSecrets() {
	}

	/** A new secret. */
	public static String newSecret() {
		byte[] key = new byte[32];
		RANDOM.nextBytes(key);
		return PREFIX + Base64.getEncoder().encodeToString(key);
	}

	/**
	 * The Standard Webhooks signing key of a secret: its base64 part (after
	 * {@code whsec_}), decoded.
	 * @throws IllegalArgumentException if that part is not base64
	 */
	public static HmacKey standardKey(String secret) {
		String encoded = secret.startsWith(PREFIX) ? secret.substring(PREFIX.length()) : secret;
		return HmacKey.of(Base64.getDecoder().decode(encoded));
	}

}
