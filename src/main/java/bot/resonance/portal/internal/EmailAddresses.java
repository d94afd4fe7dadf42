package bot.resonance.portal.internal;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Portal users' email addresses: plain {@code local@domain} (the shape mail can be sent
 * to), compared lower-cased.
 */
final class EmailAddresses {

	private static final String ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";

	private static final String LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";

	private static final Pattern PLAIN_ADDRESS = Pattern
		.compile(ATEXT + "(?:\\." + ATEXT + ")*@" + LABEL + "(?:\\." + LABEL + ")+");

	private EmailAddresses() {
	}

	/** The address trimmed and lower-cased, if it is a plain address. */
	static Optional<String> normalize(@Nullable String email) {
		if (email == null) {
			return Optional.empty();
		}
		String trimmed = email.strip().toLowerCase(Locale.ROOT);
		int at = trimmed.lastIndexOf('@');
		if (trimmed.length() > 254 || at > 64 || !PLAIN_ADDRESS.matcher(trimmed).matches()) {
			return Optional.empty();
		}
		return Optional.of(trimmed);
	}

}
