package bot.resonance.platform.admin;

import jakarta.servlet.http.HttpServletRequest;

import bot.resonance.platform.web.ApiAuthenticator;
import bot.resonance.platform.web.ApiCaller;
import bot.resonance.platform.web.BearerTokens;
import bot.resonance.platform.web.PathMatcher;
import org.springframework.stereotype.Component;

/**
 * Guards the operator API: {@code Authorization: Bearer <RESONANCE_ADMIN_TOKEN>}.
 */
@Component
class AdminAuthentication implements ApiAuthenticator {

	private static final PathMatcher PATHS = PathMatcher.of("/admin/**");

	private final AdminTokens tokens;

	AdminAuthentication(AdminTokens tokens) {
		this.tokens = tokens;
	}

	@Override
	public boolean governs(HttpServletRequest request) {
		return PATHS.matches(request);
	}

	@Override
	public Result authenticate(HttpServletRequest request) {
		String token = BearerTokens.from(request);
		if (token == null) {
			return new Result.Refused("The operator API needs 'Authorization: Bearer <admin token>'.");
		}
		if (!this.tokens.matches(token)) {
			return new Result.Refused("The admin token is not valid.");
		}
		return new Result.Authenticated(new ApiCaller("operator", token));
	}

}
