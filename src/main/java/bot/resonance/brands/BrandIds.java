package bot.resonance.brands;

import java.util.Locale;
import java.util.Optional;

import bot.resonance.platform.CharClass;

/** Brand ids are wallet-style addresses: {@code 0x} followed by 40 hex digits. */
public final class BrandIds {

	private static final CharClass HEX = CharClass.of("0-9a-fA-F");

	private BrandIds() {
	}

	/** The canonical (lower-case) form, if {@code value} is a well-formed brand id. */
	public static Optional<String> canonical(String value) {
		if (value.length() != 42 || value.charAt(0) != '0' || (value.charAt(1) != 'x' && value.charAt(1) != 'X')
				|| !HEX.allIn(value, 2, 42)) {
			return Optional.empty();
		}
		return Optional.of(value.toLowerCase(Locale.ROOT));
	}

}
