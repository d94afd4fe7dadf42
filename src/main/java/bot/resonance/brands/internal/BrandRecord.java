package bot.resonance.brands.internal;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

import bot.resonance.brands.Brand;
import bot.resonance.platform.crypto.HmacKey;

/**
 * A brand with its credentials, as cached by each node.
 *
 * @param brand the brand
 * @param secrets HMAC secret keys, newest first
 * @param apiKeys SHA-256 hashes of API keys, newest first
 */
public record BrandRecord(Brand brand, List<Secret> secrets, List<Credential> apiKeys) {

	/**
	 * A secret key, ready to verify signatures, and when it stops working ({@code null}:
	 * never).
	 */
	public record Secret(HmacKey key, @Nullable Instant expiresAt) {

		public boolean isActiveAt(Instant now) {
			return this.expiresAt == null || this.expiresAt.isAfter(now);
		}

	}

	/** An API key hash (hex), with when it stops working ({@code null}: never). */
	public record Credential(String value, @Nullable Instant expiresAt) {

		public boolean isActiveAt(Instant now) {
			return this.expiresAt == null || this.expiresAt.isAfter(now);
		}

	}

}
