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

	@Test
	void isADocumentAClientGeneratorCanRelyOn() {
		JsonNode docs = this.client.send("GET", "/v3/api-docs", null, Map.of()).json();
		JsonNode schemes = docs.path("components").path("securitySchemes");
		assertThat(schemes.has("apiKey")).isTrue();
		assertThat(schemes.has("adminToken")).isTrue();
		assertThat(schemes.path("signature").path("type").asString()).isEqualTo("apiKey");
		assertThat(schemes.path("signature").path("in").asString()).isEqualTo("header");
		assertThat(schemes.path("signature").path("name").asString()).isEqualTo("X-Resonance-Signature");
		java.util.List<String> problems = new java.util.ArrayList<>();
		docs.path("paths").properties().forEach((path) -> path.getValue().properties().forEach((operation) -> {
			String where = operation.getKey().toUpperCase(java.util.Locale.ROOT) + " " + path.getKey();
			JsonNode op = operation.getValue();
			op.path("parameters").forEach((parameter) -> {
				if (parameter.path("name").asString().equals("caller")) {
					problems.add(where + ": the authenticated caller shows as a parameter");
				}
				if (!parameter.has("schema") && !parameter.has("content")) {
					problems.add(where + ": parameter " + parameter.path("name").asString() + " has no schema");
				}
			});
			String key = path.getKey();
			boolean open = key.startsWith("/resonance-api/") || key.startsWith("/discord/")
					|| key.startsWith("/v1/integrations/shopify/{") || key.startsWith("/hooks/");
			if (!open && op.path("security").isEmpty()) {
				problems.add(where + ": no security requirement");
			}
			boolean problemDocumented = false;
			for (var response : op.path("responses").properties()) {
				if (response.getKey().startsWith("4")
						&& response.getValue().path("content").has("application/problem+json")
						|| response.getKey().startsWith("4")
								&& response.getValue().path("content").has("application/json")
								&& (key.equals("/v1/events") || key.startsWith("/resonance-api/"))) {
					problemDocumented = true;
				}
			}
			if (!problemDocumented) {
				problems.add(where + ": no 4xx answer documented");
			}
		}));
		assertThat(problems).isEmpty();
		JsonNode events = docs.path("paths").path("/v1/events").path("post");
		assertThat(events.path("security").toString()).contains("signature");
		assertThat(docs.path("paths").path("/admin/v1/brands").path("post").path("security").toString())
			.contains("adminToken");
		assertThat(docs.path("paths").path("/v1/wallet").path("get").path("security").toString()).contains("apiKey");
	}

}
