package bot.resonance.platform.web;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * Who an authenticated API request comes from: {@code principal} names the identity the
 * credential belongs to ({@code brand:0x…} or {@code operator}), whichever of its
 * credentials was used and however the header was spelled; {@code credential} is the
 * verified secret itself, kept only for the request's lifetime.
 */
public record ApiCaller(String principal, String credential) {

	static final String ATTRIBUTE = ApiCaller.class.getName();

	/** The caller the request was authenticated as, if it was. */
	public static @Nullable ApiCaller of(HttpServletRequest request) {
		return (request.getAttribute(ATTRIBUTE) instanceof ApiCaller caller) ? caller : null;
	}

	@Override
	public String toString() {
		return "ApiCaller[" + this.principal + "]";
	}

}
