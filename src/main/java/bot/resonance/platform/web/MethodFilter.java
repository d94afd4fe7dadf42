package bot.resonance.platform.web;

import java.io.IOException;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers a method no endpoint has ({@code CONNECT}, or one made up) with {@code 405} and
 * the methods there are, as for a known method an endpoint lacks. Left to the servlet,
 * such a request got {@code 501 Not Implemented}: a server error for what is the client's
 * mistake.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 5)
class MethodFilter extends OncePerRequestFilter {

	/** The {@code Allow} header of the answer. */
	static final String ALLOW = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";

	static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE");

	private final JsonMapper json;

	MethodFilter(JsonMapper json) {
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
		chain.doFilter(request, response);
	}

	/** Why a request with this method is refused. */
	static String refusal(String method) {
		String named = (method.length() <= 20 && method.chars().allMatch((c) -> c > ' ' && c < 127))
				? "The method " + method : "This request's method";
		return named + " is not supported: Resonance answers GET, HEAD, POST, PUT, PATCH, DELETE and OPTIONS.";
	}

}
