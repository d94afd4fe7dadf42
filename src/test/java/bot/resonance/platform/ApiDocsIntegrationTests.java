package bot.resonance.platform;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import bot.resonance.support.ApiResponse;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.IntegrationTestSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document is generated from the code and matches what the API really sends.
 */
@IntegrationTest
class ApiDocsIntegrationTests extends IntegrationTestSupport {

	@Test
	void describesEveryApiWithTheWireNames() {
		ApiResponse docs = this.client.send("GET", "/v3/api-docs", null, Map.of());
		assertThat(docs.status()).isEqualTo(200);
		JsonNode paths = docs.json().get("paths");
		assertThat(paths.has("/v1/events")).isTrue();
		assertThat(paths.has("/v1/events/{event_id}")).isTrue();
		assertThat(paths.has("/v1/event-types/{event_type}")).isTrue();
		assertThat(paths.has("/v1/members/{member}")).isTrue();
		assertThat(paths.has("/v1/members/{member}/identities")).isTrue();
		assertThat(paths.has("/v1/webhooks/{webhook_id}/deliveries")).isTrue();
		assertThat(paths.has("/v1/incoming-webhooks")).isTrue();
		assertThat(paths.has("/admin/v1/brands/{brand_id}/wallet/credits")).isTrue();
		assertThat(paths.has("/error")).isFalse();
		JsonNode eventRequest = docs.json().path("components").path("schemas").path("EventRequest").path("properties");
		List<String> fields = new ArrayList<>(eventRequest.propertyNames());
		assertThat(fields).containsExactly("brand_id", "event_type", "user_id", "server_id", "amount", "metadata");
		assertThat(docs.json().path("components").path("securitySchemes").has("apiKey")).isTrue();
	}

	@Test
	void servesTheInteractiveUi() {
		assertThat(this.client.send("GET", "/swagger-ui/index.html", null, Map.of()).status()).isEqualTo(200);
	}

	@Test
	void reportsHealth() {
		ApiResponse health = this.client.send("GET", "/actuator/health", null, Map.of());
		assertThat(health.status()).isEqualTo(200);
		assertThat(health.json().get("status").asString()).isEqualTo("UP");
		assertThat(this.client.send("GET", "/actuator/health/liveness", null, Map.of()).status()).isEqualTo(200);
		assertThat(this.client.send("GET", "/actuator/health/readiness", null, Map.of()).status()).isEqualTo(200);
	}

}
