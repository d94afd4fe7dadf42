package bot.resonance.platform.web;

import java.math.BigDecimal;

/**
 * What PostgreSQL cannot store in text: the NUL character, and UTF-16 surrogates that do
 * not pair up (they have no UTF-8 encoding). Input with either is refused with a 400, and
 * text recorded for the record is cleaned. And which JSON numbers are kept in
 * {@code jsonb}.
 */
public final class TextChecks {

	/** The longest number a stored JSON document holds, written out in full. */
	public static final int MAX_NUMBER_DIGITS = 1000;

	private TextChecks() {
	}

	/**
	 * Whether a JSON number stays readable once stored: {@code jsonb} writes numbers out
	 * in full ({@code 1e300} comes back as 301 digits, and {@code 1e200000} is beyond
	 * what it takes at all), and common JSON parsers refuse numbers longer than
	 * {@link #MAX_NUMBER_DIGITS} characters.
	 */
	public static boolean isStorableNumber(BigDecimal number) {
		long integerDigits = Math.max(1L, (long) number.precision() - number.scale());
		long fractionDigits = Math.max(0L, number.scale());
		return integerDigits + fractionDigits <= MAX_NUMBER_DIGITS;
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
