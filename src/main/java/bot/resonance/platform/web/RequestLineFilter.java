package bot.resonance.platform.web;

import java.io.IOException;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Refuses requests no endpoint could serve, by their request line or headers, before
 * anything else reads them:
 * <ul>
 * <li>a method no endpoint has ({@code CONNECT}, or one made up): {@code 405} with the
 * methods there are, as for a known method an endpoint lacks. Left to the servlet, such a
 * request got {@code 501 Not Implemented}, a server error for the client's mistake.
 * ({@code CONNECT} never reaches a filter: Tomcat refuses it, and
 * {@link JsonErrorReportValve} answers it the same way);</li>
 * <li>a path with {@code .} or {@code ..} segments: {@code 400}. No link Resonance gives
 * has one; Tomcat maps such a path to the servlet once resolved, but what the request
 * names is the path as sent, which no endpoint matched (and Spring logged a warning for
 * each, which anyone could fill a log with).</li>
 * <li>a header that says who sends the request or what its body is, given twice
 * ({@link #SINGLE_HEADERS}): {@code 400}. Each reader would take the first value, but a
 * proxy in front may have checked the other one; a request that means two things is not
 * guessed at.</li>
 * </ul>
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 5)
class RequestLineFilter extends RequestFilter {

	/** The {@code Allow} header of the answer. */
	static final String ALLOW = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";

	static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE");

	/**
	 * Headers that may appear once (RFC 9110 §5.3: none of them is a list): credentials,
	 * signatures and what they sign, idempotency keys and the body's type.
	 */
	static final List<String> SINGLE_HEADERS = List.of(HttpHeaders.AUTHORIZATION, HttpHeaders.CONTENT_TYPE,
			"Idempotency-Key", "X-Idempotency-Key", "X-Resonance-Signature", "X-Resonance-Timestamp", "X-Brand-Id",
			"X-Signature", "X-Signature-Ed25519", "X-Signature-Timestamp", "X-Shopify-Hmac-Sha256",
			"X-Shopify-Webhook-Id", "webhook-id", "webhook-timestamp", "webhook-signature");

	private final JsonMapper json;

	RequestLineFilter(JsonMapper json) {
		this.json = json;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!METHODS.contains(request.getMethod())) {
			response.setHeader(HttpHeaders.ALLOW, ALLOW);
			FilterErrors.write(this.json, request, response, HttpStatus.METHOD_NOT_ALLOWED,
					Problems.codeFor(HttpStatus.METHOD_NOT_ALLOWED), refusal(request.getMethod()));
			return;
		}
		if (hasDotSegment(request.getRequestURI())) {
			FilterErrors.write(this.json, request, response, HttpStatus.BAD_REQUEST, Problems.INVALID_REQUEST,
					"The path cannot contain . or .. segments: send the path itself.");
			return;
		}
		String repeated = repeatedHeader(request);
		if (repeated != null) {
			FilterErrors.write(this.json, request, response, HttpStatus.BAD_REQUEST, Problems.INVALID_REQUEST,
					"The header " + repeated + " is sent more than once: send it once.");
			return;
		}
		chain.doFilter(request, response);
	}

	/** The first of {@link #SINGLE_HEADERS} the request has more than once, if any. */
	static @Nullable String repeatedHeader(HttpServletRequest request) {
		for (String name : SINGLE_HEADERS) {
			Enumeration<String> values = request.getHeaders(name);
			if (values.hasMoreElements()) {
				values.nextElement();
				if (values.hasMoreElements()) {
					return name;
				}
			}
		}
		return null;
	}

	static boolean hasDotSegment(@Nullable String uri) {
		if (uri == null || (uri.indexOf('.') < 0 && uri.indexOf('%') < 0)) {
			return false; // every request passes here: most paths have neither
		}
		String lower = uri.toLowerCase(Locale.ROOT);
		for (String segment : lower.split("/", -1)) {
			String plain = segment.replace("%2e", ".");
			int semicolon = plain.indexOf(';');
			if (semicolon >= 0) {
				plain = plain.substring(0, semicolon);
			}
			if (plain.equals(".") || plain.equals("..")) {
				return true;
			}
		}
		return false;
	}

	/** Why a request with this method is refused. */
	static String refusal(String method) {
		String named = (method.length() <= 20 && method.chars().allMatch((c) -> c > ' ' && c < 127))
				? "The method " + method : "This request's method";
		return named + " is not supported: Resonance answers GET, HEAD, POST, PUT, PATCH, DELETE and OPTIONS.";
	}

}
