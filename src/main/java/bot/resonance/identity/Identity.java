package bot.resonance.identity;

import java.util.Optional;

/**
 * One identity of a member within a brand.
 *
 * @param brandId the brand
 * @param kind the platform
 * @param value the platform's id, normalised
 */
public record Identity(String brandId, IdentityKind kind, String value) {

	/**
	 * A Discord identity, if {@code userId} is a Discord user id (a snowflake: up to 20
	 * digits).
	 */
	public static Optional<Identity> discord(String brandId, String userId) {
		int length = userId.length();
		if (length == 0 || length > 20) {
			return Optional.empty();
		}
		int zeros = 0;
		for (int i = 0; i < length; i++) {
			char c = userId.charAt(i);
			if (c < '0' || c > '9') {
				return Optional.empty();
			}
			if (c == '0' && zeros == i) {
				zeros++;
			}
		}
		// Leading zeros never occur in snowflakes; strip them so "007" and "7" are one
		// user (and "000" is "0"). Checked on every event, so by hand rather than with
		// regular expressions.
		String normalised = userId.substring(Math.min(zeros, length - 1));
		return Optional.of(new Identity(brandId, IdentityKind.DISCORD, normalised));
	}

}
