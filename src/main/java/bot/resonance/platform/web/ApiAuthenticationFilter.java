package bot.resonance.platform.web;

import java.io.IOException;
import java.util.List;

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

/**
 * Authenticates API requests first, before their bodies are read or a stored
 * {@code Idempotency-Key} answer is looked at: a revoked credential gets {@code 401} and
 * nothing else. The authenticated {@link ApiCaller} is left on the request.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 15)
class ApiAuthenticationFilter extends RequestFilter {

	private final List<ApiAuthenticator> authenticators;

	private final JsonMapper json;

	ApiAuthenticationFilter(List<ApiAuthenticator> authenticators, JsonMapper json) {
		this.authenticators = authenticators;
		this.json = json;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		for (ApiAuthenticator authenticator : this.authenticators) {
			if (!authenticator.governs(request)) {
				continue;
			}
			switch (authenticator.authenticate(request)) {
				case ApiAuthenticator.Result.Authenticated authenticated ->
					request.setAttribute(ApiCaller.ATTRIBUTE, authenticated.caller());
				case ApiAuthenticator.Result.Refused refused -> {
					response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
					FilterErrors.write(this.json, request, response, HttpStatus.UNAUTHORIZED, "unauthorized",
							refused.detail());
					return;
				}
			}
			break;
		}
		chain.doFilter(request, response);
	}

}
