package bot.resonance.platform.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An HMAC-SHA256 key ready to sign: the {@link Mac} is looked up and initialised once and
 * cloned for each use, which costs a fraction of {@code Mac.getInstance} and
 * {@code init}. Safe for concurrent use.
 */
public final class HmacKey {

	private final Mac prototype;

	private HmacKey(Mac prototype) {
		this.prototype = prototype;
	}

	/** A key from the UTF-8 bytes of {@code secret}, as the seed's samples use it. */
	public static HmacKey of(String secret) {
		return of(secret.getBytes(StandardCharsets.UTF_8));
	}

	/** A key from raw bytes. */
	public static HmacKey of(byte[] key) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(key, "HmacSHA256"));
			return new HmacKey(mac);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is part of every JDK", ex);
		}
	}

	/** The lower-case hex HMAC of the concatenated parts. */
	public String hex(byte[]... parts) {
		return Hashing.hex(sign(parts));
	}

	/** The HMAC of the concatenated parts. */
	public byte[] sign(byte[]... parts) {
		Mac mac = copy();
		for (byte[] part : parts) {
			mac.update(part);
		}
		return mac.doFinal();
	}

	private Mac copy() {
		try {
			return (Mac) this.prototype.clone();
		}
		catch (CloneNotSupportedException ex) {
			throw new IllegalStateException("The HmacSHA256 provider cannot clone", ex);
		}
	}

}
