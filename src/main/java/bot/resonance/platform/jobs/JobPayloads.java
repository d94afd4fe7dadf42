package bot.resonance.platform.jobs;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Job payloads to and from JSON. Unknown properties are ignored, so a payload written by
 * a newer node during a rolling upgrade still reads on an older one.
 */
final class JobPayloads {

	/** The largest payload, as JSON text: payloads say which, not what. */
	static final int MAX_LENGTH = 8_192;

	private static final JsonMapper MAPPER = JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.build();

	private JobPayloads() {
	}

	static @Nullable String write(@Nullable Object payload) {
		if (payload == null) {
			return null;
		}
		String json = MAPPER.writeValueAsString(payload);
		if (json.length() > MAX_LENGTH) {
			throw new IllegalArgumentException(
					"A job payload is at most " + MAX_LENGTH + " characters of JSON, not " + json.length());
		}
		return json;
	}

	static <T> T read(String json, Class<T> type) {
		return MAPPER.readValue(json, type);
	}

}
