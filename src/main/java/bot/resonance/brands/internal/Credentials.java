package bot.resonance.brands.internal;

import java.util.Optional;

import bot.resonance.brands.BrandIds;
import bot.resonance.platform.crypto.Hashing;
import bot.resonance.platform.crypto.RandomTokens;

/**
 * The formats of a brand's credentials.
 * <ul>
 * <li>Secret key (signs event API requests): {@code rsk_} + 40 base62 characters.</li>
 * <li>API key (management API): {@code rsn_} + the brand id's 40 hex digits + {@code _} +
 * 32 base62 characters. Only its SHA-256 is stored.</li>
 * </ul>
 */
public final class Credentials {

	static final String SECRET_KEY_PREFIX = "rsk_";

	static final String API_KEY_PREFIX = "rsn_";

	private Credentials() {
	}

	public static String newSecretKey() {
		return SECRET_KEY_PREFIX + RandomTokens.base62(40);
	}

	public static String newApiKey(String brandId) {
		return API_KEY_PREFIX + brandId.substring(2) + "_" + RandomTokens.base62(32);
	}

	public static String apiKeyHash(String apiKey) {
		return Hashing.hex(Hashing.sha256(apiKey));
	}

	/** The last four characters, shown to help operators tell keys apart. */
	public static String apiKeyHint(String apiKey) {
		return apiKey.substring(apiKey.length() - 4);
	}

	/** The brand an API key names, if it is shaped like one. */
	public static Optional<String> brandOfApiKey(String apiKey) {
		int brandStart = API_KEY_PREFIX.length();
		if (!apiKey.startsWith(API_KEY_PREFIX) || apiKey.length() < brandStart + 42
				|| apiKey.charAt(brandStart + 40) != '_') {
			return Optional.empty();
		}
		return BrandIds.canonical("0x" + apiKey.substring(brandStart, brandStart + 40));
	}

}
