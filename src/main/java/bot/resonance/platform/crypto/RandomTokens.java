package bot.resonance.platform.crypto;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Unguessable tokens for secrets and keys, drawn from {@link SecureRandom}.
 */
public final class RandomTokens {

	private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

	/**
	 * 248: bytes at or above it are skipped, as they would favour the first characters.
	 */
	private static final int UNBIASED_BELOW = 256 - 256 % BASE62.length;

	private static final SecureRandom RANDOM = new SecureRandom();

	private RandomTokens() {
	}

	/**
	 * {@code length} characters of base62: about 5.95 bits of entropy each. The random
	 * bytes are drawn a buffer at a time (one call to the generator per token, not one
	 * per character); a byte maps to a character only below 248, the largest multiple of
	 * 62 a byte holds, so every character is equally likely.
	 */
	public static String base62(int length) {
		char[] out = new char[length];
		byte[] bytes = new byte[length + length / 8 + 2];
		int filled = 0;
		while (filled < length) {
			RANDOM.nextBytes(bytes);
			for (int i = 0; i < bytes.length && filled < length; i++) {
				int value = bytes[i] & 0xFF;
				if (value < UNBIASED_BELOW) {
					out[filled++] = BASE62[value % BASE62.length];
				}
			}
		}
		return new String(out);
	}

	/** {@code bytes} random bytes as lower-case hex. */
	public static String hex(int bytes) {
		byte[] buffer = new byte[bytes];
		RANDOM.nextBytes(buffer);
		return HexFormat.of().formatHex(buffer);
	}

}
