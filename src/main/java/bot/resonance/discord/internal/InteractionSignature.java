package bot.resonance.discord.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Discord's request signature: Ed25519 over {@code X-Signature-Timestamp} followed by the
 * raw body, with the application's public key. Anything missing, malformed, of the wrong
 * length or not verifying is simply invalid.
 */
final class InteractionSignature {

	/** DER prefix of an X.509 SubjectPublicKeyInfo for a raw 32-byte Ed25519 key. */
	private static final byte[] ED25519_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

	private static final Pattern HEX_64 = Pattern.compile("[0-9a-fA-F]{64}");

	private static final Pattern HEX_128 = Pattern.compile("[0-9a-fA-F]{128}");

	private final PublicKey key;

	private InteractionSignature(PublicKey key) {
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
		byte[] raw = HexFormat.of().parseHex(hex);
		byte[] encoded = new byte[ED25519_PREFIX.length + raw.length];
		System.arraycopy(ED25519_PREFIX, 0, encoded, 0, ED25519_PREFIX.length);
		System.arraycopy(raw, 0, encoded, ED25519_PREFIX.length, raw.length);
		try {
			return new InteractionSignature(
					KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(encoded)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalArgumentException("DISCORD_INTERACTIONS_PUBLIC_KEY is not an Ed25519 public key", ex);
		}
	}

	boolean verifies(@Nullable String signatureHex, @Nullable String timestamp, byte[] body) {
		if (signatureHex == null || timestamp == null || timestamp.isEmpty() || timestamp.length() > 64
				|| !HEX_128.matcher(signatureHex).matches()) {
			return false;
		}
		try {
			Signature verifier = Signature.getInstance("Ed25519");
			verifier.initVerify(this.key);
			verifier.update(timestamp.getBytes(StandardCharsets.UTF_8));
			verifier.update(body);
			return verifier.verify(HexFormat.of().parseHex(signatureHex));
		}
		catch (GeneralSecurityException | IllegalArgumentException ex) {
			return false;
		}
	}

}
