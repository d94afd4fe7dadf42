package bot.resonance.platform.web;

import java.util.Locale;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.exc.StreamConstraintsException;

/**
 * What a client is told when a body is well-formed JSON that goes beyond what the JSON
 * reader takes (nesting, the length of a number or of a field name), instead of hearing
 * that it is not JSON.
 */
public final class JsonLimits {

	private JsonLimits() {
	}

	/** The limits, said for a client; {@code null} if {@code ex} is not about them. */
	public static @Nullable String problem(JacksonException ex) {
		if (!(ex instanceof StreamConstraintsException)) {
			return null;
		}
		StreamReadConstraints limits = StreamReadConstraints.defaults();
		return String.format(Locale.ROOT,
				"The body goes beyond what Resonance reads as JSON: at most %,d levels of nesting, numbers of at "
						+ "most %,d characters and field names of at most %,d characters.",
				limits.getMaxNestingDepth(), limits.getMaxNumberLength(), limits.getMaxNameLength());
	}

}
