package bot.resonance.rewards.internal.types;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * Amount rules: an event that gives no amount, of a type with an {@code amount_field}, is
 * worth {@code floor(metadata[amount_field] × amount_per_unit)}. The field may hold a
 * JSON number or a decimal string ({@code "89.99"}, as Shopify sends prices). Numbers are
 * read exactly, never through a {@code double}.
 */
public final class AmountRules {

	/** The largest reward any event may carry. */
	public static final long MAX_AMOUNT = 1_000_000_000_000_000L;

	/** A decimal written the plain way: {@code 89.99}, {@code -3}, {@code 1000}. */
	private static final Pattern DECIMAL = Pattern.compile("-?[0-9]{1,100}(\\.[0-9]{1,100})?");

	private static final JsonFactory FACTORY = JsonFactory.builder().build();

	private AmountRules() {
	}

	/**
	 * The amount an event of {@code type} is worth by its metadata.
	 * @param type a type with an amount rule
	 * @param metadataJson the event's metadata object, if any
	 */
	public static Result amountOf(EventType type, @Nullable String metadataJson) {
		String field = type.amountField();
		if (field == null) {
			throw new IllegalArgumentException("Event type '" + type.name() + "' has no amount rule");
		}
		String rule = "event type '" + type.name() + "' pays " + type.perUnit().toPlainString()
				+ " per unit of metadata." + field;
		Value value = (metadataJson != null) ? read(metadataJson, field) : new Value(null, false);
		if (value.number == null) {
			return new Result.Problem(value.present
					? "metadata." + field + " must be a number or a numeric string (such as \"89.99\"): " + rule + "."
					: "metadata." + field + " is required when no amount is given: " + rule + ".");
		}
		BigDecimal amount = value.number.multiply(type.perUnit()).setScale(0, RoundingMode.FLOOR);
		if (amount.signum() <= 0) {
			return new Result.Problem("metadata." + field + " (" + value.number.toPlainString() + ") is worth "
					+ amount.toPlainString() + ", less than 1: " + rule + ".");
		}
		if (amount.compareTo(BigDecimal.valueOf(MAX_AMOUNT)) > 0) {
			return new Result.Problem("metadata." + field + " (" + value.number.toPlainString()
					+ ") is worth more than the largest amount an event may carry (" + MAX_AMOUNT + "): " + rule + ".");
		}
		return new Result.Amount(amount.longValueExact());
	}

	/**
	 * A per-unit value as stored and shown: no trailing zeros, never in exponent form.
	 */
	public static @Nullable BigDecimal normalise(@Nullable BigDecimal value) {
		if (value == null) {
			return null;
		}
		BigDecimal stripped = value.stripTrailingZeros();
		return (stripped.scale() < 0) ? stripped.setScale(0) : stripped;
	}

	/** Reads one top-level field of a metadata object. */
	private static Value read(String metadataJson, String field) {
		try (JsonParser parser = FACTORY.createParser(ObjectReadContext.empty(), metadataJson)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				return new Value(null, false);
			}
			while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
				String name = parser.currentName();
				JsonToken token = parser.nextToken();
				if (!name.equals(field)) {
					parser.skipChildren();
					continue;
				}
				return switch (token) {
					case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> new Value(decimal(parser), true);
					case VALUE_STRING -> {
						String text = parser.getString().strip();
						yield new Value(DECIMAL.matcher(text).matches() ? new BigDecimal(text) : null, true);
					}
					case VALUE_NULL -> new Value(null, false);
					default -> new Value(null, true);
				};
			}
			return new Value(null, false);
		}
		catch (JacksonException ex) {
			// Stored metadata is valid JSON; anything else simply has no usable field.
			return new Value(null, false);
		}
	}

	private static @Nullable BigDecimal decimal(JsonParser parser) {
		try {
			return parser.getDecimalValue();
		}
		catch (NumberFormatException | ArithmeticException ex) {
			return null;
		}
	}

	private record Value(@Nullable BigDecimal number, boolean present) {
	}

	/** The amount by the rule, or why there is none. */
	public sealed interface Result {

		/** The event is worth {@code amount}. */
		record Amount(long amount) implements Result {
		}

		/** The rule cannot price the event; {@code message} names the field. */
		record Problem(String message) implements Result {
		}

	}

}
