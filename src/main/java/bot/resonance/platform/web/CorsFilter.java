package bot.resonance.platform.web;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

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
import org.springframework.web.cors.CorsUtils;

/**
 * The CORS policy, decided before anything else looks at a request. A preflight
 * ({@code OPTIONS} with {@code Origin} and {@code Access-Control-Request-Method}) is
 * answered here: {@code 204} with the permissions a {@link CorsPolicy} grants, or
 * {@code 403 cors_not_allowed} saying why. Paths no policy governs are for servers only
 * (the management, operator, event and webhook APIs), so their preflights are refused. A
 * cross-origin request that is not a preflight is served as usual; it carries
 * {@code Access-Control-Allow-Origin} only where a policy allows its origin, so no other
 * web page can read an answer.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 5)
class CorsFilter extends RequestFilter {

	static final String MAX_AGE_SECONDS = "600";

	private final List<CorsPolicy> policies;

	private final JsonMapper json;

	CorsFilter(List<CorsPolicy> policies, JsonMapper json) {
		this.policies = policies;
		this.json = json;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return request.getHeader(HttpHeaders.ORIGIN) == null;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String origin = request.getHeader(HttpHeaders.ORIGIN).trim();
		String path = SeedErrors.path(request);
		Optional<CorsPolicy> policy = this.policies.stream().filter((p) -> p.governs(path)).findFirst();
		CorsPolicy.Decision decision = policy.map((p) -> p.decide(request, origin))
			.orElseGet(() -> new CorsPolicy.Decision.Refused("This API is for servers, not browsers: it is "
					+ "authenticated with secrets a web page must never hold. Call it from your backend."));
		if (CorsUtils.isPreFlightRequest(request)) {
			preflight(request, response, origin, decision);
			return;
		}
		if (decision instanceof CorsPolicy.Decision.Allowed allowed) {
			response.addHeader(HttpHeaders.VARY, HttpHeaders.ORIGIN);
			response.setHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
			if (!allowed.exposedHeaders().isEmpty()) {
				response.setHeader(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS,
						String.join(", ", allowed.exposedHeaders()));
			}
		}
		else if (policy.isPresent()) {
			response.addHeader(HttpHeaders.VARY, HttpHeaders.ORIGIN);
		}
		chain.doFilter(request, response);
	}

	private void preflight(HttpServletRequest request, HttpServletResponse response, String origin,
			CorsPolicy.Decision decision) throws IOException {
		response.addHeader(HttpHeaders.VARY, String.join(", ", HttpHeaders.ORIGIN,
				HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS));
		String refusal = switch (decision) {
			case CorsPolicy.Decision.Refused refused -> refused.reason();
			case CorsPolicy.Decision.Allowed allowed -> refusal(request, allowed);
		};
		if (refusal != null) {
			FilterErrors.write(this.json, request, response, HttpStatus.FORBIDDEN, "cors_not_allowed",
					"Cross-origin request from " + origin + " refused. " + refusal);
			return;
		}
		CorsPolicy.Decision.Allowed allowed = (CorsPolicy.Decision.Allowed) decision;
		response.setStatus(HttpStatus.NO_CONTENT.value());
		response.setHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
		response.setHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, String.join(", ", allowed.methods()));
		if (!allowed.headers().isEmpty()) {
			response.setHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, String.join(", ", allowed.headers()));
		}
		response.setHeader(HttpHeaders.ACCESS_CONTROL_MAX_AGE, MAX_AGE_SECONDS);
	}

	/**
	 * Why the preflight asks for more than was allowed, or {@code null} if it does not.
	 */
	private static @Nullable String refusal(HttpServletRequest request, CorsPolicy.Decision.Allowed allowed) {
		String method = request.getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD).trim().toUpperCase(Locale.ROOT);
		if (!allowed.methods().contains(method)) {
			return "Browsers may use " + String.join(", ", allowed.methods()) + " here, not " + method + ".";
		}
		String requested = request.getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS);
		if (requested != null) {
			List<String> unknown = Arrays.stream(requested.split(","))
				.map((h) -> h.trim().toLowerCase(Locale.ROOT))
				.filter((h) -> !h.isEmpty() && !allowed.headers().contains(h))
				.toList();
			if (!unknown.isEmpty()) {
				return "These request headers are not part of this API: "
						+ unknown.stream().collect(Collectors.joining(", ")) + ". Browsers may send "
						+ String.join(", ", allowed.headers()) + ".";
			}
		}
		return null;
	}

}
