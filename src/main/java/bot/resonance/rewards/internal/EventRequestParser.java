package bot.resonance.rewards.internal;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;

import bot.resonance.rewards.internal.types.AmountRules;
import bot.resonance.rewards.internal.types.EventType;
import bot.resonance.platform.CharClass;
import bot.resonance.platform.web.ApiException;
import bot.resonance.platform.web.JsonLimits;
import bot.resonance.platform.web.TextChecks;
import bot.resonance.platform.web.Utf8;
import bot.resonance.rewards.EventRequest;
import bot.resonance.rewards.ManualEventBody;
import org.springframework.stereotype.Component;

/**
 * Reads an event API body in one pass with a streaming parser (the event API's hottest
 * code: no tree is built, and {@code metadata} is kept as the exact text the client
 * sent). A body that is not a JSON object with a {@code brand_id} cannot be checked
 * against a brand's signature and is refused outright; any other problem is reported in
 * the {@link EventRequest}, which is then recorded and answered {@code INVALID_REQUEST}.
 * Duplicate keys make a body invalid JSON: a signed body must mean one thing.
 */
@Component
public class EventRequestParser {

	/** The largest amount one event may carry, whatever its type allows. */
	static final long MAX_AMOUNT = AmountRules.MAX_AMOUNT;

	/** The longest number metadata may hold, written out in full. */
	static final int MAX_NUMBER_DIGITS = TextChecks.MAX_NUMBER_DIGITS;

	/** Fields of the event API's body that a manual event does not have. */
	private static final Set<String> EVENT_ONLY = Set.of("event_type", "user_id", "server_id");

	/** Fields of a manual event's body that the event API's does not have. */
	private static final Set<String> MANUAL_ONLY = Set.of("event", "email");

	private static final CharClass DIGITS = CharClass.of("0-9");

	private final JsonFactory factory = JsonFactory.builder()
		.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
		.build();

	Parsed parse(byte[] body) {
		Fields fields = read(body, false);
		if (fields.brandId == null || fields.brandId.isBlank()) {
			throw ApiException.invalidRequest("brand_id is required: your brand's wallet address (a string).");
		}
		return new Parsed(fields.brandId.trim(), fields.request());
	}

	/**
	 * Reads a manual event body ({@code event}, {@code email}, {@code metadata}, and
	 * optionally {@code brand_id} and {@code amount}).
	 */
	public ManualEventBody parseManual(byte[] body) {
		Fields fields = read(body, true);
		return new ManualEventBody((fields.brandId != null) ? fields.brandId.trim() : null, fields.manualRequest(),
				fields.email);
	}

	private Fields read(byte[] body, boolean manual) {
		requireUtf8(body);
		Fields fields = new Fields();
		try (JsonParser parser = this.factory.createParser(ObjectReadContext.empty(), body)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				throw ApiException.invalidRequest("The request body must be a JSON object.");
			}
			JsonToken token;
			while ((token = parser.nextToken()) == JsonToken.PROPERTY_NAME) {
				String name = parser.currentName();
				JsonToken value = parser.nextToken();
				if ((manual ? EVENT_ONLY : MANUAL_ONLY).contains(name)) {
					// The other kind's field (a manual event names its type with event
					// and
					// its member with email): ignored, like any other.
					parser.skipChildren();
					continue;
				}
				switch (name) {
					case "brand_id" -> fields.brandId = string(parser, value, fields, name);
					case "event_type", "event" -> fields.eventType = string(parser, value, fields, name);
					case "user_id" -> fields.userId = string(parser, value, fields, name);
					case "server_id" -> fields.serverId = string(parser, value, fields, name);
					case "amount" -> fields.amount = amount(parser, value, fields);
					case "metadata" -> fields.metadata = metadata(parser, value, body, fields);
					case "email" -> fields.email = string(parser, value, fields, name);
					default -> parser.skipChildren(); // other fields are ignored
				}
			}
			if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
				throw ApiException
					.invalidRequest("The request body is not valid JSON: it must be a single JSON object.");
			}
		}
		catch (JacksonException ex) {
			String limits = JsonLimits.problem(ex);
			if (limits != null) {
				throw ApiException.invalidRequest(limits);
			}
			if (String.valueOf(ex.getOriginalMessage()).startsWith("Duplicate Object property")) {
				throw ApiException
					.invalidRequest("The request body has a field twice: a signed body must mean " + "one thing.");
			}
			throw ApiException.invalidRequest("The request body is not valid JSON"
					+ ((ex.getLocation() != null && ex.getLocation().getLineNr() > 0) ? " (line "
							+ ex.getLocation().getLineNr() + ", column " + ex.getLocation().getColumnNr() + ")" : "")
					+ ".");
		}
		return fields;
	}

	/**
	 * JSON is UTF-8 here (RFC 8259 requires it between systems), and strictly so: a
	 * lenient decoder would read different signed bytes (an overlong form) as the same
	 * text. A NUL byte cannot occur in UTF-8 JSON, so one means UTF-16 or UTF-32.
	 */
	private static void requireUtf8(byte[] body) {
		for (byte b : body) {
			if (b == 0) {
				throw ApiException.invalidRequest("The request body must be JSON encoded as UTF-8.");
			}
		}
		Utf8.require(body);
	}

	private static @Nullable String string(JsonParser parser, JsonToken value, Fields fields, String name) {
		if (value == JsonToken.VALUE_STRING) {
			String text = parser.getString();
			if (!TextChecks.isStorable(text)) {
				if (name.equals("brand_id")) {
					throw ApiException.invalidRequest("brand_id must be your brand's wallet address: it cannot "
							+ "contain NUL characters or unpaired UTF-16 surrogates.");
				}
				fields.unstorable(name);
				return TextChecks.clean(text);
			}
			return text;
		}
		fields.wrongType(name);
		parser.skipChildren();
		return null;
	}

	private static @Nullable Long amount(JsonParser parser, JsonToken value, Fields fields) {
		if (value == JsonToken.VALUE_NULL) {
			return null;
		}
		if (value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_NUMBER_FLOAT) {
			BigDecimal number = decimal(parser);
			if (number != null && number.signum() > 0 && number.stripTrailingZeros().scale() <= 0
					&& number.compareTo(BigDecimal.valueOf(MAX_AMOUNT)) <= 0) {
				return number.longValueExact();
			}
		}
		parser.skipChildren();
		fields.badAmount = true;
		return null;
	}

	private static @Nullable String metadata(JsonParser parser, JsonToken value, byte[] body, Fields fields) {
		if (value == JsonToken.VALUE_NULL) {
			return null;
		}
		if (value != JsonToken.START_OBJECT) {
			parser.skipChildren();
			fields.metadataProblem = "metadata must be a JSON object.";
			return null;
		}
		int start = (int) parser.currentTokenLocation().getByteOffset();
		String problem = checkStorable(parser);
		if (problem != null) {
			fields.metadataProblem = problem;
			return null;
		}
		int end = (int) parser.currentTokenLocation().getByteOffset() + 1;
		return new String(body, start, end - start, StandardCharsets.UTF_8);
	}

	/**
	 * Walks an object to its end, checking that PostgreSQL's {@code jsonb} can hold it:
	 * no NUL characters or unpaired surrogates in names or strings, no number beyond
	 * {@code numeric}'s range. Leaves the parser on the object's end and returns the
	 * first thing wrong, or {@code null}.
	 */
	private static @Nullable String checkStorable(JsonParser parser) {
		String problem = null;
		int depth = 1;
		while (depth > 0) {
			JsonToken token = parser.nextToken();
			if (token == null) {
				return "metadata must be a JSON object.";
			}
			switch (token) {
				case START_OBJECT, START_ARRAY -> depth++;
				case END_OBJECT, END_ARRAY -> depth--;
				case PROPERTY_NAME, VALUE_STRING -> {
					if (problem == null && !TextChecks.isStorable(parser.getString())) {
						problem = "metadata cannot contain NUL characters or unpaired UTF-16 surrogates.";
					}
				}
				case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
					if (problem == null) {
						BigDecimal number = decimal(parser);
						if (number == null || !TextChecks.isStorableNumber(number)) {
							problem = "metadata numbers must be at most " + MAX_NUMBER_DIGITS
									+ " digits long when written out in full.";
						}
					}
				}
				default -> {
					// true, false, null
				}
			}
		}
		return problem;
	}

	/** The current number, or {@code null} if it is beyond what can be represented. */
	private static @Nullable BigDecimal decimal(JsonParser parser) {
		try {
			return parser.getDecimalValue();
		}
		catch (NumberFormatException | ArithmeticException ex) {
			return null;
		}
	}

	/** The fields as read, and what was wrong with them. */
	private static final class Fields {

		@Nullable String brandId;

		@Nullable String eventType;

		@Nullable String userId;

		@Nullable String serverId;

		@Nullable Long amount;

		@Nullable String metadata;

		boolean eventTypeWrongType;

		boolean userIdWrongType;

		boolean serverIdWrongType;

		@Nullable String email;

		boolean emailWrongType;

		boolean badAmount;

		@Nullable String metadataProblem;

		@Nullable String unstorable;

		void unstorable(String name) {
			if (this.unstorable == null) {
				this.unstorable = name;
			}
		}

		void wrongType(String name) {
			switch (name) {
				case "event_type" -> this.eventTypeWrongType = true;
				case "user_id" -> this.userIdWrongType = true;
				case "server_id" -> this.serverIdWrongType = true;
				case "event" -> this.eventTypeWrongType = true;
				case "email" -> this.emailWrongType = true;
				default -> {
					// brand_id: reported as missing
				}
			}
		}

		/**
		 * The request, with the problem of the first bad field in documentation order.
		 */
		EventRequest request() {
			return new EventRequest(truncate(this.eventType, 100), truncate(this.userId, 128),
					truncate(this.serverId, 100), this.amount, this.metadata, problem());
		}

		/**
		 * A manual event: {@code event} and {@code email} instead of {@code event_type},
		 * {@code user_id} and {@code server_id}; the email is checked by the caller.
		 */
		EventRequest manualRequest() {
			return new EventRequest(truncate(this.eventType, 100), truncate(this.email, 320), null, this.amount,
					this.metadata, manualProblem());
		}

		private @Nullable String manualProblem() {
			if (this.unstorable != null) {
				return this.unstorable + " cannot contain NUL characters or unpaired UTF-16 surrogates.";
			}
			if (this.eventTypeWrongType) {
				return "event must be a string: one of your brand's event types.";
			}
			if (this.eventType == null) {
				return "event is required: one of your brand's event types (place_order).";
			}
			if (!EventType.isValidName(this.eventType)) {
				return "event must be 1 to 64 characters of a-z, 0-9 and _.";
			}
			if (this.emailWrongType) {
				return "email must be a string.";
			}
			if (this.email == null) {
				return "email is required: the customer's email, or discord_{id}@rsnc.network for a Discord user.";
			}
			if (this.badAmount) {
				return "amount must be a positive whole number (at most " + MAX_AMOUNT + ").";
			}
			return this.metadataProblem;
		}

		private @Nullable String problem() {
			if (this.unstorable != null) {
				return this.unstorable + " cannot contain NUL characters or unpaired UTF-16 surrogates.";
			}
			if (this.eventTypeWrongType) {
				return "event_type must be a string.";
			}
			if (this.eventType == null) {
				return "event_type is required: one of your brand's event types.";
			}
			if (!EventType.isValidName(this.eventType)) {
				return "event_type must be 1 to 64 characters of a-z, 0-9 and _.";
			}
			if (this.userIdWrongType) {
				return "user_id must be a string: the Discord user id.";
			}
			if (this.userId == null) {
				return "user_id is required: the Discord user id of the recipient.";
			}
			if (!DIGITS.matches(this.userId, 1, 20)) {
				return "user_id must be a Discord user id: 1 to 20 digits.";
			}
			if (this.serverIdWrongType
					|| this.serverId != null && (this.serverId.isBlank() || this.serverId.length() > 100)) {
				return "server_id must be a string of 1 to 100 characters: the Discord guild id.";
			}
			if (this.serverId == null) {
				return "server_id is required: the Discord guild id where the event occurred.";
			}
			if (this.badAmount) {
				return "amount must be a positive whole number (at most " + MAX_AMOUNT + ").";
			}
			return this.metadataProblem;
		}

		private static @Nullable String truncate(@Nullable String value, int max) {
			return (value != null && value.length() > max) ? value.substring(0, max) : value;
		}

	}

	record Parsed(String brandId, EventRequest request) {
	}

}
