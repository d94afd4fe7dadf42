package bot.resonance.platform.web;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;

/** Reads {@code Authorization: Bearer <token>}. */
public final class BearerTokens {

	private BearerTokens() {
	}

	public static @Nullable String from(HttpServletRequest request) {
		String header = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (header == null) {
			return null;
		}
		header = header.trim();
		if (header.length() > 7 && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
			String token = header.substring(7).trim();
			return token.isEmpty() ? null : token;
		}
		return null;
	}

}
