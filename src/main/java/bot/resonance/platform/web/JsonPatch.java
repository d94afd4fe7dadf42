package bot.resonance.platform.web;

import java.util.Set;
import java.util.TreeSet;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Reads a PATCH body field by field, telling "absent" (keep) from {@code null} (clear),
 * with errors that name the field.
 */
public final class JsonPatch {

	private final JsonNode body;

	private JsonPatch(JsonNode body) {
		this.body = body;
	}

	/** Wraps a body, refusing anything but an object with only the allowed fields. */
	public static JsonPatch of(@Nullable JsonNode body, Set<String> allowed) {
		if (body == null || !body.isObject()) {
			throw ApiException.invalidRequest("The request body must be a JSON object.");
		}
		for (String name : body.propertyNames()) {
			if (!allowed.contains(name)) {
				throw ApiException.invalidRequest("Unknown field '" + name + "'. Allowed fields: "
						+ String.join(", ", new TreeSet<>(allowed)) + ".");
			}
		}
		return new JsonPatch(body);
	}

	public boolean has(String name) {
		return this.body.has(name);
	}

	/** The field as sent, for values read in a way of their own (a decimal, a list). */
	public JsonNode node(String name) {
		JsonNode node = this.body.get(name);
		if (node == null) {
			throw ApiException.invalidRequest("Field '" + name + "' is required.");
		}
		return node;
	}

	public boolean isNull(String name) {
		return this.body.has(name) && this.body.get(name).isNull();
	}

	public String string(String name, int maxLength) {
		JsonNode node = this.body.get(name);
		if (node == null || !node.isString()) {
			throw ApiException.invalidRequest("Field '" + name + "' must be a string.");
		}
		String value = node.stringValue().strip();
		if (value.isEmpty() || value.length() > maxLength) {
			throw ApiException.invalidRequest("Field '" + name + "' must be 1 to " + maxLength + " characters.");
		}
		return value;
	}

	public long wholeNumber(String name, long min, long max) {
		JsonNode node = this.body.get(name);
		if (node == null || !node.isIntegralNumber()) {
			throw ApiException.invalidRequest("Field '" + name + "' must be a whole number.");
		}
		// A whole number too large for any field is out of its range, not "not a number".
		if (!node.canConvertToLong() || node.longValue() < min || node.longValue() > max) {
			throw ApiException.invalidRequest("Field '" + name + "' must be between " + min + " and " + max + ".");
		}
		return node.longValue();
	}

	/** A whole number, or {@code null} when the field is explicitly null. */
	public @Nullable Long nullableWholeNumber(String name, long min, long max) {
		return isNull(name) ? null : wholeNumber(name, min, max);
	}

	public boolean bool(String name) {
		JsonNode node = this.body.get(name);
		if (node == null || !node.isBoolean()) {
			throw ApiException.invalidRequest("Field '" + name + "' must be true or false.");
		}
		return node.booleanValue();
	}

	/** A list of strings, or {@code null} when the field is explicitly null. */
	public java.util.@Nullable List<String> nullableStringList(String name, int maxItems, int maxLength) {
		JsonNode node = this.body.get(name);
		if (node == null || node.isNull()) {
			return null;
		}
		if (!node.isArray() || node.size() > maxItems) {
			throw ApiException
				.invalidRequest("Field '" + name + "' must be a list of at most " + maxItems + " strings.");
		}
		java.util.List<String> values = new java.util.ArrayList<>();
		for (JsonNode item : node) {
			if (!item.isString() || item.stringValue().isBlank() || item.stringValue().length() > maxLength) {
				throw ApiException.invalidRequest(
						"Field '" + name + "' must be a list of strings (1 to " + maxLength + " characters).");
			}
			values.add(item.stringValue().strip());
		}
		return values;
	}

	/** A string, or {@code null} when the field is explicitly null. */
	public @Nullable String nullableString(String name, int maxLength) {
		return isNull(name) ? null : string(name, maxLength);
	}

	public Set<String> fields() {
		return Set.copyOf(this.body.propertyNames());
	}

}
