package bot.resonance.incoming;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import bot.resonance.support.ApiResponse;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.LedgerChecks;
import bot.resonance.support.Race;
import bot.resonance.support.ResonanceClient;
import bot.resonance.support.TestBrand;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Incoming webhooks end to end: the management API, and calls signed, rate-limited,
 * idempotent and logged, moving currency on the ledger.
 */
@IntegrationTest
class IncomingWebhookIntegrationTests extends IncomingWebhookTestSupport {

	@Autowired
	JdbcClient jdbc;

	// ---- management API

	@Test
	void hooksAreCreatedListedChangedAndDeleted() {
		TestBrand brand = this.client.createBrand();
		ApiResponse created = this.client.api(brand, "POST", "/v1/incoming-webhooks",
				"{\"name\": \"Shop\", \"actions\": [\"currency.add\", \"role.assign\"]}");
		assertThat(created.status()).isEqualTo(201);
		JsonNode hook = created.json();
		String id = hook.get("id").asString();
		assertThat(created.header("Location")).isEqualTo("/v1/incoming-webhooks/" + id);
		assertThat(hook.get("url").asString())
			.isEqualTo(this.client.base() + "/hooks/" + brand.brandId().toLowerCase() + "/" + id);
		assertThat(hook.get("secret").asString()).startsWith("whsec_").hasSizeGreaterThan(30);
		assertThat(hook.get("name").asString()).isEqualTo("Shop");
		assertThat(hook.get("actions").toString()).isEqualTo("[\"currency.add\",\"role.assign\"]");
		assertThat(hook.get("rate_limit_per_minute").asInt()).isEqualTo(60);
		assertThat(hook.get("enabled").asBoolean()).isTrue();
		assertThat(hook.get("currency").isNull()).isTrue();
		assertThat(hook.get("legacy_signatures").asBoolean()).as("new hooks sign the Standard Webhooks way").isFalse();

		ApiResponse fetched = this.client.get(brand, "/v1/incoming-webhooks/" + id);
		assertThat(fetched.status()).isEqualTo(200);
		assertThat(fetched.json().has("secret")).as("the secret is shown only at creation").isFalse();
		assertThat(fetched.json().get("url").asString()).isEqualTo(hook.get("url").asString());

		ApiResponse changed = this.client.api(brand, "PATCH", "/v1/incoming-webhooks/" + id,
				"{\"name\": \"Shopify\", \"actions\": [\"message.post\"], \"rate_limit_per_minute\": 5, "
						+ "\"currency\": \"POINT\", \"enabled\": false}");
		assertThat(changed.status()).isEqualTo(200);
		assertThat(changed.json().get("name").asString()).isEqualTo("Shopify");
		assertThat(changed.json().get("actions").toString()).isEqualTo("[\"message.post\"]");
		assertThat(changed.json().get("rate_limit_per_minute").asInt()).isEqualTo(5);
		assertThat(changed.json().get("currency").asString()).isEqualTo("POINT");
		assertThat(changed.json().get("enabled").asBoolean()).isFalse();
		ApiResponse cleared = this.client.api(brand, "PATCH", "/v1/incoming-webhooks/" + id, "{\"currency\": null}");
		assertThat(cleared.json().get("currency").isNull()).isTrue();
		assertThat(cleared.json().get("name").asString()).isEqualTo("Shopify");

		for (int i = 0; i < 2; i++) {
			createHook(brand, "currency.add");
		}
		ApiResponse first = this.client.get(brand, "/v1/incoming-webhooks?limit=2");
		assertThat(first.json().get("data")).hasSize(2);
		assertThat(first.json().get("has_more").asBoolean()).isTrue();
		assertThat(first.json().get("data").get(0).get("id").asString()).isEqualTo(id);
		ApiResponse second = this.client.get(brand,
				"/v1/incoming-webhooks?limit=2&starting_after=" + first.json().get("next_cursor").asString());
		assertThat(second.json().get("data")).hasSize(1);
		assertThat(second.json().get("has_more").asBoolean()).isFalse();

		assertThat(this.client.api(brand, "DELETE", "/v1/incoming-webhooks/" + id, null).status()).isEqualTo(204);
		assertThat(this.client.get(brand, "/v1/incoming-webhooks/" + id).problemCode())
			.isEqualTo("incoming_webhook_not_found");
		ApiResponse gone = this.client.send("POST", "/hooks/" + brand.brandId() + "/" + id, currencyAdd(newUserId(), 1),
				Map.of("X-Signature", "sha256=" + "0".repeat(64)));
		assertThat(gone.status()).isEqualTo(404);
		assertThat(gone.problemCode()).isEqualTo("incoming_webhook_not_found");
		assertThat(gone.text("request_id")).startsWith("req_").isEqualTo(gone.header("X-Request-Id"));
	}

	@Test
	void theManagementApiRefusesInvalidSettings() {
		TestBrand brand = this.client.createBrand();
		TestBrand other = this.client.createBrand();
		Map<String, String> invalid = Map.of("{\"actions\": [\"currency.add\"]}", "name",
				"{\"name\": \"x\", \"actions\": []}", "actions", "{\"name\": \"x\", \"actions\": [\"ban.member\"]}",
				"ban.member", "{\"name\": \"x\", \"actions\": [\"currency.add\"], \"rate_limit_per_minute\": 0}",
				"rate_limit_per_minute", "{\"name\": \"x\", \"actions\": [\"currency.add\"], \"currency\": \"NOPE\"}",
				"NOPE", "{\"name\": \"x\", \"actions\": \"currency.add\"}", "actions",
				"{\"name\": \"x\\u0000\", \"actions\": [\"currency.add\"]}", "name",
				"{\"name\": \"x\", \"actions\": [\"currency.add\"], \"extra\": 1}", "extra");
		invalid.forEach((body, mentioned) -> {
			ApiResponse response = this.client.api(brand, "POST", "/v1/incoming-webhooks", body);
			assertThat(response.status()).as(body).isEqualTo(400);
			assertThat(response.problemCode()).as(body).isEqualTo("invalid_request");
			assertThat(response.json().get("detail").asString()).as(body).contains(mentioned);
		});

		Hook hook = createHook(brand, "currency.add");
		String path = "/v1/incoming-webhooks/" + hook.id();
		for (String body : List.of("{\"actions\": null}", "{\"actions\": [\"nope\"]}", "{\"name\": \"\"}",
				"{\"rate_limit_per_minute\": 100001}", "{\"enabled\": \"yes\"}", "{\"secret\": \"mine\"}", "[]")) {
			ApiResponse response = this.client.api(brand, "PATCH", path, body);
			assertThat(response.status()).as(body).isEqualTo(400);
			assertThat(response.problemCode()).as(body).isEqualTo("invalid_request");
		}
		assertThat(this.client.get(other, path).status()).as("another brand's hook").isEqualTo(404);
		assertThat(this.client.get(brand, "/v1/incoming-webhooks/not-a-uuid").status()).isEqualTo(404);
		assertThat(this.client.get(brand, "/v1/incoming-webhooks?limit=0").status()).isEqualTo(400);
		assertThat(this.client.get(brand, "/v1/incoming-webhooks?starting_after=x").status()).isEqualTo(400);
		assertThat(this.client.get(brand, path + "/calls?outcome=maybe").status()).isEqualTo(400);
		assertThat(this.client.send("GET", "/v1/incoming-webhooks", null, Map.of()).status()).isEqualTo(401);
	}

	@Test
	void creatingAHookIsIdempotentWithAnIdempotencyKey() {
		TestBrand brand = this.client.createBrand();
		String body = "{\"name\": \"Shop\", \"actions\": [\"currency.add\"]}";
		Map<String, String> headers = Map.of("Authorization", "Bearer " + brand.apiKey(), "Idempotency-Key",
				"create-hook-1");
		ApiResponse first = this.client.send("POST", "/v1/incoming-webhooks", body, headers);
		ApiResponse again = this.client.send("POST", "/v1/incoming-webhooks", body, headers);
		assertThat(again.status()).isEqualTo(201);
		assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
		assertThat(again.text("id")).isEqualTo(first.text("id"));
		assertThat(this.client.get(brand, "/v1/incoming-webhooks").json().get("data")).hasSize(1);
	}

	// ---- signatures

	@Test
	void aFloodOfBadSignaturesIsAnsweredButOnlyPartlyLogged() {
		TestBrand brand = this.client.createBrand();
		this.client.fund(brand, 1_000);
		Hook hook = createHook(brand, "currency.add");
		String body = currencyAdd(newUserId(), 10);
		this.clock.freezeAt(this.clock.instant().plusSeconds(1));
		for (int i = 0; i < 75; i++) {
			ApiResponse refused = call(hook, STRANGER_SECRET, body, Map.of());
			assertThat(refused.status()).isEqualTo(401);
			assertThat(refused.problemCode()).isEqualTo("invalid_signature");
		}
		assertThat(loggedCalls(brand, hook)).as("60 a minute").isEqualTo(60);
		// A signed call is logged whatever the flood; the next minute logs refusals
		// again.
		assertThat(call(hook, hook.secret(), body, Map.of()).status()).isEqualTo(200);
		this.clock.freezeAt(this.clock.instant().plusSeconds(61));
		assertThat(call(hook, STRANGER_SECRET, body, Map.of()).status()).isEqualTo(401);
		assertThat(loggedCalls(brand, hook)).isEqualTo(62);
	}

	private int loggedCalls(TestBrand brand, Hook hook) {
		int calls = 0;
		String cursor = null;
		do {
			JsonNode page = this.client
				.get(brand,
						"/v1/incoming-webhooks/" + hook.id() + "/calls?limit=100"
								+ ((cursor != null) ? "&starting_after=" + cursor : ""))
				.json();
			calls += page.get("data").size();
			cursor = page.get("has_more").asBoolean() ? page.get("next_cursor").asString() : null;
		}
		while (cursor != null);
		return calls;
	}

	@Test
	void callsAreAuthenticatedByTheirSignatureNotByAnApiKey() {
		TestBrand brand = this.client.createBrand();
		this.client.fund(brand, 1_000);
		Hook hook = createHook(brand, "currency.add");
		String body = currencyAdd(newUserId(), 10);

		ApiResponse missing = this.client.send("POST", hook.path(), body, Map.of());
		assertThat(missing.status()).isEqualTo(401);
		assertThat(missing.problemCode()).isEqualTo("invalid_signature");
		assertThat(missing.header("Content-Type")).startsWith("application/problem+json");

		ApiResponse apiKeyOnly = this.client.send("POST", hook.path(), body,
				Map.of("Authorization", "Bearer " + brand.apiKey()));
		assertThat(apiKeyOnly.status()).isEqualTo(401);
		assertThat(apiKeyOnly.problemCode()).isEqualTo("invalid_signature");

		ApiResponse wrong = call(hook, STRANGER_SECRET, body, Map.of());
		assertThat(wrong.status()).isEqualTo(401);
		ApiResponse otherBody = send(hook, body, standardHeaders(hook.secret(), newMessageId(), now(), body + " "),
				Map.of());
		assertThat(otherBody.status()).isEqualTo(401);
		// The legacy X-Signature, right or wrong, is refused by a hook that did not opt
		// in.
		for (String legacy : List.of("sha256=", "sha256=xyz", "md5=" + "0".repeat(64),
				"sha256=" + ResonanceClient.hmacHex(hook.secret(), body))) {
			ApiResponse response = this.client.send("POST", hook.path(), body, Map.of("X-Signature", legacy));
			assertThat(response.status()).as(legacy).isEqualTo(401);
			assertThat(response.problemCode()).as(legacy).isEqualTo("invalid_signature");
		}

		ApiResponse signed = call(hook, body);
		assertThat(signed.status()).isEqualTo(200);
		assertThat(call(hook, currencyAdd(newUserId(), 1)).status()).isEqualTo(200);

		JsonNode calls = this.client.get(brand, "/v1/incoming-webhooks/" + hook.id() + "/calls").json().get("data");
		assertThat(calls).hasSize(10);
		assertThat(calls.get(0).get("outcome").asString()).isEqualTo("succeeded");
		assertThat(calls.get(1).get("outcome").asString()).isEqualTo("succeeded");
		assertThat(calls.get(2).get("outcome").asString()).isEqualTo("rejected");
		assertThat(calls.get(2).get("status").asInt()).isEqualTo(401);
		assertThat(calls.get(2).get("error_code").asString()).isEqualTo("invalid_signature");
		assertThat(calls.get(2).get("response").get("call_id").asString()).isEqualTo(calls.get(2).get("id").asString());
		assertThat(this.client.get(brand, "/v1/members/" + signed.json().path("result").path("user_id").asString())
			.json()
			.get("balance")
			.asLong()).isEqualTo(10);
	}

	// ---- currency.add

	@Test
	void currencyAddCreditsAndDebitsThroughTheLedger() {
		TestBrand brand = this.client.createBrand();
		this.client.fund(brand, 1_000);
		Hook hook = createHook(brand, "currency.add");
		String user = newUserId();

		ApiResponse credit = call(hook, currencyAdd(user, 300));
		assertThat(credit.status()).isEqualTo(200);
		assertThat(credit.header("Content-Type")).startsWith("application/json");
		JsonNode answer = credit.json();
		assertThat(answer.get("call_id").asString()).startsWith("call_");
		assertThat(answer.get("action").asString()).isEqualTo("currency.add");
		JsonNode result = answer.get("result");
		assertThat(result.get("user_id").asString()).isEqualTo(user);
		assertThat(result.get("amount").asLong()).isEqualTo(300);
		assertThat(result.get("currency").asString()).isEqualTo("POINT");
		assertThat(result.get("balance").asLong()).isEqualTo(300);
		assertThat(result.get("wallet_balance").asLong()).isEqualTo(700);
		assertThat(result.get("reason").asString()).isEqualTo("Order #1001");

		ApiResponse debit = call(hook, currencyAdd(user, -120));
		assertThat(debit.status()).isEqualTo(200);
		assertThat(debit.json().get("result").get("balance").asLong()).isEqualTo(180);
		assertThat(debit.json().get("result").get("wallet_balance").asLong()).isEqualTo(820);
		assertThat(this.client.get(brand, "/v1/members/" + user).json().get("balance").asLong()).isEqualTo(180);
		assertThat(this.client.get(brand, "/v1/wallet").json().get("balance").asLong()).isEqualTo(820);

		ApiResponse overdraw = call(hook, currencyAdd(user, -181));
		assertThat(overdraw.status()).isEqualTo(422);
		assertThat(overdraw.problemCode()).isEqualTo("insufficient_balance");
		assertThat(overdraw.json().get("available").asLong()).isEqualTo(180);
		ApiResponse unfunded = call(hook, currencyAdd(user, 821));
		assertThat(unfunded.status()).isEqualTo(422);
		assertThat(unfunded.problemCode()).isEqualTo("insufficient_balance");
		ApiResponse stranger = call(hook, currencyAdd(newUserId(), -1));
		assertThat(stranger.status()).isEqualTo(422);
		assertThat(stranger.problemCode()).isEqualTo("insufficient_balance");
		ApiResponse unknownCurrency = call(hook,
				action("currency.add", Map.of("user_id", user, "amount", 1, "currency", "GOLD")));
		assertThat(unknownCurrency.status()).isEqualTo(400);
		assertThat(unknownCurrency.problemCode()).isEqualTo("unknown_currency");
		// The extremes of a long, to a member who exists: refused as out of range (the
		// absolute value of the most negative one is negative).
		for (long extreme : new long[] { Long.MIN_VALUE, Long.MAX_VALUE, -1_000_000_000_000_000_001L }) {
			ApiResponse refused = call(hook, currencyAdd(user, extreme));
			assertThat(refused.status()).as("amount %d", extreme).isEqualTo(400);
			assertThat(refused.problemCode()).as("amount %d", extreme).isEqualTo("invalid_request");
		}

		assertThat(LedgerChecks.assertConserved(this.jdbc, brand, 1_000)).isEqualTo(180);
		assertThat(this.jdbc.sql("""
				select count(*) from ledger_transfers where brand_id = :brand and kind = 'incoming_webhook'
				""").param("brand", brand.brandId()).query(Long.class).single()).isEqualTo(2);
	}

	@Test
	void currencyAddRefusesDisabledMembers() {
		TestBrand brand = this.client.createBrand();
		this.client.fund(brand, 1_000);
		Hook hook = createHook(brand, "currency.add");
		String user = newUserId();
		assertThat(this.client.api(brand, "PATCH", "/v1/members/" + user, "{\"status\": \"disabled\"}").status())
			.isEqualTo(200);
		ApiResponse refused = call(hook, currencyAdd(user, 5));
		assertThat(refused.status()).isEqualTo(422);
		assertThat(refused.problemCode()).isEqualTo("user_disabled");
		LedgerChecks.assertConserved(this.jdbc, brand, 1_000);
		assertThat(this.client.get(brand, "/v1/wallet").json().get("balance").asLong()).isEqualTo(1_000);
	}

	@Test
	void aCreditIsAnnouncedAsARewardEarnedWebhook() {
		TestBrand brand = this.client.createBrand();
		this.client.fund(brand, 1_000);
		// A receiver that never resolves: the message is written to the outbox all the
		// same.
		assertThat(this.client
			.api(brand, "POST", "/v1/webhooks",
					"{\"url\": \"https://receiver.invalid/hook\", \"event_types\": [\"reward.earned\"]}")
			.status()).isEqualTo(201);
		Hook hook = createHook(brand, "currency.add");
		String user = newUserId();
		String callId = call(hook, currencyAdd(user, 40)).text("call_id");

		List<String> bodies = this.jdbc
			.sql("select body from webhook_messages where brand_id = :brand and event = 'reward.earned'")
			.param("brand", brand.brandId())
			.query(String.class)
			.list();
		assertThat(bodies).hasSize(1);
		assertThat(bodies.getFirst()).contains("\"id\":\"" + callId + "\"")
			.contains("\"user_id\":\"" + user + "\"")
			.contains("\"amount\":\"40\"")
			.contains("\"conversion_name\":\"currency.add\"");
	}

	@Test
	void creditsAndDebitsAreBalanceChangesWhenTheyReachTheThreshold() {
		TestBrand brand = this.client.createBrand();
		this.client.fund(brand, 1_000);
		assertThat(this.client
			.api(brand, "POST", "/v1/webhooks",
					"{\"url\": \"https://receiver.invalid/hook\", \"event_types\": [\"balance.change\"]}")
			.status()).isEqualTo(201);
		assertThat(this.client.api(brand, "PUT", "/v1/webhook-settings", "{\"balance_change_threshold\": 50}").status())
			.isEqualTo(200);
		Hook hook = createHook(brand, "currency.add");
		String user = newUserId();
		call(hook, currencyAdd(user, 300));
		call(hook, currencyAdd(user, -49));
		call(hook, currencyAdd(user, -120));

		List<JsonNode> changes = this.jdbc
			.sql("select body from webhook_messages where brand_id = :brand and event = 'balance.change' order by id")
			.param("brand", brand.brandId())
			.query(String.class)
			.list()
			.stream()
			.map((body) -> ResonanceClient.MAPPER.readTree(body).get("data"))
			.toList();
		assertThat(changes).hasSize(2);
		assertThat(changes).allSatisfy((data) -> {
			assertThat(data.get("userId").asString()).isEqualTo(user);
			assertThat(data.get("currencyId").asString()).isEqualTo("POINT");
			assertThat(data.get("reason").asString()).isEqualTo("INCOMING_WEBHOOK");
		});
		assertThat(changes.get(0).get("delta").asString()).isEqualTo("+300");
		assertThat(changes.get(0).get("newBalance").asString()).isEqualTo("300");
		assertThat(changes.get(1).get("delta").asString()).isEqualTo("-120");
		assertThat(changes.get(1).get("newBalance").asString()).isEqualTo("131");
	}

	// ---- refusals

	@Test
	void actionsTheHookDoesNotAllowOrThatDoNotExistAreRefused() {
		TestBrand brand = this.client.createBrand();
		this.client.fund(brand, 1_000);
		Hook hook = createHook(brand, "role.assign");
		ApiResponse notAllowed = call(hook, currencyAdd(newUserId(), 5));
		assertThat(notAllowed.status()).isEqualTo(400);
		assertThat(notAllowed.problemCode()).isEqualTo("action_not_allowed");
		ApiResponse unknown = call(hook, action("member.ban", Map.of("user_id", "1")));
		assertThat(unknown.status()).isEqualTo(400);
		assertThat(unknown.problemCode()).isEqualTo("unknown_action");
		assertThat(this.client.get(brand, "/v1/wallet").json().get("balance").asLong()).isEqualTo(1_000);

		JsonNode calls = this.client.get(brand, "/v1/incoming-webhooks/" + hook.id() + "/calls").json().get("data");
		assertThat(calls.get(0).get("error_code").asString()).isEqualTo("unknown_action");
		assertThat(calls.get(1).get("error_code").asString()).isEqualTo("action_not_allowed");
		assertThat(calls.get(1).get("action").asString()).isEqualTo("currency.add");
		assertThat(calls.get(1).get("response").get("code").asString()).isEqualTo("action_not_allowed");
	}

	@Test
	void malformedAndHostileBodiesAreClearRefusals() {
		TestBrand brand = this.client.createBrand();
		this.client.fund(brand, 1_000);
		Hook hook = createHook(brand, "currency.add", "message.post");
		String user = newUserId();
		List<String> bodies = List.of("", "not json", "[]", "\"currency.add\"", "{\"action\": \"currency.add\"}",
				"{\"action\": 5, \"data\": {}}", "{\"action\": \"currency.add\", \"data\": []}",
				"{\"action\": \"currency.add\", \"data\": {}, \"extra\": 1}",
				"{\"action\": \"currency.add\", \"data\": {\"user_id\": \"" + user + "\"}}",
				"{\"action\": \"currency.add\", \"data\": {\"user_id\": " + user + ", \"amount\": 5}}",
				"{\"action\": \"currency.add\", \"data\": {\"user_id\": \"abc\", \"amount\": 5}}",
				"{\"action\": \"currency.add\", \"data\": {\"user_id\": \"" + user + "\", \"amount\": 0}}",
				"{\"action\": \"currency.add\", \"data\": {\"user_id\": \"" + user + "\", \"amount\": 1.5}}",
				"{\"action\": \"currency.add\", \"data\": {\"user_id\": \"" + user + "\", \"amount\": \"5\"}}",
				"{\"action\": \"currency.add\", \"data\": {\"user_id\": \"" + user
						+ "\", \"amount\": 99999999999999999999999}}",
				"{\"action\": \"currency.add\", \"data\": {\"user_id\": \"" + user + "\", \"amount\": 5, \"x\": 1}}",
				"{\"action\": \"currency.add\", \"data\": {\"user_id\": \"" + user
						+ "\", \"amount\": 5, \"reason\": \"a\\u0000b\"}}",
				"{\"action\": \"currency.add\", \"data\": {\"user_id\": \"" + user
						+ "\", \"amount\": 5, \"reason\": \"\\ud800\"}}",
				"{\"action\": \"currency.add\", \"action\": \"currency.add\", \"data\": {}}",
				"{\"action\": \"currency.add\", \"data\": {\"user_id\": \"" + user + "\", \"amount\": 5}} trailing",
				"{\"action\": \"message.post\", \"data\": {\"channel_id\": \"1\"}}",
				"{\"action\": \"message.post\", \"data\": {\"channel_id\": \"1\", \"content\": \"x\", \"embeds\": [1]}}",
				"{\"action\": \"message.post\", \"data\": {\"channel_id\": \"1/../../users\", \"content\": \"x\"}}",
				"{\"action\": \"message.post\", \"data\": {\"channel_id\": \"1\", \"content\": \"" + "x".repeat(2001)
						+ "\"}}",
				"[".repeat(5_000) + "]".repeat(5_000));
		Map<String, String> details = new java.util.HashMap<>();
		for (String body : bodies) {
			ApiResponse response = call(hook, body);
			assertThat(response.status()).as(body).isEqualTo(400);
			assertThat(response.problemCode()).as(body).isIn("invalid_request", "unknown_action");
			assertThat(response.json().get("detail").asString()).as(body).isNotBlank();
			details.put(body, response.json().get("detail").asString());
		}
		assertThat(details.get("{\"action\": \"currency.add\", \"action\": \"currency.add\", \"data\": {}}"))
			.isEqualTo("The body has a field twice: a signed call must mean one thing.");
		assertThat(details.get("[".repeat(5_000) + "]".repeat(5_000))).contains("at most 500 levels of nesting");
		byte[] notUtf8 = "{\"action\": \"currency.add\", \"data\": {\"user_id\": \"1\", \"amount\": 5, \"reason\": \"\u00ff\"}}"
			.getBytes(StandardCharsets.ISO_8859_1);
		ApiResponse latin1 = callBytes(hook, notUtf8);
		assertThat(latin1.status()).isEqualTo(400);
		assertThat(latin1.problemCode()).isEqualTo("invalid_request");
		byte[] nulByte = "{\"action\": \"currency.add\"\u0000}".getBytes(StandardCharsets.UTF_8);
		assertThat(callBytes(hook, nulByte).status()).isEqualTo(400);
		// A signed multipart body reaches the signature check as sent (nothing parses it
		// first), and is refused for what it is: not a JSON call.
		String multipart = "--x\r\nContent-Disposition: form-data; name=\"action\"\r\n\r\ncurrency.add\r\n--x--\r\n";
		ApiResponse parts = call(hook, multipart, Map.of("Content-Type", "multipart/form-data; boundary=x"));
		assertThat(parts.status()).isEqualTo(400);
		assertThat(parts.problemCode()).isEqualTo("invalid_request");

		ApiResponse huge = call(hook,
				action("currency.add", Map.of("user_id", user, "amount", 5, "reason", "x".repeat(100_000))));
		assertThat(huge.status()).isEqualTo(413);
		assertThat(huge.problemCode()).isEqualTo("payload_too_large");

		assertThat(this.client.get(brand, "/v1/wallet").json().get("balance").asLong()).isEqualTo(1_000);
		JsonNode calls = this.client.get(brand, "/v1/incoming-webhooks/" + hook.id() + "/calls?limit=100")
			.json()
			.get("data");
		assertThat(calls).hasSize(bodies.size() + 4);
		calls.forEach((call) -> assertThat(call.get("outcome").asString()).isEqualTo("rejected"));
	}

	@Test
	void aDisabledHookRefusesCalls() {
		TestBrand brand = this.client.createBrand();
		this.client.fund(brand, 1_000);
		Hook hook = createHook(brand, List.of("currency.add"), Map.of("enabled", false));
		ApiResponse refused = call(hook, currencyAdd(newUserId(), 5));
		assertThat(refused.status()).isEqualTo(403);
		assertThat(refused.problemCode()).isEqualTo("incoming_webhook_disabled");
		this.client.api(brand, "PATCH", "/v1/incoming-webhooks/" + hook.id(), "{\"enabled\": true}");
		assertThat(call(hook, currencyAdd(newUserId(), 5)).status()).isEqualTo(200);
	}

	@Test
	void unknownHooksAreNotFound() {
		TestBrand brand = this.client.createBrand();
		Hook hook = createHook(brand, "currency.add");
		String body = currencyAdd(newUserId(), 1);
		TestBrand other = this.client.createBrand();
		for (String path : List.of("/hooks/" + other.brandId() + "/" + hook.id(),
				"/hooks/" + brand.brandId() + "/00000000-0000-0000-0000-000000000000",
				"/hooks/" + brand.brandId() + "/not-a-uuid", "/hooks/not-a-brand/" + hook.id())) {
			ApiResponse response = call(new Hook(brand, hook.id(), this.client.base() + path, hook.secret()), body);
			assertThat(response.status()).as(path).isEqualTo(404);
			assertThat(response.problemCode()).as(path).isEqualTo("incoming_webhook_not_found");
		}
		// The brand id is matched in any case, as everywhere else.
		assertThat(call(new Hook(brand, hook.id(),
				this.client.base() + "/hooks/" + brand.brandId().toUpperCase().replace("0X", "0x") + "/" + hook.id(),
				hook.secret()), body)
			.status()).isEqualTo(422);
	}

	// ---- idempotency

	@Test
	void aRepeatedIdempotencyKeyReplaysTheStoredAnswer() {
		TestBrand brand = this.client.createBrand();
		this.client.fund(brand, 1_000);
		Hook hook = createHook(brand, "currency.add");
		String user = newUserId();
		String body = currencyAdd(user, 100);
		Map<String, String> key = Map.of("X-Idempotency-Key", "order-1001");

		ApiResponse first = call(hook, body, key);
		assertThat(first.status()).isEqualTo(200);
		assertThat(first.header("Idempotent-Replayed")).isNull();
		ApiResponse again = call(hook, body, key);
		assertThat(again.status()).isEqualTo(200);
		assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
		assertThat(again.body()).isEqualTo(first.body());
		assertThat(this.client.get(brand, "/v1/members/" + user).json().get("balance").asLong()).isEqualTo(100);

		ApiResponse different = call(hook, currencyAdd(user, 999), key);
		assertThat(different.status()).isEqualTo(422);
		assertThat(different.problemCode()).isEqualTo("idempotency_key_reused");

		// A refusal after acting is an answer too: replayed, not retried.
		Map<String, String> overdrawKey = Map.of("X-Idempotency-Key", "overdraw");
		ApiResponse overdraw = call(hook, currencyAdd(user, -5_000), overdrawKey);
		assertThat(overdraw.problemCode()).isEqualTo("insufficient_balance");
		ApiResponse overdrawAgain = call(hook, currencyAdd(user, -5_000), overdrawKey);
		assertThat(overdrawAgain.header("Idempotent-Replayed")).isEqualTo("true");
		// The same answer, naming the request that got it.
		assertThat(overdrawAgain.text("request_id")).isEqualTo(overdrawAgain.header("X-Request-Id"))
			.isNotEqualTo(overdraw.text("request_id"));
		assertThat(withoutRequestId(overdrawAgain)).isEqualTo(withoutRequestId(overdraw));

		// A refusal before acting holds no key: the corrected call goes through.
		Map<String, String> typoKey = Map.of("X-Idempotency-Key", "typo");
		assertThat(call(hook, "{\"action\": \"currency.add\"}", typoKey).status()).isEqualTo(400);
		assertThat(call(hook, currencyAdd(user, 1), typoKey).status()).isEqualTo(200);

		// Keys belong to their hook.
		Hook other = createHook(brand, "currency.add");
		ApiResponse elsewhere = call(other, body, key);
		assertThat(elsewhere.header("Idempotent-Replayed")).isNull();
		assertThat(this.client.get(brand, "/v1/members/" + user).json().get("balance").asLong()).isEqualTo(201);

		assertThat(call(hook, body, Map.of("X-Idempotency-Key", "has space")).status()).isEqualTo(400);

		JsonNode calls = this.client.get(brand, "/v1/incoming-webhooks/" + hook.id() + "/calls").json().get("data");
		List<String> outcomes = new ArrayList<>();
		calls.forEach((call) -> outcomes.add(call.get("outcome").asString()));
		assertThat(outcomes).containsExactly("rejected", "succeeded", "rejected", "replayed", "rejected", "rejected",
				"replayed", "succeeded");
		assertThat(calls.get(6).get("idempotency_key").asString()).isEqualTo("order-1001");
		LedgerChecks.assertConserved(this.jdbc, brand, 1_000);
	}

	@Test
	void concurrentCallsWithOneIdempotencyKeyActOnce() {
		TestBrand brand = this.client.createBrand();
		this.client.fund(brand, 1_000);
		Hook hook = createHook(brand, List.of("currency.add"), Map.of("rate_limit_per_minute", 1_000));
		String user = newUserId();
		String body = currencyAdd(user, 7);

		for (int round = 0; round < 3; round++) {
			Map<String, String> key = Map.of("X-Idempotency-Key", "race-" + round);
			List<ApiResponse> responses = Race.run(8, (i) -> call(hook, body, key));
			assertThat(responses).allSatisfy((response) -> assertThat(response.status()).isEqualTo(200));
			Set<String> callIds = responses.stream()
				.map((response) -> response.text("call_id"))
				.collect(Collectors.toSet());
			assertThat(callIds).as("every answer is the first call's").hasSize(1);
			assertThat(responses.stream().filter((response) -> response.header("Idempotent-Replayed") == null))
				.hasSize(1);
		}
		assertThat(this.client.get(brand, "/v1/members/" + user).json().get("balance").asLong()).isEqualTo(21);
		LedgerChecks.assertConserved(this.jdbc, brand, 1_000);
	}

	@Test
	void concurrentCallsNeverOverdrawTheWallet() {
		TestBrand brand = this.client.createBrand();
		this.client.fund(brand, 100);
		Hook hook = createHook(brand, List.of("currency.add"), Map.of("rate_limit_per_minute", 1_000));
		List<ApiResponse> responses = Race.run(16, (i) -> call(hook, currencyAdd(newUserId(), 30)));
		assertThat(responses.stream().filter((response) -> response.status() == 200)).hasSize(3);
		assertThat(responses.stream().filter((response) -> response.status() == 422)).hasSize(13);
		assertThat(LedgerChecks.assertConserved(this.jdbc, brand, 100)).isEqualTo(90);
	}

	// ---- rate limit

	@Test
	void eachHookIsRateLimited() {
		TestBrand brand = this.client.createBrand();
		this.client.fund(brand, 1_000);
		Hook hook = createHook(brand, List.of("currency.add"), Map.of("rate_limit_per_minute", 3));
		Hook neighbour = createHook(brand, List.of("currency.add"), Map.of("rate_limit_per_minute", 3));
		String user = newUserId();
		this.clock.freeze();

		for (int i = 0; i < 3; i++) {
			assertThat(call(hook, currencyAdd(user, 1)).status()).isEqualTo(200);
		}
		// Calls that fail the signature check take no tokens.
		assertThat(call(hook, STRANGER_SECRET, currencyAdd(user, 1), Map.of()).status()).isEqualTo(401);
		ApiResponse limited = call(hook, currencyAdd(user, 1));
		assertThat(limited.status()).isEqualTo(429);
		assertThat(limited.problemCode()).isEqualTo("rate_limited");
		assertThat(limited.header("Retry-After")).isEqualTo("20");
		assertThat(limited.json().get("retry_after").asLong()).isEqualTo(20);
		assertThat(call(neighbour, currencyAdd(user, 1)).status()).as("another hook").isEqualTo(200);

		this.clock.advance(Duration.ofSeconds(20));
		assertThat(call(hook, currencyAdd(user, 1)).status()).isEqualTo(200);
		assertThat(call(hook, currencyAdd(user, 1)).status()).isEqualTo(429);
		assertThat(this.client.get(brand, "/v1/members/" + user).json().get("balance").asLong()).isEqualTo(5);

		this.client.api(brand, "PATCH", "/v1/incoming-webhooks/" + hook.id(), "{\"rate_limit_per_minute\": 600}");
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(call(hook, currencyAdd(user, 1)).status()).as("a raised limit applies at once").isEqualTo(200);
	}

	@Test
	void racingCallsNeverPassTheRateLimit() {
		TestBrand brand = this.client.createBrand();
		this.client.fund(brand, 1_000);
		Hook hook = createHook(brand, List.of("currency.add"), Map.of("rate_limit_per_minute", 5));
		this.clock.freeze();
		List<ApiResponse> responses = Race.run(12, (i) -> call(hook, currencyAdd(newUserId(), 1)));
		assertThat(responses.stream().filter((response) -> response.status() == 200)).hasSize(5);
		assertThat(responses.stream().filter((response) -> response.status() == 429)).hasSize(7);
		assertThat(LedgerChecks.assertConserved(this.jdbc, brand, 1_000)).isEqualTo(5);
	}

	// ---- call log

	@Test
	void theCallLogListsCallsNewestFirstPageByPage() {
		TestBrand brand = this.client.createBrand();
		this.client.fund(brand, 1_000);
		Hook hook = createHook(brand, "currency.add");
		String user = newUserId();
		List<String> callIds = new ArrayList<>();
		for (int i = 1; i <= 5; i++) {
			callIds.add(0, call(hook, currencyAdd(user, i)).text("call_id"));
		}
		String path = "/v1/incoming-webhooks/" + hook.id() + "/calls";
		JsonNode first = this.client.get(brand, path + "?limit=3").json();
		assertThat(first.get("has_more").asBoolean()).isTrue();
		JsonNode second = this.client
			.get(brand, path + "?limit=3&starting_after=" + first.get("next_cursor").asString())
			.json();
		assertThat(second.get("has_more").asBoolean()).isFalse();
		List<String> listed = new ArrayList<>();
		first.get("data").forEach((call) -> listed.add(call.get("id").asString()));
		second.get("data").forEach((call) -> listed.add(call.get("id").asString()));
		assertThat(listed).containsExactlyElementsOf(callIds);
		// What cannot be an id of the list is no place to page from, here or in the
		// other lists of prefixed ids.
		for (String listPath : List.of(path, "/v1/members/" + user + "/events")) {
			for (String cursor : List.of("%20", "-1", "zzz")) {
				ApiResponse bad = this.client.get(brand, listPath + "?starting_after=" + cursor);
				assertThat(bad.status()).as(listPath + " " + cursor).isEqualTo(400);
				assertThat(bad.text("detail")).contains("starting_after");
			}
		}

		JsonNode newest = first.get("data").get(0);
		assertThat(newest.get("action").asString()).isEqualTo("currency.add");
		assertThat(newest.get("outcome").asString()).isEqualTo("succeeded");
		assertThat(newest.get("status").asInt()).isEqualTo(200);
		assertThat(newest.get("error_code").isNull()).isTrue();
		assertThat(newest.get("received_at").asString()).isNotBlank();
		assertThat(newest.get("response").get("result").get("balance").asLong()).isEqualTo(15);

		call(hook, "{}");
		JsonNode rejected = this.client.get(brand, path + "?outcome=rejected").json().get("data");
		assertThat(rejected).hasSize(1);
		assertThat(rejected.get(0).get("status").asInt()).isEqualTo(400);
	}

	@Test
	void creditsRacingAMergeAllEndWithTheSurvivor() {
		long funds = 1_000_000;
		TestBrand brand = brandWith(funds, "custom_event", Map.of());
		Hook hook = createHook(brand, "currency.add");
		String survivor = newUserId();
		String absorbed = newUserId();
		String email = "merge" + absorbed + "@example.com";
		assertThat(call(hook, currencyAdd(survivor, 5)).status()).isEqualTo(200);
		this.client.api(brand, "POST", "/v1/members/" + absorbed + "/identities",
				"{\"kind\":\"email\",\"value\":\"" + email + "\"}");
		java.util.List<ApiResponse> responses = bot.resonance.support.Race.run(40,
				(i) -> (i == 20)
						? this.client.api(brand, "POST", "/v1/members/" + survivor + "/identities",
								"{\"kind\":\"email\",\"value\":\"" + email + "\"}")
						: call(hook, currencyAdd(absorbed, 7)));
		assertThat(responses).allSatisfy((r) -> assertThat(r.status()).as(r.toString()).isEqualTo(200));
		long credited = 5 + 39 * 7;
		assertThat(this.client.get(brand, "/v1/members/" + survivor).json().get("balance").asLong())
			.as("every credit, before or after the merge, is with the survivor")
			.isEqualTo(credited);
		assertThat(LedgerChecks.assertConserved(this.jdbc, brand, funds)).isEqualTo(credited);
	}

	private static JsonNode withoutRequestId(ApiResponse response) {
		ObjectNode body = (ObjectNode) response.json().deepCopy();
		body.remove("request_id");
		return body;
	}

}
