package bot.resonance.rewards;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import bot.resonance.support.ApiResponse;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.IntegrationTestSupport;
import bot.resonance.support.Race;
import bot.resonance.support.TestBrand;

import static org.assertj.core.api.Assertions.assertThat;

/** The brand's management API: event types, members, wallet. */
@IntegrationTest
class ManagementApiIntegrationTests extends IntegrationTestSupport {

	static final List<String> BUILT_IN = List.of("daily_checkin", "channel_message", "message_quality",
			"reaction_threshold", "boost_event", "voice_participation", "custom_event");

	@Test
	void theManagementApiNeedsAValidApiKey() {
		TestBrand brand = this.client.createBrand();
		assertThat(this.client.send("GET", "/v1/event-types", null, Map.of()).status()).isEqualTo(401);
		assertThat(
				this.client.send("GET", "/v1/event-types", null, Map.of("Authorization", "Bearer rsn_nope")).status())
			.isEqualTo(401);
		assertThat(this.client.send("GET", "/v1/event-types", null, Map.of("Authorization", "Basic abc")).status())
			.isEqualTo(401);
		// The real key with its last character changed (to one it is not already).
		char last = brand.apiKey().charAt(brand.apiKey().length() - 1);
		String forged = brand.apiKey().substring(0, brand.apiKey().length() - 1) + ((last == 'X') ? 'Y' : 'X');
		assertThat(this.client.send("GET", "/v1/wallet", null, Map.of("Authorization", "Bearer " + forged)).status())
			.isEqualTo(401);
		assertThat(this.client.send("GET", "/v1/wallet", null, Map.of("Authorization", "Bearer " + brand.secretKey()))
			.status()).isEqualTo(401);
		assertThat(this.client.get(brand, "/v1/wallet").status()).isEqualTo(200);
	}

	@Test
	void everyBrandHasTheSevenBuiltInTypesDisabled() {
		TestBrand brand = this.client.createBrand();
		JsonNode types = this.client.get(brand, "/v1/event-types").json().get("data");
		List<String> names = new ArrayList<>();
		types.forEach((type) -> {
			names.add(type.get("name").asString());
			assertThat(type.get("enabled").asBoolean()).isFalse();
			assertThat(type.get("built_in").asBoolean()).isTrue();
			assertThat(type.get("amount").asLong()).isEqualTo(10);
			assertThat(type.get("currency").asString()).isEqualTo("POINT");
		});
		assertThat(names).containsExactlyElementsOf(BUILT_IN);
	}

	@Test
	void eventTypesAreConfiguredFieldByField() {
		TestBrand brand = this.client.createBrand();
		ApiResponse enabled = this.client.api(brand, "PUT", "/v1/event-types/daily_checkin",
				"{\"enabled\":true,\"amount\":25,\"cooldown_seconds\":72000,\"daily_limit\":1,\"max_amount\":100}");
		assertThat(enabled.status()).isEqualTo(200);
		JsonNode type = enabled.json();
		assertThat(type.get("enabled").asBoolean()).isTrue();
		assertThat(type.get("amount").asLong()).isEqualTo(25);
		assertThat(type.get("cooldown_seconds").asInt()).isEqualTo(72000);
		assertThat(type.get("daily_limit").asInt()).isEqualTo(1);
		assertThat(type.get("max_amount").asLong()).isEqualTo(100);

		ApiResponse partial = this.client.api(brand, "PUT", "/v1/event-types/daily_checkin", "{\"amount\":30}");
		assertThat(partial.json().get("cooldown_seconds").asInt()).isEqualTo(72000);
		assertThat(partial.json().get("amount").asLong()).isEqualTo(30);
		ApiResponse cleared = this.client.api(brand, "PUT", "/v1/event-types/daily_checkin",
				"{\"daily_limit\":null,\"max_amount\":null}");
		assertThat(cleared.json().get("daily_limit").isNull()).isTrue();
		assertThat(cleared.json().get("max_amount").isNull()).isTrue();
		assertThat(this.client.get(brand, "/v1/event-types/daily_checkin").json().get("amount").asLong()).isEqualTo(30);

		// A whole number too large for any amount is out of range, said as such.
		ApiResponse huge = this.client.api(brand, "PUT", "/v1/event-types/daily_checkin",
				"{\"amount\":99999999999999999999999999}");
		assertThat(huge.status()).isEqualTo(400);
		assertThat(huge.text("detail")).contains("'amount' must be between 1 and");
		assertThat(this.client.api(brand, "PUT", "/v1/event-types/daily_checkin", "{\"amount\":1.5}").text("detail"))
			.contains("must be a whole number");
	}

	@Test
	void customTypesAreCreatedByNameAndCanBeDeleted() {
		TestBrand brand = this.client.createBrand();
		assertThat(this.client.get(brand, "/v1/event-types/place_order").status()).isEqualTo(404);
		ApiResponse created = this.client.api(brand, "PUT", "/v1/event-types/place_order",
				"{\"enabled\":true,\"amount\":100}");
		assertThat(created.status()).isEqualTo(201);
		assertThat(created.json().get("built_in").asBoolean()).isFalse();
		assertThat(this.client.api(brand, "PUT", "/v1/event-types/place_order", "{\"amount\":120}").status())
			.isEqualTo(200);
		JsonNode all = this.client.get(brand, "/v1/event-types").json().get("data");
		assertThat(all.get(all.size() - 1).get("name").asString()).isEqualTo("place_order");
		assertThat(this.client.api(brand, "DELETE", "/v1/event-types/place_order", null).status()).isEqualTo(204);
		assertThat(this.client.get(brand, "/v1/event-types/place_order").status()).isEqualTo(404);
		assertThat(this.client.api(brand, "DELETE", "/v1/event-types/place_order", null).status()).isEqualTo(404);
		ApiResponse builtIn = this.client.api(brand, "DELETE", "/v1/event-types/daily_checkin", null);
		assertThat(builtIn.status()).isEqualTo(400);
		assertThat(builtIn.problemCode()).isEqualTo("built_in_event_type");
	}

	@Test
	void concurrentPartialChangesOfATypeAreAllKept() {
		TestBrand brand = this.client.createBrand();
		for (int round = 0; round < 10; round++) {
			String name = "race_" + round;
			List<ApiResponse> responses = Race.run(3,
					(i) -> this.client.api(brand, "PUT", "/v1/event-types/" + name, switch (i) {
						case 0 -> "{\"amount\": 7}";
						case 1 -> "{\"cooldown_seconds\": 30}";
						default -> "{\"enabled\": true}";
					}));
			assertThat(responses).allSatisfy((r) -> assertThat(r.status()).as(r.toString()).isIn(200, 201));
			assertThat(responses.stream().filter((r) -> r.status() == 201)).hasSize(1);
			JsonNode type = this.client.get(brand, "/v1/event-types/" + name).json();
			assertThat(type.get("amount").asLong()).isEqualTo(7);
			assertThat(type.get("cooldown_seconds").asInt()).isEqualTo(30);
			assertThat(type.get("enabled").asBoolean()).isTrue();
		}
	}

	@Test
	void invalidEventTypeChangesAreRefused() {
		TestBrand brand = this.client.createBrand();
		assertRefused(this.client.api(brand, "PUT", "/v1/event-types/Bad-Name", "{}"), "names");
		assertRefused(this.client.api(brand, "PUT", "/v1/event-types/" + "a".repeat(65), "{}"), "names");
		assertRefused(this.client.api(brand, "PUT", "/v1/event-types/custom_event", "{\"amount\":0}"), "amount");
		assertRefused(this.client.api(brand, "PUT", "/v1/event-types/custom_event", "{\"amount\":\"5\"}"), "amount");
		assertRefused(this.client.api(brand, "PUT", "/v1/event-types/custom_event", "{\"enabled\":1}"), "enabled");
		assertRefused(this.client.api(brand, "PUT", "/v1/event-types/custom_event", "{\"cooldown_seconds\":-1}"),
				"cooldown_seconds");
		assertRefused(this.client.api(brand, "PUT", "/v1/event-types/custom_event", "{\"daily_limit\":0}"),
				"daily_limit");
		assertRefused(
				this.client.api(brand, "PUT", "/v1/event-types/custom_event", "{\"amount\":50,\"max_amount\":10}"),
				"max_amount");
		assertRefused(this.client.api(brand, "PUT", "/v1/event-types/custom_event", "{\"currency\":\"GEMS\"}"), "GEMS");
		assertRefused(this.client.api(brand, "PUT", "/v1/event-types/custom_event", "{\"colour\":\"red\"}"),
				"Unknown field 'colour'");
		assertRefused(this.client.api(brand, "PUT", "/v1/event-types/custom_event", "[]"), "JSON object");
		assertRefused(this.client.api(brand, "PUT", "/v1/event-types/custom_event", "{"), "JSON");
	}

	@Test
	void membersShowBalanceTodayAndHistory() {
		TestBrand brand = brandWith(1_000, "custom_event", Map.of("amount", 10, "cooldown_seconds", 600));
		this.client.eventType(brand, "daily_checkin", Map.of("enabled", true, "amount", 5, "daily_limit", 1));
		String user = newUserId();
		assertThat(this.client.get(brand, "/v1/members/" + user).status()).isEqualTo(404);
		List<String> eventIds = new ArrayList<>();
		eventIds.add(this.client.event(brand, "custom_event", user).text("event_id"));
		eventIds.add(this.client.event(brand, "daily_checkin", user).text("event_id"));
		eventIds.add(this.client.event(brand, "custom_event", user).text("event_id")); // cooldown
		eventIds.add(this.client.event(brand, "daily_checkin", user).text("event_id")); // pending

		JsonNode member = this.client.get(brand, "/v1/members/" + user).json();
		assertThat(member.get("user_id").asString()).isEqualTo(user);
		assertThat(member.get("status").asString()).isEqualTo("active");
		assertThat(member.get("balance").asLong()).isEqualTo(15);
		assertThat(member.get("pending_events").asLong()).isEqualTo(1);
		JsonNode today = member.get("today");
		assertThat(today.get("rewarded_events").asInt()).isEqualTo(2);
		assertThat(today.get("event_types").size()).isEqualTo(2);
		today.get("event_types").forEach((type) -> {
			if (type.get("event_type").asString().equals("custom_event")) {
				assertThat(type.get("cooldown_ends_at").isNull()).isFalse();
			}
			else {
				assertThat(type.get("daily_limit").asInt()).isEqualTo(1);
			}
		});

		List<String> listed = new ArrayList<>();
		String cursor = null;
		do {
			JsonNode page = this.client
				.get(brand,
						"/v1/members/" + user + "/events?limit=3"
								+ ((cursor != null) ? "&starting_after=" + cursor : ""))
				.json();
			page.get("data").forEach((event) -> listed.add(event.get("event_id").asString()));
			cursor = page.get("has_more").asBoolean() ? page.get("next_cursor").asString() : null;
		}
		while (cursor != null);
		assertThat(listed).containsExactlyElementsOf(eventIds.reversed());
	}

	@Test
	void memberLookupsValidateTheUserId() {
		TestBrand brand = this.client.createBrand();
		assertRefused(this.client.get(brand, "/v1/members/not-a-snowflake"), "names no member");
		assertRefused(this.client.api(brand, "PATCH", "/v1/members/123", "{\"status\":\"banned\"}"), "status");
		assertRefused(this.client.api(brand, "PATCH", "/v1/members/123", "{\"status\":true}"), "status");
		assertRefused(this.client.api(brand, "PATCH", "/v1/members/123", "{}"), "Nothing to change");
		assertRefused(this.client.api(brand, "PATCH", "/v1/members/123", "{\"balance\":1000000}"), "balance");
	}

	@Test
	void membersOfOneBrandAreInvisibleToAnother() {
		TestBrand one = brandWith(1_000, "custom_event", Map.of());
		TestBrand two = this.client.createBrand();
		String user = newUserId();
		this.client.event(one, "custom_event", user);
		assertThat(this.client.get(one, "/v1/members/" + user).status()).isEqualTo(200);
		assertThat(this.client.get(two, "/v1/members/" + user).status()).isEqualTo(404);
	}

	@Test
	void theWalletShowsEveryCurrency() {
		TestBrand brand = this.client
			.createBrand(Map.of("name", "Gems", "currency", Map.of("code", "GEMS", "kind", "airdrop", "decimals", 2)));
		this.client.fund(brand, 12_345);
		JsonNode wallet = this.client.get(brand, "/v1/wallet").json();
		assertThat(wallet.get("currency").asString()).isEqualTo("GEMS");
		assertThat(wallet.get("balance").asLong()).isEqualTo(12_345);
		assertThat(wallet.get("balances").get(0).get("kind").asString()).isEqualTo("airdrop");
		assertThat(wallet.get("balances").get(0).get("decimals").asInt()).isEqualTo(2);
	}

	private static void assertRefused(ApiResponse response, String detailPart) {
		assertThat(response.status()).as(response.toString()).isEqualTo(400);
		assertThat(response.header("Content-Type")).startsWith("application/problem+json");
		assertThat(response.json().get("detail").asString()).contains(detailPart);
	}

}
