package bot.resonance.platform.web;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.web.util.UrlPathHelper;

/**
 * The error shape the seed documents fix for the event API: {@code {"success": false,
 * "error": {"code", "message", "retry_after"?}}}, with upper-case codes. Endpoints that
 * the seeds define keep it even for errors raised by the framework (404, 405, 413, ...).
 */
public final class SeedErrors {

	private SeedErrors() {
	}

	/**
	 * Whether the request targets an endpoint whose error shape the seed documents fix.
	 */
	public static boolean isSeedEndpoint(HttpServletRequest request) {
		String path = path(request);
		return path.equals("/v1/events") || path.equals("/v1/events/") || path.startsWith("/resonance-api/");
	}

	/**
	 * The path as request mapping sees it: within the application, decoded, without
	 * {@code ;} parameters, so that {@code /v1/%65vents;x=1} is {@code /v1/events}.
	 */
	public static String path(HttpServletRequest request) {
		return UrlPathHelper.defaultInstance.getPathWithinApplication(request);
	}

	public static Map<String, Object> body(String code, String message, @Nullable Long retryAfter,
			@Nullable String eventId) {
		Map<String, Object> error = new LinkedHashMap<>();
		error.put("code", code.toUpperCase(Locale.ROOT));
		error.put("message", message);
		if (retryAfter != null) {
			error.put("retry_after", retryAfter);
		}
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("success", false);
		if (eventId != null) {
			body.put("event_id", eventId);
		}
		body.put("error", error);
		return body;
	}

}
