package bot.resonance.platform.web;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/**
 * A client error with a stable code, rendered as an RFC 9457 problem (or, on the seed
 * endpoints, in the seeds' {@code {"success": false, "error": {...}}} shape). Throw it
 * for requests that cannot be served; expected business outcomes inside a use case are
 * values.
 */
public class ApiException extends RuntimeException {

	private final HttpStatus status;

	private final String code;

	private final Map<String, Object> properties = new LinkedHashMap<>();

	private final HttpHeaders headers = new HttpHeaders();

	public ApiException(HttpStatus status, String code, String detail) {
		super(detail, null, false, false);
		this.status = status;
		this.code = code;
	}

	public static ApiException badRequest(String code, String detail) {
		return new ApiException(HttpStatus.BAD_REQUEST, code, detail);
	}

	public static ApiException invalidRequest(String detail) {
		return badRequest(Problems.INVALID_REQUEST, detail);
	}

	public static ApiException notFound(String code, String detail) {
		return new ApiException(HttpStatus.NOT_FOUND, code, detail);
	}

	public static ApiException conflict(String code, String detail) {
		return new ApiException(HttpStatus.CONFLICT, code, detail);
	}

	public static ApiException unprocessable(String code, String detail) {
		return new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, code, detail);
	}

	public static ApiException unauthorized(String detail) {
		ApiException exception = new ApiException(HttpStatus.UNAUTHORIZED, "unauthorized", detail);
		exception.headers.set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
		return exception;
	}

	/** Adds an extension member to the problem body. */
	public ApiException with(String name, @Nullable Object value) {
		this.properties.put(name, value);
		return this;
	}

	public ApiException withHeader(String name, String value) {
		this.headers.set(name, value);
		return this;
	}

	public HttpStatus status() {
		return this.status;
	}

	public String code() {
		return this.code;
	}

	public Map<String, Object> properties() {
		return this.properties;
	}

	public HttpHeaders headers() {
		return this.headers;
	}

}
