package bot.resonance.platform.mail;

import java.util.regex.Pattern;

import org.springframework.util.Assert;

/**
 * One plain-text mail to one member.
 *
 * @param to the recipient: a single plain address ({@code name@example.com}) in ASCII, no
 * display name, no list, no spaces
 * @param subject one line of text
 * @param text the body, plain text; sent as UTF-8
 * @throws IllegalArgumentException if {@code to} is not a single plain address or the
 * subject is blank or holds control characters: a line break in either would let text
 * that came from a member add headers (recipients) to the mail
 */
public record OutgoingMail(String to, String subject, String text) {

	/** RFC 5322 {@code atext}: what a dot-atom's parts are made of. */
	private static final String ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";

	/** A host name's label: letters, digits and inner hyphens. */
	private static final String LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";

	/**
	 * {@code local@domain} with a dot-atom local part and a host name: no quoted local
	 * parts, address literals, comments, display names or groups.
	 */
	private static final Pattern PLAIN_ADDRESS = Pattern
		.compile(ATEXT + "(?:\\." + ATEXT + ")*@" + LABEL + "(?:\\." + LABEL + ")*");

	public OutgoingMail {
		Assert.notNull(to, "The recipient is required");
		Assert.notNull(subject, "The subject is required");
		Assert.notNull(text, "The text is required");
		// The limits of RFC 5321 (4.5.3.1): an SMTP server may refuse longer ones.
		int at = to.lastIndexOf('@');
		if (to.length() > 254 || at > 64 || !PLAIN_ADDRESS.matcher(to).matches()) {
			throw new IllegalArgumentException("The recipient must be a single plain email address (name@example.com)");
		}
		if (subject.isBlank() || subject.chars().anyMatch(Character::isISOControl)) {
			throw new IllegalArgumentException("The subject must be one line of text");
		}
	}

}
