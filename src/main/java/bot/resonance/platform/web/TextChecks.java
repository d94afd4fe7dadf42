package bot.resonance.platform.web;

/**
 * What PostgreSQL cannot store in text: the NUL character, and UTF-16 surrogates that do
 * not pair up (they have no UTF-8 encoding). Input with either is refused with a 400, and
 * text recorded for the record is cleaned.
 */
public final class TextChecks {

	private TextChecks() {
	}

	/** Whether {@code text} can be stored as it is. */
	public static boolean isStorable(String text) {
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '\u0000') {
				return false;
			}
			if (Character.isHighSurrogate(c)) {
				if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
					return false;
				}
				i++;
			}
			else if (Character.isLowSurrogate(c)) {
				return false;
			}
		}
		return true;
	}

	/** {@code text} without NULs, unpaired surrogates replaced by U+FFFD. */
	public static String clean(String text) {
		if (isStorable(text)) {
			return text;
		}
		StringBuilder out = new StringBuilder(text.length());
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '\u0000') {
				continue;
			}
			if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
				out.append(c).append(text.charAt(++i));
			}
			else if (Character.isSurrogate(c)) {
				out.append('\uFFFD');
			}
			else {
				out.append(c);
			}
		}
		return out.toString();
	}

}
