package bot.resonance.webhooks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import bot.resonance.support.ApiResponse;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.IntegrationTestSupport;
import bot.resonance.support.Race;
import bot.resonance.support.ResonanceClient;
import bot.resonance.support.TestBrand;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The webhook management API of the reward webhook documentation ({@code /v1/webhooks})
 * and what comes with it: validation, pagination, isolation between brands, the catalogue
 * and the settings.
 */
@IntegrationTest
class WebhookManagementIntegrationTests extends IntegrationTestSupport {

	private static final String URL = "http://127.0.0.1:9/hook";

	@Test
	void endpointsAreCreatedReadChangedAndDeleted() {
		TestBrand brand = this.client.createBrand();
		ApiResponse created = this.client.api(brand, "POST", "/v1/webhooks", ResonanceClient.json(Map.of("url", URL,
				"description", "Orders", "event_types", List.of("reward.earned", "reward.earned", "duel.finish"))));
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		String id = created.text("id");
		assertThat(created.header("Location")).endsWith("/v1/webhooks/" + id);
		assertThat(created.text("secret")).startsWith("whsec_");
		assertThat(created.json().get("event_types").valueStream().map(JsonNode::asString))
			.containsExactly("reward.earned", "duel.finish");
		assertThat(created.json().get("enabled").asBoolean()).isTrue();
		assertThat(created.json().get("paused").asBoolean()).isFalse();

		ApiResponse read = this.client.get(brand, "/v1/webhooks/" + id);
		assertThat(read.status()).isEqualTo(200);
		assertThat(read.text("url")).isEqualTo(URL);
		assertThat(read.text("description")).isEqualTo("Orders");
		assertThat(read.json().has("secret")).as("the secret is not shown again here").isFalse();
		assertThat(this.client.get(brand, "/v1/webhooks/" + id + "/secret").text("secret"))
			.isEqualTo(created.text("secret"));

		ApiResponse changed = this.client.api(brand, "PATCH", "/v1/webhooks/" + id,
				"{\"description\":null,\"event_types\":null}");
		assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
		assertThat(changed.json().get("description").isNull()).isTrue();
		assertThat(changed.json().get("event_types").isNull()).as("every event").isTrue();
		assertThat(changed.text("url")).as("absent fields are kept").isEqualTo(URL);

		ApiResponse disabled = this.client.api(brand, "PATCH", "/v1/webhooks/" + id, "{\"enabled\":false}");
		assertThat(disabled.json().get("enabled").asBoolean()).isFalse();

		assertThat(this.client.api(brand, "DELETE", "/v1/webhooks/" + id, null).status()).isEqualTo(204);
		ApiResponse gone = this.client.get(brand, "/v1/webhooks/" + id);
		assertThat(gone.status()).isEqualTo(404);
		assertThat(gone.problemCode()).isEqualTo("webhook_not_found");
		assertThat(this.client.api(brand, "DELETE", "/v1/webhooks/" + id, null).status()).isEqualTo(404);
	}

	@Test
	void invalidEndpointsAreRefusedNamingTheProblem() {
		TestBrand brand = this.client.createBrand();
		for (String body : List.of("{}", "{\"url\":\"\"}", "{\"url\":null}", "{\"url\":5}",
				"{\"url\":\"" + URL + "\",\"event_types\":[]}", "{\"url\":\"" + URL + "\",\"event_types\":[\"nope\"]}",
				"{\"url\":\"" + URL + "\",\"event_types\":\"reward.earned\"}",
				"{\"url\":\"" + URL + "\",\"description\":\"" + "x".repeat(501) + "\"}",
				"{\"url\":\"" + URL + "\",\"colour\":\"red\"}", "{\"url\":\"http://exa mple.com/\"}",
				"{\"url\":\"https://" + "a".repeat(2050) + ".com/\"}", "[]", "not json")) {
			ApiResponse response = this.client.api(brand, "POST", "/v1/webhooks", body);
			assertThat(response.status()).as(body + " " + response).isEqualTo(400);
			assertThat(response.problemCode()).isEqualTo("invalid_request");
		}
		String id = this.client.api(brand, "POST", "/v1/webhooks", ResonanceClient.json(Map.of("url", URL))).text("id");
		for (String body : List.of("{\"url\":null}", "{\"enabled\":\"yes\"}", "{\"url\":\"http://10.1.2.3/\"}",
				"{\"event_types\":[]}", "{\"secret\":\"mine\"}")) {
			ApiResponse response = this.client.api(brand, "PATCH", "/v1/webhooks/" + id, body);
			assertThat(response.status()).as(body + " " + response).isEqualTo(400);
		}
	}

	@Test
	void endpointsArePaginatedOldestFirst() {
		TestBrand brand = this.client.createBrand();
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			ids.add(this.client.api(brand, "POST", "/v1/webhooks", ResonanceClient.json(Map.of("url", URL + i)))
				.text("id"));
		}
		List<String> seen = new ArrayList<>();
		String cursor = null;
		do {
			ApiResponse page = this.client.get(brand,
					"/v1/webhooks?limit=2" + ((cursor != null) ? "&starting_after=" + cursor : ""));
			assertThat(page.status()).as(page.toString()).isEqualTo(200);
			page.json().get("data").forEach((endpoint) -> seen.add(endpoint.get("id").asString()));
			cursor = page.json().get("has_more").asBoolean() ? page.text("next_cursor") : null;
		}
		while (cursor != null);
		assertThat(seen).containsExactlyInAnyOrderElementsOf(ids).hasSize(5);
		assertThat(this.client.get(brand, "/v1/webhooks?limit=0").status()).isEqualTo(400);
		ApiResponse blankLimit = this.client.get(brand, "/v1/webhooks?limit=");
		assertThat(blankLimit.status()).isEqualTo(400);
		assertThat(blankLimit.text("detail"))
			.isEqualTo("Query parameter 'limit' is empty: leave it out or give a whole number.");
		ApiResponse badCursor = this.client.get(brand, "/v1/webhooks?starting_after=nope");
		assertThat(badCursor.status()).isEqualTo(400);
		assertThat(badCursor.text("detail")).contains("starting_after");
	}

	@Test
	void aBrandHasAtMostFiftyEndpointsEvenWhenCreatingThemAtOnce() {
		TestBrand brand = this.client.createBrand();
		List<ApiResponse> responses = Race.run(60, (i) -> this.client.api(brand, "POST", "/v1/webhooks",
				ResonanceClient.json(Map.of("url", URL + "/" + i))));
		assertThat(responses.stream().filter((r) -> r.status() == 201)).hasSize(50);
		assertThat(responses.stream().filter((r) -> r.status() != 201)).hasSize(10)
			.allSatisfy((r) -> assertThat(r.problemCode()).as(r.toString()).isEqualTo("webhook_limit_reached"));
	}

	@Test
	void brandsSeeOnlyTheirOwnEndpoints() {
		TestBrand owner = this.client.createBrand();
		TestBrand other = this.client.createBrand();
		String id = this.client.api(owner, "POST", "/v1/webhooks", ResonanceClient.json(Map.of("url", URL))).text("id");
		for (ApiResponse response : List.of(this.client.get(other, "/v1/webhooks/" + id),
				this.client.get(other, "/v1/webhooks/" + id + "/secret"),
				this.client.get(other, "/v1/webhooks/" + id + "/deliveries"),
				this.client.api(other, "PATCH", "/v1/webhooks/" + id, "{\"enabled\":false}"),
				this.client.api(other, "POST", "/v1/webhooks/" + id + "/pause", null),
				this.client.api(other, "POST", "/v1/webhooks/" + id + "/test", null),
				this.client.api(other, "POST", "/v1/webhooks/" + id + "/rotate-secret", null),
				this.client.api(other, "DELETE", "/v1/webhooks/" + id, null))) {
			assertThat(response.status()).as(response.toString()).isEqualTo(404);
		}
		assertThat(this.client.get(other, "/v1/webhooks").json().get("data")).isEmpty();
		assertThat(this.client.get(owner, "/v1/webhooks/" + id).json().get("enabled").asBoolean()).isTrue();
		ApiResponse anonymous = this.client.send("GET", "/v1/webhooks", null, Map.of());
		assertThat(anonymous.status()).isEqualTo(401);
		assertThat(this.client.get(owner, "/v1/webhooks/not-a-uuid").status()).isEqualTo(404);
	}

	@Test
	void deliveriesCanBeFilteredAndUnknownOnesAreNotFound() {
		TestBrand brand = this.client.createBrand();
		String id = this.client.api(brand, "POST", "/v1/webhooks", ResonanceClient.json(Map.of("url", URL))).text("id");
		assertThat(this.client.get(brand, "/v1/webhooks/" + id + "/deliveries?status=bogus").status()).isEqualTo(400);
		assertThat(this.client.get(brand, "/v1/webhooks/" + id + "/deliveries?starting_after=-1").status())
			.isEqualTo(400);
		assertThat(this.client.get(brand, "/v1/webhooks/" + id + "/deliveries?status=dead&event=reward.earned")
			.json()
			.get("data")).isEmpty();
		ApiResponse retry = this.client.api(brand, "POST", "/v1/webhooks/" + id + "/deliveries/dlv_nope/retry", null);
		assertThat(retry.status()).isEqualTo(404);
		assertThat(retry.problemCode()).isEqualTo("delivery_not_found");
		assertThat(this.client.api(brand, "POST", "/v1/webhooks/" + id + "/recover", "{}").status()).isEqualTo(400);
	}

	@Test
	void theCatalogueDescribesEveryEventWithASchemaAndAnExample() {
		TestBrand brand = this.client.createBrand();
		JsonNode data = this.client.get(brand, "/v1/webhook-events").json().get("data");
		List<String> names = data.valueStream().map((e) -> e.get("name").asString()).toList();
		assertThat(names).contains("reward.earned", "balance.change", "trade.complete", "duel.finish", "member.join",
				"member.leave", "moderation.action", "webhook.disabled");
		for (JsonNode entry : data) {
			assertThat(entry.get("description").asString()).isNotBlank();
			assertThat(entry.get("schema").get("type").asString()).isEqualTo("object");
			JsonNode example = entry.get("example");
			assertThat(example.get("event").asString()).isEqualTo(entry.get("name").asString());
			assertThat(example.has("data")).isTrue();
			assertThat(example.has("timestamp")).isTrue();
			// The example is a whole message: every field the schema requires is in it.
			entry.get("schema")
				.path("required")
				.forEach((field) -> assertThat(example.has(field.asString()))
					.as(entry.get("name") + " " + field.asString())
					.isTrue());
			assertThat(example.get("id").asString()).startsWith("msg_");
			// Every field the schema requires of data is in the example.
			JsonNode required = entry.get("schema").at("/properties/data/required");
			if (required.isArray()) {
				required.forEach((field) -> assertThat(example.get("data").has(field.asString()))
					.as(entry.get("name") + " data." + field.asString())
					.isTrue());
			}
		}
	}

	@Test
	void theBalanceChangeThresholdIsASetting() {
		TestBrand brand = this.client.createBrand();
		assertThat(this.client.get(brand, "/v1/webhook-settings").json().get("balance_change_threshold").isNull())
			.isTrue();
		ApiResponse set = this.client.api(brand, "PUT", "/v1/webhook-settings", "{\"balance_change_threshold\":500}");
		assertThat(set.json().get("balance_change_threshold").asLong()).isEqualTo(500);
		for (String body : List.of("{\"balance_change_threshold\":0}", "{\"balance_change_threshold\":-5}",
				"{\"balance_change_threshold\":1.5}", "{\"balance_change_threshold\":\"5\"}", "{\"other\":1}")) {
			ApiResponse response = this.client.api(brand, "PUT", "/v1/webhook-settings", body);
			assertThat(response.status()).as(body + " " + response).isEqualTo(400);
		}
		ApiResponse cleared = this.client.api(brand, "PUT", "/v1/webhook-settings",
				"{\"balance_change_threshold\":null}");
		assertThat(cleared.json().get("balance_change_threshold").isNull()).isTrue();
	}

}
