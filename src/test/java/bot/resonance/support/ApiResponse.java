package bot.resonance.support;

import java.net.http.HttpHeaders;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An HTTP response from the server under test, with its body parsed as JSON when it is
 * JSON.
 */
public record ApiResponse(int status, HttpHeaders headers, String body) {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	public JsonNode json() {
		return JSON.readTree(this.body);
	}

	public String header(String name) {
		return this.headers.firstValue(name).orElse(null);
	}

	public String text(String field) {
		JsonNode node = json().get(field);
		return (node != null) ? node.asString() : null;
	}

	/** The seed-shaped error code ({@code error.code}). */
	public String errorCode() {
		return json().path("error").path("code").asString();
	}

	/** The problem document's code. */
	public String problemCode() {
		return json().path("code").asString();
	}

	@Override
	public String toString() {
		return this.status + " " + this.body;
	}

}
