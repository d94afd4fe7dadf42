package bot.resonance.platform.crypto;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Authenticated encryption (AES-256-GCM) for data kept at rest that only its owner should
 * read, such as a stored response that carries a freshly issued credential. A sealed box
 * is the 12-byte nonce followed by the ciphertext and its 16-byte tag.
 */
public final class Sealing {

	private static final int NONCE_BYTES = 12;

	private static final int TAG_BITS = 128;

	private static final SecureRandom RANDOM = new SecureRandom();

	private Sealing() {
	}

	/** A 256-bit key derived from a secret, separated by purpose. */
	public static byte[] deriveKey(String purpose, String secret) {
		return Hashing.sha256(purpose + ":" + secret);
	}

	public static byte[] seal(byte[] key, byte[] plaintext) {
		return seal(key, plaintext, new byte[0]);
	}

	/**
	 * Seals {@code plaintext} bound to {@code context}: the box opens only with the same
	 * context, so a sealed value cannot be moved to another purpose.
	 */
	public static byte[] seal(byte[] key, byte[] plaintext, byte[] context) {
		byte[] nonce = new byte[NONCE_BYTES];
		RANDOM.nextBytes(nonce);
		try {
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
			cipher.updateAAD(context);
			byte[] sealed = Arrays.copyOf(nonce, NONCE_BYTES + plaintext.length + TAG_BITS / 8);
			cipher.doFinal(plaintext, 0, plaintext.length, sealed, NONCE_BYTES);
			return sealed;
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("AES-GCM is part of every JDK", ex);
		}
	}

	/**
	 * Opens a sealed box.
	 * @throws IllegalArgumentException if the key is wrong or the box was altered
	 */
	public static byte[] open(byte[] key, byte[] sealed) {
		return open(key, sealed, new byte[0]);
	}

	/**
	 * Opens a box sealed with {@code context}.
	 * @throws IllegalArgumentException if the key or the context is wrong or the box was
	 * altered
	 */
	public static byte[] open(byte[] key, byte[] sealed, byte[] context) {
		if (sealed.length < NONCE_BYTES + TAG_BITS / 8) {
			throw new IllegalArgumentException("Not a sealed box");
		}
		try {
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"),
					new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
			cipher.updateAAD(context);
			return cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
		}
		catch (javax.crypto.AEADBadTagException ex) {
			throw new IllegalArgumentException("The sealed box does not open with this key", ex);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("AES-GCM is part of every JDK", ex);
		}
	}

}
