package bot.resonance.platform.admin;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import bot.resonance.platform.web.ApiException;
import bot.resonance.platform.web.BearerTokens;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Guards the operator API: {@code Authorization: Bearer <RESONANCE_ADMIN_TOKEN>}.
 */
class AdminAuthInterceptor implements HandlerInterceptor {

	private final AdminTokens tokens;

	AdminAuthInterceptor(AdminTokens tokens) {
		this.tokens = tokens;
	}

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
		String token = BearerTokens.from(request);
		if (token == null) {
			throw ApiException.unauthorized("The operator API needs 'Authorization: Bearer <admin token>'.");
		}
		if (!this.tokens.matches(token)) {
			throw ApiException.unauthorized("The admin token is not valid.");
		}
		return true;
	}

}
