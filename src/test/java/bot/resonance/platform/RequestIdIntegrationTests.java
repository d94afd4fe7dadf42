package bot.resonance.platform;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import bot.resonance.platform.web.RequestIdFilter;
import bot.resonance.support.ApiResponse;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.IntegrationTestSupport;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every answer names its request's id, and so do the error it may carry and the log lines
 * written while it was served.
 */
@IntegrationTest
class RequestIdIntegrationTests extends IntegrationTestSupport {

	@Test
	void everyAnswerAndEveryProblemCarriesTheRequestId() {
		ApiResponse health = this.client.send("GET", "/actuator/health", null, Map.of());
		assertThat(health.header("X-Request-Id")).matches("req_[A-Za-z0-9]{20}");

		ApiResponse problem = this.client.send("GET", "/v1/wallet", null, Map.of());
		assertThat(problem.status()).isEqualTo(401);
		assertThat(problem.text("request_id")).isEqualTo(problem.header("X-Request-Id"));
		ApiResponse other = this.client.send("GET", "/v1/wallet", null, Map.of());
		assertThat(other.header("X-Request-Id")).isNotEqualTo(problem.header("X-Request-Id"));

		// A caller's own id is kept when it is a sane one, replaced when it is not.
		ApiResponse given = this.client.send("GET", "/v1/wallet", null, Map.of("X-Request-Id", "lb-7f3a.42:x_y"));
		assertThat(given.header("X-Request-Id")).isEqualTo("lb-7f3a.42:x_y");
		assertThat(given.text("request_id")).isEqualTo("lb-7f3a.42:x_y");
		ApiResponse hostile = this.client.send("GET", "/v1/wallet", null,
				Map.of("X-Request-Id", "<script>alert(1)</script>"));
		assertThat(hostile.header("X-Request-Id")).startsWith("req_");
		ApiResponse tooLong = this.client.send("GET", "/v1/wallet", null, Map.of("X-Request-Id", "a".repeat(129)));
		assertThat(tooLong.header("X-Request-Id")).startsWith("req_");

		// The event API's errors keep the seed's body; the id is in their header.
		ApiResponse refused = this.client.send("POST", "/v1/events", "{}", Map.of("Content-Type", "application/json",
				"X-Resonance-Signature", "0".repeat(64), "X-Request-Id", "event-error-1"));
		assertThat(refused.status()).isEqualTo(400);
		assertThat(refused.header("X-Request-Id")).isEqualTo("event-error-1");
		assertThat(refused.json().path("success").asBoolean()).isFalse();

		// The portal's error pages show it too.
		ApiResponse page = this.client.send("POST", "/portal/sign-out", "", Map.of("X-Request-Id", "page-error-1"));
		assertThat(page.status()).isEqualTo(403);
		assertThat(page.body()).contains("request page-error-1");
	}

	@Test
	void theIdIsInTheLoggingContextWhileTheRequestIsServedOnly() throws Exception {
		RequestIdFilter filter = new RequestIdFilter();
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/v1/wallet");
		request.addHeader("X-Request-Id", "abc-123");
		MockHttpServletResponse response = new MockHttpServletResponse();
		AtomicReference<String> seen = new AtomicReference<>();
		filter.doFilter(request, response, new MockFilterChain() {

			@Override
			public void doFilter(jakarta.servlet.ServletRequest req, jakarta.servlet.ServletResponse res) {
				seen.set(MDC.get("request_id"));
			}

		});
		assertThat(seen.get()).isEqualTo("abc-123");
		assertThat(response.getHeader("X-Request-Id")).isEqualTo("abc-123");
		assertThat(MDC.get("request_id")).isNull();
	}

}
