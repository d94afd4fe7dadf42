package bot.resonance.platform.web;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Times every request into {@code http.server.requests} (and counts those in flight in
 * {@code http.server.requests.active}), with the meters and tags Spring's HTTP server
 * observation gives them: {@code method}, {@code uri} (the route template, {@code root},
 * {@code NOT_FOUND}, {@code REDIRECTION} or {@code UNKNOWN}, never the raw path),
 * {@code status}, {@code outcome}, {@code exception} and {@code error}. It takes that
 * observation's place ({@link HttpMetricsConfiguration}): the observation notified its
 * handlers and built its tags and meter ids on every request (about 8% of the server's
 * CPU samples under the event API's load); here a request is a clock read, a look-up of
 * meters made once per route and answer, and a record.
 * <p>
 * Methods outside HTTP's standard set count as {@code UNKNOWN}, so that no request can
 * add series at will.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class HttpRequestMetricsFilter implements Filter {

	static final String REQUESTS = "http.server.requests";

	static final String ACTIVE = "http.server.requests.active";

	private static final String NONE = "none";

	private static final String UNKNOWN = "UNKNOWN";

	private final MeterRegistry registry;

	private final Map<Key, Timer> timers = new ConcurrentHashMap<>();

	private final Map<String, LongTaskTimer> active = new ConcurrentHashMap<>();

	HttpRequestMetricsFilter(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
			throws IOException, ServletException {
		if (!(req instanceof HttpServletRequest request) || !(res instanceof HttpServletResponse response)) {
			chain.doFilter(req, res);
			return;
		}
		String method = RequestLineFilter.METHODS.contains(request.getMethod()) ? request.getMethod() : UNKNOWN;
		LongTaskTimer activeTimer = this.active.get(method);
		if (activeTimer == null) {
			activeTimer = this.active.computeIfAbsent(method, this::activeTimer);
		}
		LongTaskTimer.Sample inFlight = activeTimer.start();
		long start = System.nanoTime();
		Throwable error = null;
		try {
			chain.doFilter(request, response);
		}
		catch (IOException | ServletException | RuntimeException | Error ex) {
			error = (ex instanceof ServletException && ex.getCause() != null) ? ex.getCause() : ex;
			throw ex;
		}
		finally {
			long nanos = System.nanoTime() - start;
			if (error == null && request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof Throwable thrown) {
				error = thrown;
			}
			if (error != null) {
				// Counted as the 500 the container answers for it once it is through here
				// (where the observation counted the status the response had so far).
				response.setStatus(HttpStatus.INTERNAL_SERVER_ERROR.value());
			}
			int status = response.getStatus();
			String exception = (error != null) ? name(error) : NONE;
			Key key = new Key(method, uri(request, status), status, exception);
			Timer timer = this.timers.get(key);
			if (timer == null) {
				timer = this.timers.computeIfAbsent(key, this::timer);
			}
			timer.record(nanos, TimeUnit.NANOSECONDS);
			inFlight.stop();
		}
	}

	private Timer timer(Key key) {
		return Timer.builder(REQUESTS)
			.tags(Tags.of("error", key.exception(), "exception", key.exception(), "method", key.method(), "outcome",
					outcome(key.status()), "status", Integer.toString(key.status()), "uri", key.uri()))
			.register(this.registry);
	}

	/**
	 * The in-flight timer of a method, tagged as the observation tagged it when a request
	 * starts (before anything is known of its answer or route).
	 */
	private LongTaskTimer activeTimer(String method) {
		return LongTaskTimer.builder(ACTIVE)
			.tags(Tags.of("exception", NONE, "method", method, "outcome", "SUCCESS", "status", "200", "uri", UNKNOWN))
			.register(this.registry);
	}

	private static String uri(HttpServletRequest request, int status) {
		if (request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE) instanceof String pattern) {
			return pattern.isEmpty() ? "root" : pattern;
		}
		HttpStatus known = HttpStatus.resolve(status);
		if (known != null && known.is3xxRedirection()) {
			return "REDIRECTION";
		}
		return (known == HttpStatus.NOT_FOUND) ? "NOT_FOUND" : UNKNOWN;
	}

	private static String outcome(int status) {
		if (status >= 200 && status < 300) {
			return "SUCCESS";
		}
		HttpStatus known = HttpStatus.resolve(status);
		return (known != null) ? known.series().name() : UNKNOWN;
	}

	private static String name(Throwable error) {
		String simple = error.getClass().getSimpleName();
		return simple.isEmpty() ? error.getClass().getName() : simple;
	}

	/** What tells a request's timer from another's. */
	private record Key(String method, String uri, int status, String exception) {
	}

}
