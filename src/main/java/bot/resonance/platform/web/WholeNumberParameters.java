package bot.resonance.platform.web;

import java.beans.PropertyEditorSupport;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.InitBinder;

/**
 * Reads whole numbers in query parameters, path variables and headers strictly: decimal
 * digits with an optional minus sign and nothing else ({@code 010} is ten). Spring's
 * default reads a blank value ({@code limit=}) as absent and {@code 0x10} or {@code #10}
 * as sixteen; here both are the client's mistake and answered {@code 400} (see
 * {@link ApiExceptionHandler}). Binders with a target (form objects) keep Spring's
 * reading. It applies to the controllers that implement {@link StrictWholeNumbers}.
 */
@ControllerAdvice(assignableTypes = StrictWholeNumbers.class)
class WholeNumberParameters {

	private static final Pattern DIGITS = Pattern.compile("-?[0-9]{1,19}");

	@InitBinder
	void strictWholeNumbers(WebDataBinder binder) {
		if (binder.getTarget() != null) {
			return;
		}
		binder.registerCustomEditor(Integer.class, new WholeNumber(false));
		binder.registerCustomEditor(int.class, new WholeNumber(false));
		binder.registerCustomEditor(Long.class, new WholeNumber(true));
		binder.registerCustomEditor(long.class, new WholeNumber(true));
	}

	private static final class WholeNumber extends PropertyEditorSupport {

		private final boolean wide;

		WholeNumber(boolean wide) {
			this.wide = wide;
		}

		@Override
		public void setAsText(@Nullable String text) {
			if (text == null || !DIGITS.matcher(text).matches()) {
				throw new IllegalArgumentException("not a whole number");
			}
			// NumberFormatException (an IllegalArgumentException) when out of range
			setValue(this.wide ? Long.valueOf(text) : Integer.valueOf(text));
		}

	}

}
