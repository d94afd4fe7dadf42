package bot.resonance.incoming.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

import bot.resonance.platform.web.JsonLimits;
import bot.resonance.platform.web.TextChecks;
import bot.resonance.platform.web.Utf8;
import org.springframework.stereotype.Component;

/**
 * Reads a call's body, {@code {"action": "...", "data": {...}}}, strictly: every refusal
 * names the field and says what was expected.
 */
@Component
class IncomingCallParser {

	/** The largest amount one call may move, as for events. */
	static final long MAX_AMOUNT = 1_000_000_000_000_000L;

	static final int MAX_REASON = 500;

	static final int MAX_CONTENT = 2000;

	static final int MAX_EMBEDS = 10;

	private static final Pattern SNOWFLAKE = Pattern.compile("[0-9]{1,20}");

	private static final Pattern CURRENCY = Pattern.compile("[A-Za-z0-9_-]{1,32}");

	private final ObjectReader reader;

	IncomingCallParser(JsonMapper json) {
		// Strict: a field twice is refused by the application's mapper, and so is
		// anything after the object.
		this.reader = json.readerFor(JsonNode.class)
			.with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
			// embeds are passed on as they came: numbers read exactly, never through a
			// double
			.with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
	}

	/**
	 * The action asked for and its (not yet checked) data.
	 * @throws Refusal if the body is not such an object
	 */
	Envelope envelope(byte[] body) {
		if (body.length == 0) {
			throw new Refusal("invalid_request", "A JSON body is required: {\"action\": \"...\", \"data\": {...}}.");
		}
		int malformed = Utf8.malformedAt(body);
		if (malformed >= 0) {
			throw new Refusal("invalid_request", Utf8.problem(body, malformed));
		}
		JsonNode root;
		try {
			root = this.reader.readValue(body);
		}
		catch (StreamReadException ex) {
			if (String.valueOf(ex.getOriginalMessage()).startsWith("Duplicate Object property")) {
				throw new Refusal("invalid_request", "The body has a field twice: a signed call must mean one thing.");
			}
			var location = ex.getLocation();
			throw new Refusal("invalid_request",
					"The body is not valid UTF-8 JSON" + ((location != null && location.getLineNr() > 0)
							? " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")" : "")
							+ ".");
		}
		catch (JacksonException ex) {
			String limits = JsonLimits.problem(ex);
			throw new Refusal("invalid_request", (limits != null) ? limits : "The body is not valid JSON.");
		}
		if (root == null || !root.isObject()) {
			throw new Refusal("invalid_request",
					"The body must be a JSON object: {\"action\": \"...\", \"data\": {...}}.");
		}
		String unstorable = firstUnstorable(root, "");
		if (unstorable != null) {
			throw new Refusal("invalid_request", (unstorable.isEmpty() ? "The body" : "Field '" + unstorable + "'")
					+ " cannot contain NUL characters or unpaired UTF-16 surrogates.");
		}
		onlyFields(root, "", Set.of("action", "data"));
		JsonNode action = root.get("action");
		if (action == null || action.isNull()) {
			throw new Refusal("invalid_request", "Field 'action' is required: one of " + IncomingAction.names() + ".");
		}
		if (!action.isString()) {
			throw new Refusal("invalid_request",
					"Field 'action' must be a string: one of " + IncomingAction.names() + ".");
		}
		String name = action.stringValue();
		IncomingAction known = IncomingAction.fromWireName(name)
			.orElseThrow(() -> new Refusal("unknown_action",
					"Unknown action '" + shorten(name) + "'. Actions: " + IncomingAction.names() + "."));
		JsonNode data = root.get("data");
		if (data == null || data.isNull()) {
			throw new Refusal("invalid_request", "Field 'data' is required: an object with the action's fields.",
					known);
		}
		if (!data.isObject()) {
			throw new Refusal("invalid_request", "Field 'data' must be an object.", known);
		}
		return new Envelope(known, data);
	}

	/**
	 * The action's data, checked.
	 * @throws Refusal naming the first field that is missing or wrong
	 */
	IncomingCall call(Envelope envelope) {
		JsonNode data = envelope.data();
		IncomingAction action = envelope.action();
		try {
			return switch (action) {
				case CURRENCY_ADD -> {
					onlyFields(data, "data.", Set.of("user_id", "amount", "reason", "currency"));
					String currency = optionalText(data, "currency", 32);
					if (currency != null && !CURRENCY.matcher(currency).matches()) {
						throw new Refusal("invalid_request",
								"Field 'data.currency' must be a currency code such as POINT.");
					}
					yield new IncomingCall.CurrencyAdd(snowflake(data, "user_id"), amount(data),
							optionalText(data, "reason", MAX_REASON), currency);
				}
				case ROLE_ASSIGN -> {
					onlyFields(data, "data.", Set.of("guild_id", "user_id", "role_id", "reason"));
					yield new IncomingCall.RoleAssign(snowflake(data, "guild_id"), snowflake(data, "user_id"),
							snowflake(data, "role_id"), optionalText(data, "reason", MAX_REASON));
				}
				case MESSAGE_POST -> {
					onlyFields(data, "data.", Set.of("channel_id", "content", "embeds"));
					String channel = snowflake(data, "channel_id");
					String content = optionalText(data, "content", MAX_CONTENT);
					List<JsonNode> embeds = embeds(data);
					if (content == null && embeds.isEmpty()) {
						throw new Refusal("invalid_request",
								"A message needs 'data.content' (1 to 2000 characters), 'data.embeds', or both.");
					}
					yield new IncomingCall.MessagePost(channel, content, embeds);
				}
			};
		}
		catch (Refusal refusal) {
			throw new Refusal(refusal.code(), refusal.getMessage(), action);
		}
	}

	private static long amount(JsonNode data) {
		JsonNode node = data.get("amount");
		if (node == null || node.isNull()) {
			throw new Refusal("invalid_request", "Field 'data.amount' is required: a non-zero whole number.");
		}
		// A range, not Math.abs: the absolute value of Long.MIN_VALUE is negative.
		if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() == 0
				|| node.longValue() < -MAX_AMOUNT || node.longValue() > MAX_AMOUNT) {
			throw new Refusal("invalid_request", "Field 'data.amount' must be a non-zero whole number between -"
					+ MAX_AMOUNT + " and " + MAX_AMOUNT + " (negative amounts debit the member).");
		}
		return node.longValue();
	}

	private static String snowflake(JsonNode data, String field) {
		JsonNode node = data.get(field);
		if (node == null || node.isNull()) {
			throw new Refusal("invalid_request", "Field 'data." + field + "' is required: a Discord id (snowflake).");
		}
		if (!node.isString() || !SNOWFLAKE.matcher(node.stringValue()).matches()) {
			throw new Refusal("invalid_request", "Field 'data." + field
					+ "' must be a Discord id (snowflake) as a string of digits, e.g. \"123456789012345678\".");
		}
		// Leading zeros never occur in snowflakes: "007" and "7" are one id.
		return node.stringValue().replaceFirst("^0+(?=.)", "");
	}

	private static @Nullable String optionalText(JsonNode data, String field, int maxLength) {
		JsonNode node = data.get(field);
		if (node == null || node.isNull()) {
			return null;
		}
		if (!node.isString()) {
			throw new Refusal("invalid_request", "Field 'data." + field + "' must be a string.");
		}
		String value = node.stringValue().strip();
		if (value.isEmpty()) {
			return null;
		}
		if (value.codePointCount(0, value.length()) > maxLength) {
			throw new Refusal("invalid_request",
					"Field 'data." + field + "' must be at most " + maxLength + " characters.");
		}
		return value;
	}

	private static List<JsonNode> embeds(JsonNode data) {
		JsonNode node = data.get("embeds");
		if (node == null || node.isNull()) {
			return List.of();
		}
		if (!node.isArray() || node.size() > MAX_EMBEDS) {
			throw new Refusal("invalid_request",
					"Field 'data.embeds' must be a list of at most " + MAX_EMBEDS + " embed objects.");
		}
		List<JsonNode> embeds = new ArrayList<>();
		for (JsonNode embed : node) {
			if (!embed.isObject() || embed.isEmpty()) {
				throw new Refusal("invalid_request",
						"Field 'data.embeds' must hold Discord embed objects, e.g. {\"title\": \"...\"}.");
			}
			embeds.add(embed);
		}
		return embeds;
	}

	private static void onlyFields(JsonNode object, String prefix, Set<String> allowed) {
		for (String name : object.propertyNames()) {
			if (!allowed.contains(name)) {
				throw new Refusal("invalid_request", "Unknown field '" + prefix + shorten(name) + "'. Allowed: "
						+ String.join(", ", new TreeSet<>(allowed)) + ".");
			}
		}
	}

	/** The path of the first name or string PostgreSQL cannot store, or null. */
	private static @Nullable String firstUnstorable(JsonNode node, String path) {
		if (node.isString()) {
			return TextChecks.isStorable(node.stringValue()) ? null : path;
		}
		if (node.isObject()) {
			for (Map.Entry<String, JsonNode> property : node.properties()) {
				String child = path.isEmpty() ? property.getKey() : path + "." + property.getKey();
				if (!TextChecks.isStorable(property.getKey())) {
					return TextChecks.clean(child);
				}
				String found = firstUnstorable(property.getValue(), child);
				if (found != null) {
					return TextChecks.clean(found);
				}
			}
		}
		else if (node.isArray()) {
			int index = 0;
			for (JsonNode item : node) {
				String found = firstUnstorable(item, path + "[" + index++ + "]");
				if (found != null) {
					return found;
				}
			}
		}
		return null;
	}

	private static String shorten(String text) {
		String clean = TextChecks.clean(text);
		return (clean.length() > 64) ? clean.substring(0, 64) + "…" : clean;
	}

	/** The action a body asks for, and its data. */
	record Envelope(IncomingAction action, JsonNode data) {
	}

	/**
	 * A body that cannot be acted on: a {@code 400} with a code ({@code invalid_request},
	 * {@code unknown_action}) and a message naming the field.
	 */
	static final class Refusal extends RuntimeException {

		private final String code;

		private final transient @Nullable IncomingAction action;

		Refusal(String code, String message) {
			this(code, message, null);
		}

		Refusal(String code, String message, @Nullable IncomingAction action) {
			super(message, null, false, false);
			this.code = code;
			this.action = action;
		}

		String code() {
			return this.code;
		}

		@Nullable IncomingAction action() {
			return this.action;
		}

	}

}
