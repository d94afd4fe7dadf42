package bot.resonance.platform.web;

import java.net.URI;
import java.util.Locale;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/**
 * RFC 9457 problem details with a stable {@code type} per error code. The code is
 * repeated as a {@code code} member so clients can switch on it without parsing the URI.
 */
public final class Problems {

	public static final String TYPE_BASE = "https://resonance.bot/problems/";

	public static final String INVALID_REQUEST = "invalid_request";

	public static final String INTERNAL_ERROR = "internal_error";

	private Problems() {
	}

	public static ProblemDetail of(HttpStatusCode status, String code, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(URI.create(TYPE_BASE + code));
		problem.setTitle(titleOf(status, code));
		problem.setProperty("code", code);
		return problem;
	}

	/** The generic code for a status when nothing more specific is known. */
	public static String codeFor(HttpStatusCode status) {
		return switch (status.value()) {
			case 400 -> INVALID_REQUEST;
			case 401 -> "unauthorized";
			case 403 -> "forbidden";
			case 404 -> "not_found";
			case 405 -> "method_not_allowed";
			case 406 -> "not_acceptable";
			case 409 -> "conflict";
			case 413 -> "payload_too_large";
			case 415 -> "unsupported_media_type";
			case 422 -> "unprocessable";
			case 429 -> "rate_limited";
			case 503 -> "service_unavailable";
			case 505 -> "http_version_not_supported";
			default -> status.is4xxClientError() ? INVALID_REQUEST : INTERNAL_ERROR;
		};
	}

	private static String titleOf(HttpStatusCode status, String code) {
		HttpStatus known = HttpStatus.resolve(status.value());
		if (known != null && code.equals(codeFor(status))) {
			return known.getReasonPhrase();
		}
		String words = code.replace('_', ' ');
		return words.substring(0, 1).toUpperCase(Locale.ROOT) + words.substring(1);
	}

}
