package bot.resonance.platform.web;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.servlet.HandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Requests are timed under the tags Spring's HTTP server observation gave them: route
 * template or a fixed value, status, outcome, exception; the in-flight timer counts a
 * request while it runs.
 */
class HttpRequestMetricsFilterUnitTests {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final HttpRequestMetricsFilter filter = new HttpRequestMetricsFilter(this.registry);

	@Test
	void aMatchedRouteIsTimedUnderItsTemplate() throws Exception {
		run("GET", "/v1/events/evt_1", (request, response) -> {
			request.setAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE, "/v1/events/{event_id}");
			((MockHttpServletResponse) response).setStatus(200);
		});
		run("GET", "/v1/events/evt_2", (request, response) -> request
			.setAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE, "/v1/events/{event_id}"));

		Timer timer = timer("GET", "/v1/events/{event_id}", "200", "SUCCESS", "none");
		assertThat(timer.count()).isEqualTo(2);
		assertThat(timer.totalTime(TimeUnit.NANOSECONDS)).isPositive();
		assertThat(this.registry.find(HttpRequestMetricsFilter.REQUESTS).timers()).hasSize(1);
	}

	@Test
	void unmatchedRequestsCountUnderFixedValuesNeverTheirPath() throws Exception {
		run("GET", "/v1/wallet", (request, response) -> ((MockHttpServletResponse) response).setStatus(401));
		run("GET", "/nowhere", (request, response) -> ((MockHttpServletResponse) response).setStatus(404));
		run("GET", "/old", (request, response) -> ((MockHttpServletResponse) response).setStatus(302));
		run("GET", "/",
				(request, response) -> request.setAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE, ""));
		run("GET", "/odd", (request, response) -> ((MockHttpServletResponse) response).setStatus(499));

		assertThat(timer("GET", "UNKNOWN", "401", "CLIENT_ERROR", "none").count()).isOne();
		assertThat(timer("GET", "NOT_FOUND", "404", "CLIENT_ERROR", "none").count()).isOne();
		assertThat(timer("GET", "REDIRECTION", "302", "REDIRECTION", "none").count()).isOne();
		assertThat(timer("GET", "root", "200", "SUCCESS", "none").count()).isOne();
		assertThat(timer("GET", "UNKNOWN", "499", "UNKNOWN", "none").count()).isOne();
	}

	@Test
	void methodsOutsideTheStandardSetCannotAddSeries() throws Exception {
		for (String method : new String[] { "BREW", "PROPFIND", "X-ANYTHING" }) {
			run(method, "/v1/wallet", (request, response) -> ((MockHttpServletResponse) response).setStatus(405));
		}
		assertThat(timer("UNKNOWN", "UNKNOWN", "405", "CLIENT_ERROR", "none").count()).isEqualTo(3);
		assertThat(this.registry.find(HttpRequestMetricsFilter.REQUESTS).timers()).hasSize(1);
		assertThat(this.registry.find(HttpRequestMetricsFilter.ACTIVE).longTaskTimers()).hasSize(1);
	}

	@Test
	void anEscapingExceptionCountsAsThe500ItIsAnsweredWith() throws Exception {
		assertThatExceptionOfType(ServletException.class)
			.isThrownBy(() -> run("POST", "/v1/events", (request, response) -> {
				throw new ServletException(new IllegalStateException("boom"));
			}));
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> run("POST", "/v1/events", (request, response) -> {
				throw new IllegalArgumentException("boom");
			}));
		assertThatExceptionOfType(IOException.class).isThrownBy(() -> run("POST", "/v1/events", (request, response) -> {
			throw new IOException("broken pipe");
		}));
		// an error the servlet reported without throwing it this far
		MockHttpServletResponse reported = run("POST", "/v1/events", (request, response) -> request
			.setAttribute(RequestDispatcher.ERROR_EXCEPTION, new UnsupportedOperationException()));

		assertThat(timer("POST", "UNKNOWN", "500", "SERVER_ERROR", "IllegalStateException").count()).isOne();
		assertThat(timer("POST", "UNKNOWN", "500", "SERVER_ERROR", "IllegalArgumentException").count()).isOne();
		assertThat(timer("POST", "UNKNOWN", "500", "SERVER_ERROR", "IOException").count()).isOne();
		assertThat(timer("POST", "UNKNOWN", "500", "SERVER_ERROR", "UnsupportedOperationException").count()).isOne();
		assertThat(reported.getStatus()).isEqualTo(500);
	}

	@Test
	void aRequestIsInFlightWhileItRunsAndNotAfter() throws Exception {
		int[] during = new int[1];
		run("PATCH", "/v1/members/1", (request, response) -> during[0] = activeTimer("PATCH").activeTasks());
		assertThat(during[0]).isOne();
		assertThat(activeTimer("PATCH").activeTasks()).isZero();
	}

	private MockHttpServletResponse run(String method, String path, FilterChain chain)
			throws IOException, ServletException {
		MockHttpServletRequest request = new MockHttpServletRequest(method, path);
		MockHttpServletResponse response = new MockHttpServletResponse();
		this.filter.doFilter(request, response, chain);
		return response;
	}

	private Timer timer(String method, String uri, String status, String outcome, String exception) {
		Timer timer = this.registry.find(HttpRequestMetricsFilter.REQUESTS)
			.tags("method", method, "uri", uri, "status", status, "outcome", outcome, "exception", exception, "error",
					exception)
			.timer();
		assertThat(timer).as(method + " " + uri + " " + status + " " + exception).isNotNull();
		return timer;
	}

	private LongTaskTimer activeTimer(String method) {
		LongTaskTimer timer = this.registry.find(HttpRequestMetricsFilter.ACTIVE)
			.tags("method", method, "uri", "UNKNOWN", "status", "200", "outcome", "SUCCESS", "exception", "none")
			.longTaskTimer();
		assertThat(timer).isNotNull();
		return timer;
	}

}
