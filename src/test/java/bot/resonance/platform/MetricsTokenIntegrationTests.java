package bot.resonance.platform;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;

import bot.resonance.support.ApiResponse;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.IntegrationTestSupport;
import bot.resonance.support.ResonanceClient;
import bot.resonance.support.SecondNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code resonance.metrics.token}: with it, {@code /actuator/prometheus} answers only a
 * scrape that brings it (or the admin token), on the application's port and on the
 * actuator's own; health stays open. Without it (the shared test server) the scrape is
 * open, as {@link MetricsIntegrationTests} shows.
 */
@IntegrationTest
class MetricsTokenIntegrationTests extends IntegrationTestSupport {

	private static final String TOKEN = "metrics-scrape-token-0123456789";

	@Autowired
	Environment environment;

	@Test
	void aScrapeNeedsTheTokenOnceItIsSet() {
		try (SecondNode node = SecondNode.start(this.environment, this.clock, "resonance.metrics.token=" + TOKEN)) {
			assertGuarded(new ResonanceClient(node.port()));
		}
	}

	@Test
	void theActuatorsOwnPortIsGuardedToo() {
		try (SecondNode node = SecondNode.start(this.environment, this.clock, "resonance.metrics.token=" + TOKEN,
				"management.server.port=0")) {
			int managementPort = Integer.parseInt(node.property("local.management.port"));
			assertThat(managementPort).isNotEqualTo(node.port());
			assertGuarded(new ResonanceClient(managementPort));
		}
	}

	private static void assertGuarded(ResonanceClient client) {
		ApiResponse anonymous = client.send("GET", "/actuator/prometheus", null, Map.of());
		assertThat(anonymous.status()).as(anonymous.toString()).isEqualTo(401);
		assertThat(anonymous.header("WWW-Authenticate")).isEqualTo("Bearer");
		assertThat(anonymous.problemCode()).isEqualTo("unauthorized");
		assertThat(anonymous.body()).contains("resonance.metrics.token").doesNotContain("resonance_events_total");

		ApiResponse wrong = client.send("GET", "/actuator/prometheus", null,
				Map.of("Authorization", "Bearer not-the-token"));
		assertThat(wrong.status()).as(wrong.toString()).isEqualTo(401);
		assertThat(wrong.body()).doesNotContain("resonance_events_total");

		// Other spellings of the path do not get past the check.
		for (String path : new String[] { "/actuator/prometheus/", "/actuator//prometheus", "/actuator/./prometheus",
				"/actuator/Prometheus", "/actuator/prometheus;x=1", "/actuator/%70rometheus" }) {
			ApiResponse other = client.send("GET", path, null, Map.of());
			assertThat(other.status()).as(path + " " + other).isBetween(400, 499);
			assertThat(other.body()).as(path).doesNotContain("resonance_events_total");
		}

		for (String token : new String[] { TOKEN, ResonanceClient.ADMIN_TOKEN }) {
			ApiResponse scrape = client.send("GET", "/actuator/prometheus", null,
					Map.of("Authorization", "Bearer " + token));
			assertThat(scrape.status()).as(scrape.toString()).isEqualTo(200);
			assertThat(scrape.body()).contains("resonance_events_total");
		}

		ApiResponse health = client.send("GET", "/actuator/health", null, Map.of());
		assertThat(health.status()).as(health.toString()).isEqualTo(200);
	}

}
