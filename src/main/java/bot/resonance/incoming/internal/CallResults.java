package bot.resonance.incoming.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import bot.resonance.platform.web.Problems;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;

/**
 * Builds calls' answers: {@code {"call_id", "action", "result"}} on success, an RFC 9457
 * problem with a stable {@code code} (and the {@code call_id}) otherwise.
 */
@Component
class CallResults {

	private final JsonMapper json;

	CallResults(JsonMapper json) {
		this.json = json;
	}

	CallResult success(String callId, IncomingAction action, Map<String, Object> result) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("call_id", callId);
		body.put("action", action.wireName());
		body.put("result", result);
		return new CallResult(callId, 200, null, this.json.writeValueAsString(body), null, false);
	}

	CallResult problem(HttpStatus status, String code, String detail, @Nullable String callId,
			@Nullable IncomingAction action) {
		return problem(status, code, detail, callId, action, Map.of(), null);
	}

	CallResult problem(HttpStatus status, String code, String detail, @Nullable String callId,
			@Nullable IncomingAction action, Map<String, Object> extra, @Nullable Long retryAfterSeconds) {
		ProblemDetail problem = Problems.of(status, code, detail);
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("type", String.valueOf(problem.getType()));
		body.put("title", problem.getTitle());
		body.put("status", status.value());
		body.put("detail", detail);
		body.put("code", code);
		if (callId != null) {
			body.put("call_id", callId);
		}
		if (action != null) {
			body.put("action", action.wireName());
		}
		if (retryAfterSeconds != null) {
			body.put("retry_after", retryAfterSeconds);
		}
		body.putAll(extra);
		return new CallResult(callId, status.value(), code, this.json.writeValueAsString(body), retryAfterSeconds,
				false);
	}

}
