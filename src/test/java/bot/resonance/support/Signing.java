package bot.resonance.support;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs the way senders do: HMAC-SHA256 over exact bytes, in hex, base64 or Standard
 * Webhooks headers.
 */
public final class Signing {

	private Signing() {
	}

	public static byte[] hmac(byte[] key, byte[] message) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(key, "HmacSHA256"));
			return mac.doFinal(message);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The HMAC keyed with the UTF-8 bytes of {@code key}, as the seeds' samples key it.
	 */
	public static byte[] hmac(String key, byte[] message) {
		return hmac(key.getBytes(StandardCharsets.UTF_8), message);
	}

	public static String hex(byte[] bytes) {
		return HexFormat.of().formatHex(bytes);
	}

	public static String base64(byte[] bytes) {
		return Base64.getEncoder().encodeToString(bytes);
	}

	/**
	 * {@code webhook-id}, {@code webhook-timestamp} and {@code webhook-signature} for
	 * exactly these bytes, keyed with the base64 part of a {@code whsec_} secret.
	 */
	public static Map<String, String> standardWebhook(String secret, String id, long timestamp, byte[] body) {
		byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
		byte[] prefix = (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
		byte[] signed = new byte[prefix.length + body.length];
		System.arraycopy(prefix, 0, signed, 0, prefix.length);
		System.arraycopy(body, 0, signed, prefix.length, body.length);
		return Map.of("webhook-id", id, "webhook-timestamp", Long.toString(timestamp), "webhook-signature",
				"v1," + base64(hmac(key, signed)));
	}

}
