package bot.resonance.identity;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One identity of a member within a brand.
 *
 * @param brandId the brand
 * @param kind the platform
 * @param value the platform's id, normalised
 */
public record Identity(String brandId, IdentityKind kind, String value) {

	private static final Pattern SNOWFLAKE = Pattern.compile("[0-9]{1,20}");

	/**
	 * A Discord identity, if {@code userId} is a Discord user id (a snowflake: up to 20
	 * digits).
	 */
	public static Optional<Identity> discord(String brandId, String userId) {
		if (!SNOWFLAKE.matcher(userId).matches()) {
			return Optional.empty();
		}
		// Leading zeros never occur in snowflakes; strip them so "007" and "7" are one
		// user.
		String normalised = userId.replaceFirst("^0+(?=.)", "");
		return Optional.of(new Identity(brandId, IdentityKind.DISCORD, normalised));
	}

}
