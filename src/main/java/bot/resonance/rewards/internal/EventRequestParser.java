package bot.resonance.rewards.internal;

import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

import bot.resonance.platform.web.ApiException;
import bot.resonance.rewards.internal.ingest.EventRequest;
import org.springframework.stereotype.Component;

/**
 * Reads an event API body. A body that is not a JSON object with a {@code brand_id}
 * cannot be checked against a brand's signature and is refused outright; any other
 * problem is reported in the {@link EventRequest}, which is then recorded and answered
 * {@code INVALID_REQUEST}.
 */
@Component
class EventRequestParser {

	/** The largest amount one event may carry, whatever its type allows. */
	static final long MAX_AMOUNT = 1_000_000_000_000_000L;

	private static final Pattern SNOWFLAKE = Pattern.compile("[0-9]{1,20}");

	private final ObjectReader reader;

	EventRequestParser(JsonMapper json) {
		this.reader = json.reader().with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
	}

	Parsed parse(byte[] body) {
		JsonNode root;
		try {
			root = this.reader.readTree(body);
		}
		catch (JacksonException ex) {
			throw ApiException.invalidRequest("The request body is not valid JSON"
					+ ((ex.getLocation() != null && ex.getLocation().getLineNr() > 0) ? " (line "
							+ ex.getLocation().getLineNr() + ", column " + ex.getLocation().getColumnNr() + ")" : "")
					+ ".");
		}
		if (root == null || !root.isObject()) {
			throw ApiException.invalidRequest("The request body must be a JSON object.");
		}
		JsonNode brandId = root.get("brand_id");
		if (brandId == null || !brandId.isString() || brandId.stringValue().isBlank()) {
			throw ApiException.invalidRequest("brand_id is required: your brand's wallet address (a string).");
		}
		return new Parsed(brandId.stringValue().trim(), request(root));
	}

	private static EventRequest request(JsonNode root) {
		String eventType = text(root, "event_type");
		String userId = text(root, "user_id");
		String serverId = text(root, "server_id");
		Long amount = null;
		String metadata = null;
		String problem = null;

		JsonNode amountNode = root.get("amount");
		if (amountNode != null && !amountNode.isNull()) {
			if (amountNode.isNumber() && amountNode.canConvertToExactIntegral() && amountNode.canConvertToLong()
					&& amountNode.longValue() > 0 && amountNode.longValue() <= MAX_AMOUNT) {
				amount = amountNode.longValue();
			}
			else {
				problem = "amount must be a positive whole number (at most " + MAX_AMOUNT + ").";
			}
		}
		JsonNode metadataNode = root.get("metadata");
		if (metadataNode != null && !metadataNode.isNull()) {
			if (metadataNode.isObject()) {
				metadata = metadataNode.toString();
			}
			else {
				problem = "metadata must be a JSON object.";
			}
		}
		if (root.has("server_id") && serverId == null
				|| serverId != null && (serverId.isBlank() || serverId.length() > 100)) {
			problem = "server_id must be a string of 1 to 100 characters: the Discord guild id.";
		}
		else if (serverId == null) {
			problem = "server_id is required: the Discord guild id where the event occurred.";
		}
		if (userId == null) {
			problem = root.has("user_id") ? "user_id must be a string: the Discord user id."
					: "user_id is required: the Discord user id of the recipient.";
		}
		else if (!SNOWFLAKE.matcher(userId).matches()) {
			problem = "user_id must be a Discord user id (digits only).";
		}
		if (eventType == null) {
			problem = root.has("event_type") ? "event_type must be a string."
					: "event_type is required: one of your brand's event types.";
		}
		else if (!EventType.isValidName(eventType)) {
			problem = "event_type must be 1 to 64 characters of a-z, 0-9 and _.";
		}
		return new EventRequest(truncate(eventType, 100), truncate(userId, 128), truncate(serverId, 100), amount,
				metadata, problem);
	}

	private static @Nullable String text(JsonNode root, String field) {
		JsonNode node = root.get(field);
		return (node != null && node.isString()) ? node.stringValue() : null;
	}

	private static @Nullable String truncate(@Nullable String value, int max) {
		return (value != null && value.length() > max) ? value.substring(0, max) : value;
	}

	record Parsed(String brandId, EventRequest request) {
	}

}
