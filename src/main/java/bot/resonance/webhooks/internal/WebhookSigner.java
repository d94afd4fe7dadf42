package bot.resonance.webhooks.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.jspecify.annotations.Nullable;

import bot.resonance.platform.crypto.HmacKey;
import bot.resonance.platform.crypto.WebhookSecrets;

/**
 * Signs deliveries two ways, so receivers can verify with the bot webhook documentation's
 * samples or with any Standard Webhooks library:
 * <ul>
 * <li>{@code X-Signature: sha256=<hex>}: HMAC-SHA256 of the raw body, keyed with the
 * UTF-8 bytes of the whole secret string ({@code whsec_...}), as the documented samples
 * compute it;</li>
 * <li>{@code webhook-signature: v1,<base64>}: HMAC-SHA256 of {@code id.timestamp.body},
 * keyed with the base64-decoded part of the secret after {@code whsec_}, per the Standard
 * Webhooks specification; one signature per active secret, space-separated, during a
 * rotation.</li>
 * </ul>
 */
public final class WebhookSigner {

	private WebhookSigner() {
	}

	/** A new secret: {@code whsec_} and 32 random bytes in base64. */
	public static String newSecret() {
		return WebhookSecrets.newSecret();
	}

	/**
	 * {@code sha256=<hex>} for the {@code X-Signature} header, with the newest secret.
	 */
	public static String xSignature(Secret newest, byte[] body) {
		return "sha256=" + newest.documented().hex(body);
	}

	/** The {@code webhook-signature} header: {@code v1,<base64>} per secret. */
	public static String standardSignature(List<Secret> secrets, String messageId, long timestamp, byte[] body) {
		byte[] prefix = (messageId + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
		List<String> signatures = new ArrayList<>(secrets.size());
		for (Secret secret : secrets) {
			signatures.add("v1," + Base64.getEncoder().encodeToString(secret.standard().sign(prefix, body)));
		}
		return String.join(" ", signatures);
	}

	/**
	 * A signing secret, with its two keys ready.
	 *
	 * @param value the secret as the brand has it ({@code whsec_...})
	 * @param documented the key of {@code X-Signature}: the secret's UTF-8 bytes
	 * @param standard the key of {@code webhook-signature}: the secret's base64 part,
	 * decoded
	 * @param expiresAt when a rotated-out secret stops signing ({@code null}: current)
	 */
	public record Secret(String value, HmacKey documented, HmacKey standard, @Nullable Instant expiresAt) {

		public static Secret of(String value, @Nullable Instant expiresAt) {
			return new Secret(value, HmacKey.of(value), WebhookSecrets.standardKey(value), expiresAt);
		}

		public boolean isActiveAt(Instant now) {
			return this.expiresAt == null || this.expiresAt.isAfter(now);
		}

	}

}
