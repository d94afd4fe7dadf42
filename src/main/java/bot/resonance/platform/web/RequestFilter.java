package bot.resonance.platform.web;

import java.io.IOException;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A filter of the requests clients send, once each. Spring Boot registers a filter bean
 * that is not a {@code OncePerRequestFilter} for the container's {@code REQUEST} dispatch
 * only: never again for the forward to an error page, an include or an async dispatch,
 * which is what {@code OncePerRequestFilter} gives by default, without the request
 * attribute it sets and removes on every request to know it ran (per filter, about 0.3%
 * of the server's CPU under the event API's load).
 */
public abstract class RequestFilter implements Filter {

	@Override
	public final void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		if (request instanceof HttpServletRequest http && response instanceof HttpServletResponse httpResponse
				&& !shouldNotFilter(http)) {
			doFilterInternal(http, httpResponse, chain);
		}
		else {
			chain.doFilter(request, response);
		}
	}

	/** Whether the request passes through untouched. */
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return false;
	}

	protected abstract void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
			FilterChain chain) throws ServletException, IOException;

}
