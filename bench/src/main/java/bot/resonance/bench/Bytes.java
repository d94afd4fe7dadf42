package bot.resonance.bench;

/**
 * Byte-level helpers of the benchmark's hand-written HTTP clients and receiver: writing
 * ASCII and decimal numbers into a buffer, and finding bytes and case-insensitive ASCII
 * text in one, without allocating.
 */
final class Bytes {

	private Bytes() {
	}

	/** Writes {@code text} (ASCII) at {@code at}; returns the position after it. */
	static int ascii(byte[] target, int at, String text) {
		for (int i = 0; i < text.length(); i++) {
			target[at++] = (byte) text.charAt(i);
		}
		return at;
	}

	/** Writes {@code value} (not negative) in decimal at {@code at}; returns the position after it. */
	static int digits(byte[] target, int at, long value) {
		int length = 1;
		for (long v = value; v >= 10; v /= 10) {
			length++;
		}
		long v = value;
		for (int i = at + length - 1; i >= at; i--, v /= 10) {
			target[i] = (byte) ('0' + v % 10);
		}
		return at + length;
	}

	/** Where {@code needle} first starts in {@code data[from, to)}, or -1. */
	static int indexOf(byte[] data, int from, int to, byte... needle) {
		outer: for (int i = from; i <= to - needle.length; i++) {
			for (int j = 0; j < needle.length; j++) {
				if (data[i + j] != needle[j]) {
					continue outer;
				}
			}
			return i;
		}
		return -1;
	}

	/** Whether {@code data[from, to)} starts with {@code lowerCase}, ignoring ASCII case. */
	static boolean startsWithIgnoreCase(byte[] data, int from, int to, String lowerCase) {
		if (to - from < lowerCase.length()) {
			return false;
		}
		for (int i = 0; i < lowerCase.length(); i++) {
			int c = data[from + i];
			if (c >= 'A' && c <= 'Z') {
				c += 'a' - 'A';
			}
			if (c != lowerCase.charAt(i)) {
				return false;
			}
		}
		return true;
	}

	/** Whether {@code data[from, to)} contains {@code lowerCase}, ignoring ASCII case. */
	static boolean containsIgnoreCase(byte[] data, int from, int to, String lowerCase) {
		for (int i = from; i <= to - lowerCase.length(); i++) {
			if (startsWithIgnoreCase(data, i, to, lowerCase)) {
				return true;
			}
		}
		return false;
	}

}
