package bot.resonance.platform.web;

import java.util.HexFormat;

/**
 * Strict UTF-8 (RFC 3629). JSON between systems is UTF-8 (RFC 8259), and a signed body
 * must mean exactly what its bytes say: a lenient decoder reads the overlong
 * {@code C0 B1} as {@code "1"}, so two different signed bodies would name the same user.
 * Overlong forms, encoded UTF-16 surrogates, code points above U+10FFFF, stray
 * continuation bytes and truncated sequences are all refused.
 */
public final class Utf8 {

	private Utf8() {
	}

	/**
	 * The offset of the first byte that does not start a well-formed UTF-8 sequence, or
	 * {@code -1} if all of {@code bytes} is well-formed.
	 */
	public static int malformedAt(byte[] bytes) {
		int i = 0;
		int n = bytes.length;
		while (i < n) {
			int b = bytes[i] & 0xff;
			if (b < 0x80) {
				i++;
				continue;
			}
			int length;
			int low = 0x80;
			int high = 0xbf;
			if (b >= 0xc2 && b <= 0xdf) {
				length = 2;
			}
			else if (b >= 0xe0 && b <= 0xef) {
				length = 3;
				if (b == 0xe0) {
					low = 0xa0; // below is overlong
				}
				else if (b == 0xed) {
					high = 0x9f; // above are the surrogates D800-DFFF
				}
			}
			else if (b >= 0xf0 && b <= 0xf4) {
				length = 4;
				if (b == 0xf0) {
					low = 0x90; // below is overlong
				}
				else if (b == 0xf4) {
					high = 0x8f; // above is past U+10FFFF
				}
			}
			else {
				return i; // C0, C1 (overlong), F5-FF, or a continuation byte on its own
			}
			if (i + length > n) {
				return i;
			}
			int second = bytes[i + 1] & 0xff;
			if (second < low || second > high) {
				return i;
			}
			for (int k = 2; k < length; k++) {
				if ((bytes[i + k] & 0xc0) != 0x80) {
					return i;
				}
			}
			i += length;
		}
		return -1;
	}

	/**
	 * Refuses a request body that is not well-formed UTF-8, naming where and what.
	 * @throws ApiException {@code invalid_request}
	 */
	public static void require(byte[] body) {
		int at = malformedAt(body);
		if (at >= 0) {
			throw ApiException.invalidRequest(problem(body, at));
		}
	}

	/** What is wrong with {@code body} at {@code at}, for an error message. */
	public static String problem(byte[] body, int at) {
		int end = Math.min(body.length, at + 4);
		return "The request body is not well-formed UTF-8: the bytes at offset " + at + " ("
				+ HexFormat.ofDelimiter(" ").formatHex(body, at, end)
				+ ") are not a valid UTF-8 sequence (overlong forms, encoded surrogates and truncated "
				+ "sequences are refused). Send the body encoded as UTF-8.";
	}

}
