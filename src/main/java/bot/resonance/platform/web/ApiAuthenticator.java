package bot.resonance.platform.web;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Authenticates the requests of one API (the management API's API keys, the operator
 * API's admin token). Every request an authenticator governs is authenticated before
 * anything else looks at it, stored idempotent answers included.
 */
public interface ApiAuthenticator {

	/** Whether this authenticator is responsible for the request. */
	boolean governs(HttpServletRequest request);

	/**
	 * The caller, or a refusal. An authenticator may leave request attributes for its
	 * module's controllers.
	 */
	Result authenticate(HttpServletRequest request);

	/** An authentication's outcome. */
	sealed interface Result {

		record Authenticated(ApiCaller caller) implements Result {
		}

		/** {@code 401} with this detail. */
		record Refused(String detail) implements Result {
		}

	}

}
