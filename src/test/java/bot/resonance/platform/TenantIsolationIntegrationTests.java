package bot.resonance.platform;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import bot.resonance.support.ApiResponse;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.IntegrationTestSupport;
import bot.resonance.support.ResonanceClient;
import bot.resonance.support.TestBrand;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One brand's API key reaches nothing of another brand's, on every {@code /v1} route the
 * server maps (taken from the route table, so a new endpoint is swept too): called with
 * the other brand's ids, every route answers without the other brand's data, never with a
 * 5xx, and the other brand's resources are unchanged afterwards.
 */
@IntegrationTest
class TenantIsolationIntegrationTests extends IntegrationTestSupport {

	@Autowired
	@Qualifier("requestMappingHandlerMapping")
	RequestMappingHandlerMapping mappings;

	@Test
	void noRouteReachesAnotherBrandsData() {
		TestBrand victim = brandWith(10_000, "victim_only_type", Map.of("amount", 7));
		TestBrand attacker = brandWith(10_000, "custom_event", Map.of("amount", 1));
		String member = newUserId();
		ApiResponse event = this.client.event(victim, "victim_only_type", member);
		assertThat(event.status()).isEqualTo(200);
		String eventId = event.text("event_id");
		ApiResponse webhook = this.client.api(victim, "POST", "/v1/webhooks",
				"{\"url\":\"http://127.0.0.1:9/victim-endpoint\",\"description\":\"victim hook\"}");
		String webhookId = webhook.text("id");
		String webhookSecret = webhook.text("secret");
		this.client.api(victim, "POST", "/v1/webhooks/" + webhookId + "/test", "{\"event\":\"member.join\"}");
		String deliveryId = Awaitility.await()
			.atMost(Duration.ofSeconds(30))
			.until(() -> this.client.get(victim, "/v1/webhooks/" + webhookId + "/deliveries").json().get("data"),
					(data) -> data.size() > 0)
			.get(0)
			.get("delivery_id")
			.asString();
		ApiResponse hook = this.client.api(victim, "POST", "/v1/incoming-webhooks",
				"{\"name\":\"victim incoming\",\"actions\":[\"currency.add\"]}");
		String hookId = hook.text("id");
		String hookSecret = hook.text("secret");
		Map<String, String> ids = Map.of("webhook_id", webhookId, "delivery_id", deliveryId, "hook_id", hookId,
				"event_id", eventId, "member", member, "event_type", "victim_only_type", "brand_id", victim.brandId(),
				"code", "POINT");
		// What only the victim's own answers contain (ids the caller sent may be echoed).
		List<String> secrets = List.of(victim.brandId(), webhookSecret, hookSecret, "victim-endpoint", "victim hook",
				"victim incoming");

		List<String> swept = new ArrayList<>();
		this.mappings.getHandlerMethods().forEach((info, method) -> {
			Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
			for (String pattern : info.getPatternValues()) {
				if (!pattern.startsWith("/v1/") || pattern.equals("/v1/events")
						|| pattern.startsWith("/v1/integrations/shopify/")) {
					continue; // signed, not API-key endpoints
				}
				String path = pattern;
				for (Map.Entry<String, String> id : ids.entrySet()) {
					path = path.replace("{" + id.getKey() + "}", id.getValue());
				}
				assertThat(path).as("a path variable the sweep does not know: " + pattern).doesNotContain("{");
				for (RequestMethod verb : methods.isEmpty() ? Set.of(RequestMethod.GET) : methods) {
					String body = switch (verb) {
						case POST, PUT, PATCH -> bodyFor(pattern);
						default -> null;
					};
					ApiResponse response = this.client.api(attacker, verb.name(), path, body);
					assertThat(response.status()).as(verb + " " + path + ": " + response).isLessThan(500);
					for (String secret : secrets) {
						assertThat(response.body()).as(verb + " " + path + " leaks " + secret).doesNotContain(secret);
					}
					swept.add(verb + " " + pattern);
				}
			}
		});
		assertThat(swept).hasSizeGreaterThan(35);

		// Nothing of the victim's changed.
		ApiResponse after = this.client.get(victim, "/v1/webhooks/" + webhookId);
		assertThat(after.status()).isEqualTo(200);
		assertThat(after.text("description")).isEqualTo("victim hook");
		assertThat(after.json().get("enabled").asBoolean()).isTrue();
		assertThat(after.json().get("paused").asBoolean()).isFalse();
		assertThat(this.client.get(victim, "/v1/webhooks/" + webhookId + "/secret").text("secret"))
			.isEqualTo(webhookSecret);
		ApiResponse hookAfter = this.client.get(victim, "/v1/incoming-webhooks/" + hookId);
		assertThat(hookAfter.text("name")).isEqualTo("victim incoming");
		assertThat(hookAfter.json().get("enabled").asBoolean()).isTrue();
		assertThat(this.client.get(victim, "/v1/event-types/victim_only_type").json().get("amount").asLong())
			.isEqualTo(7);
		ApiResponse memberAfter = this.client.get(victim, "/v1/members/" + member);
		assertThat(memberAfter.text("status")).isEqualTo("active");
		assertThat(memberAfter.json().get("balance").asLong()).isEqualTo(7);
		assertThat(this.client.get(victim, "/v1/wallet").json().get("balance").asLong()).isEqualTo(10_000 - 7);
	}

	/** A body that would change something if the route let the caller at it. */
	private static String bodyFor(String pattern) {
		Map<String, Object> body = new LinkedHashMap<>();
		if (pattern.startsWith("/v1/webhooks/{webhook_id}") && !pattern.contains("/deliveries")) {
			body.put("description", "taken over");
		}
		if (pattern.equals("/v1/incoming-webhooks/{hook_id}")) {
			body.put("name", "taken over");
			body.put("enabled", false);
		}
		if (pattern.equals("/v1/event-types/{event_type}")) {
			body.put("amount", 1_000);
		}
		if (pattern.equals("/v1/members/{member}")) {
			body.put("status", "disabled");
		}
		if (pattern.startsWith("/v1/wallet/currencies/")) {
			body.put("address", "0x" + "1".repeat(40));
			body.put("chain_id", "1");
		}
		if (pattern.endsWith("/recover")) {
			body.put("since", "2020-01-01T00:00:00Z");
		}
		return ResonanceClient.json(body);
	}

}
