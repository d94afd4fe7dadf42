package bot.resonance.platform.web;

import java.io.IOException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Gives every request an id: the caller's {@code X-Request-Id} when it is a sane one
 * (letters, digits, {@code . _ : -}, at most 128), else a new {@code req_…}. The id is
 * answered in {@code X-Request-Id}, is in every log line written while the request is
 * served ({@code request_id} in the logging context) and in every problem document and
 * error page, so a user's report and the server's log meet.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class RequestIdFilter extends RequestFilter {

	/** The header, in both directions. */
	public static final String HEADER = "X-Request-Id";

	/** The key in the logging context (MDC). */
	public static final String MDC_KEY = "request_id";

	private static final String ATTRIBUTE = RequestIdFilter.class.getName();

	private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

	private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String id = assign(request, response);
		MDC.put(MDC_KEY, id);
		try {
			chain.doFilter(request, response);
		}
		finally {
			MDC.remove(MDC_KEY);
		}
	}

	/**
	 * The request's id, given to it now if it has none yet (a request the container
	 * refuses before any filter runs is answered with one too), and answered in
	 * {@code X-Request-Id}. Every answer that carries it also says
	 * {@code X-Content-Type-Options: nosniff}: problem documents repeat what a request
	 * sent, and a browser must never read one as anything but the JSON it says it is.
	 */
	static String assign(HttpServletRequest request, HttpServletResponse response) {
		response.setHeader("X-Content-Type-Options", "nosniff");
		String id = of(request);
		if (id == null) {
			String given = request.getHeader(HEADER);
			id = (given != null && SANE.matcher(given).matches()) ? given : newId();
			request.setAttribute(ATTRIBUTE, id);
		}
		response.setHeader(HEADER, id);
		return id;
	}

	/**
	 * A new request id: 20 base62 characters (about 119 bits), unique with overwhelming
	 * likelihood. It names a request in logs and answers and guards nothing, so it comes
	 * from a fast generator rather than the secure one (which every request would contend
	 * for).
	 */
	static String newId() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		StringBuilder id = new StringBuilder(24).append("req_");
		for (int i = 0; i < 20; i++) {
			id.append(BASE62[random.nextInt(BASE62.length)]);
		}
		return id.toString();
	}

	/** The id of the request, or {@code null} outside one. */
	public static @Nullable String of(HttpServletRequest request) {
		return (request.getAttribute(ATTRIBUTE) instanceof String id) ? id : null;
	}

}
