package bot.resonance.platform.web;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Which browsers may call some endpoints (CORS). Resonance's APIs are for servers: they
 * are authenticated with secrets a web page must never hold, so a browser's preflight is
 * refused everywhere except on the paths a policy governs. A module that serves browsers
 * declares a bean of this type for its paths.
 */
public interface CorsPolicy {

	/** Whether this policy decides for {@code path} (decoded, within the application). */
	boolean governs(String path);

	/**
	 * Whether {@code origin} may call the request's endpoint. For a preflight the body is
	 * not available; the decision may use the path, the query and the headers.
	 */
	Decision decide(HttpServletRequest request, String origin);

	/** What a policy decided. */
	sealed interface Decision {

		/**
		 * The origin may call with these methods and request headers (lower case), and
		 * read these response headers.
		 */
		record Allowed(List<String> methods, List<String> headers, List<String> exposedHeaders) implements Decision {
		}

		/** The origin may not call; {@code reason} says why and what to do. */
		record Refused(String reason) implements Decision {
		}

	}

}
