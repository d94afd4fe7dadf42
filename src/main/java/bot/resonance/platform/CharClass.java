package bot.resonance.platform;

/**
 * A set of ASCII characters, such as {@code a-z0-9_}, that tells whether text is made of
 * them only: what a regular expression like {@code [a-z0-9_]{1,64}} checks, without a
 * matcher per call, for checks on the event API's every request.
 */
public final class CharClass {

	private final boolean[] members = new boolean[128];

	private CharClass() {
	}

	/**
	 * The characters {@code spec} lists: single characters and ranges ({@code a-z}); a
	 * {@code -} first or last stands for itself.
	 */
	public static CharClass of(String spec) {
		CharClass set = new CharClass();
		for (int i = 0; i < spec.length(); i++) {
			char from = spec.charAt(i);
			char to = from;
			if (i + 2 < spec.length() && spec.charAt(i + 1) == '-') {
				to = spec.charAt(i + 2);
				i += 2;
			}
			if (from > to || to >= 128) {
				throw new IllegalArgumentException("Not a range of ASCII characters in '" + spec + "'");
			}
			for (char c = from; c <= to; c++) {
				set.members[c] = true;
			}
		}
		return set;
	}

	public boolean contains(char c) {
		return c < 128 && this.members[c];
	}

	/**
	 * Whether {@code text} has {@code min} to {@code max} characters, all of them in this
	 * set.
	 */
	public boolean matches(CharSequence text, int min, int max) {
		return text.length() >= min && text.length() <= max && allIn(text, 0, text.length());
	}

	/**
	 * Whether the characters of {@code text} from {@code from} (inclusive) to {@code to}
	 * are all in this set.
	 */
	public boolean allIn(CharSequence text, int from, int to) {
		for (int i = from; i < to; i++) {
			if (!contains(text.charAt(i))) {
				return false;
			}
		}
		return true;
	}

}
