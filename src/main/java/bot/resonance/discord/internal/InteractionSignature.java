package bot.resonance.discord.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.regex.Pattern;

import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.jspecify.annotations.Nullable;

/**
 * Discord's request signature: Ed25519 (RFC 8032) over {@code X-Signature-Timestamp}
 * followed by the raw body, with the application's public key. Anything missing,
 * malformed, of the wrong length or not verifying is simply invalid; so is a timestamp
 * too far from the server's time ({@link #isFresh}).
 *
 * <p>
 * Verification uses Bouncy Castle's RFC 8032 implementation with the key decoded once:
 * several times faster than the JDK's EdDSA, and it is on every interaction's path.
 */
final class InteractionSignature {

	private static final Pattern HEX_64 = Pattern.compile("[0-9a-fA-F]{64}");

	private static final Pattern HEX_128 = Pattern.compile("[0-9a-fA-F]{128}");

	static {
		Ed25519.precompute();
	}

	private final Ed25519.PublicPoint key;

	private InteractionSignature(Ed25519.PublicPoint key) {
		this.key = key;
	}

	/**
	 * The verifier for a public key of 64 hex digits.
	 * @throws IllegalArgumentException if it is not one
	 */
	static InteractionSignature of(String publicKeyHex) {
		String hex = publicKeyHex.strip();
		if (!HEX_64.matcher(hex).matches()) {
			throw new IllegalArgumentException(
					"DISCORD_INTERACTIONS_PUBLIC_KEY must be the application's public key: 64 hexadecimal digits");
		}
		Ed25519.PublicPoint key = Ed25519.validatePublicKeyFullExport(HexFormat.of().parseHex(hex), 0);
		if (key == null) {
			throw new IllegalArgumentException("DISCORD_INTERACTIONS_PUBLIC_KEY is not an Ed25519 public key");
		}
		return new InteractionSignature(key);
	}

	boolean verifies(@Nullable String signatureHex, @Nullable String timestamp, byte[] body) {
		if (signatureHex == null || timestamp == null || timestamp.isEmpty() || timestamp.length() > 64
				|| !HEX_128.matcher(signatureHex).matches()) {
			return false;
		}
		byte[] stamp = timestamp.getBytes(StandardCharsets.UTF_8);
		byte[] message = new byte[stamp.length + body.length];
		System.arraycopy(stamp, 0, message, 0, stamp.length);
		System.arraycopy(body, 0, message, stamp.length, body.length);
		return verifies(HexFormat.of().parseHex(signatureHex), message);
	}

	/**
	 * Whether {@code timestamp} (Unix seconds, as Discord sends it) is within
	 * {@code tolerance} of {@code now}: a signature made longer ago is a captured
	 * request, replayed.
	 */
	static boolean isFresh(@Nullable String timestamp, Instant now, Duration tolerance) {
		if (timestamp == null || timestamp.isEmpty() || timestamp.length() > 12) {
			return false;
		}
		for (int i = 0; i < timestamp.length(); i++) {
			if (timestamp.charAt(i) < '0' || timestamp.charAt(i) > '9') {
				return false;
			}
		}
		return Math.abs(now.getEpochSecond() - Long.parseLong(timestamp)) <= tolerance.toSeconds();
	}

	/** Whether {@code signature} (64 bytes) signs {@code message} under the key. */
	boolean verifies(byte[] signature, byte[] message) {
		return signature.length == Ed25519.SIGNATURE_SIZE
				&& Ed25519.verify(signature, 0, this.key, message, 0, message.length);
	}

}
