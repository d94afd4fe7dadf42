package bot.resonance.brands;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Brand ids are wallet-style addresses: {@code 0x} followed by 40 hex digits. */
public final class BrandIds {

	private static final Pattern ADDRESS = Pattern.compile("0[xX][0-9a-fA-F]{40}");

	private BrandIds() {
	}

	/** The canonical (lower-case) form, if {@code value} is a well-formed brand id. */
	public static Optional<String> canonical(String value) {
		if (!ADDRESS.matcher(value).matches()) {
			return Optional.empty();
		}
		return Optional.of(value.toLowerCase(Locale.ROOT));
	}

}
