package bot.resonance.platform.crypto;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Unguessable tokens for secrets and keys, drawn from {@link SecureRandom}.
 */
public final class RandomTokens {

	private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

	private static final SecureRandom RANDOM = new SecureRandom();

	private RandomTokens() {
	}

	/** {@code length} characters of base62: about 5.95 bits of entropy each. */
	public static String base62(int length) {
		char[] out = new char[length];
		for (int i = 0; i < length; i++) {
			out[i] = BASE62[RANDOM.nextInt(BASE62.length)];
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
