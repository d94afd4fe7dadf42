package bot.resonance.platform.admin;

import java.security.MessageDigest;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import bot.resonance.platform.crypto.Hashing;
import bot.resonance.platform.web.ApiAuthenticator;
import bot.resonance.platform.web.ApiCaller;
import bot.resonance.platform.web.BearerTokens;
import bot.resonance.platform.web.PathMatcher;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * Guards {@code /actuator/prometheus} when {@code resonance.metrics.token} is set: a
 * scrape then needs {@code Authorization: Bearer} with that token, or with the admin
 * token. Without the setting the endpoint stays open (health is always open).
 */
@Component
class MetricsAuthentication implements ApiAuthenticator {

	private static final PathMatcher PATHS = PathMatcher.of("/actuator/prometheus");

	private final byte @Nullable [] expectedHash;

	private final AdminTokens adminTokens;

	MetricsAuthentication(MetricsProperties properties, AdminTokens adminTokens) {
		this.expectedHash = StringUtils.hasText(properties.token()) ? Hashing.sha256(properties.token().trim()) : null;
		this.adminTokens = adminTokens;
	}

	/** Whether scrapes need a token. */
	boolean isGuarding() {
		return this.expectedHash != null;
	}

	@Override
	public boolean governs(HttpServletRequest request) {
		return this.expectedHash != null && PATHS.matches(request);
	}

	@Override
	public Result authenticate(HttpServletRequest request) {
		String token = BearerTokens.from(request);
		if (token == null) {
			return new Result.Refused(
					"Metrics need 'Authorization: Bearer <metrics token>' (resonance.metrics.token is set).");
		}
		if (!MessageDigest.isEqual(this.expectedHash, Hashing.sha256(token)) && !this.adminTokens.matches(token)) {
			return new Result.Refused("The metrics token is not valid.");
		}
		return new Result.Authenticated(new ApiCaller("metrics", token));
	}

}
