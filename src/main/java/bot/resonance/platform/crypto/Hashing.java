package bot.resonance.platform.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256, hex and constant-time comparison, the primitives behind every stored
 * credential in Resonance ({@link HmacKey} signs).
 */
public final class Hashing {

	private static final HexFormat HEX = HexFormat.of();

	private Hashing() {
	}

	public static byte[] sha256(byte[] data) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(data);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is part of every JDK", ex);
		}
	}

	public static byte[] sha256(String text) {
		return sha256(text.getBytes(StandardCharsets.UTF_8));
	}

	public static String hex(byte[] bytes) {
		return HEX.formatHex(bytes);
	}

	/**
	 * Compares two strings in time that depends only on their lengths, never on where
	 * they first differ.
	 */
	public static boolean constantTimeEquals(String a, String b) {
		return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
	}

}
