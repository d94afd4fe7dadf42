package bot.resonance.incoming;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.standardwebhooks.Webhook;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

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
 * How calls prove who sent them and when: Standard Webhooks signatures over
 * {@code id.timestamp.body} within a tolerance of server time, each {@code webhook-id}
 * acting at most once, and the timeless legacy {@code X-Signature} only for hooks that
 * opt in.
 */
@IntegrationTest
class IncomingWebhookSignatureIntegrationTests extends IncomingWebhookTestSupport {

	/** The default {@code resonance.incoming-webhooks.signature-tolerance}. */
	static final long TOLERANCE = 300;

	@Autowired
	JdbcClient jdbc;

	// ---- replays

	@Test
	void fiftyCopiesOfOneSignedCallTakeEffectOnce() {
		TestBrand brand = this.client.createBrand();
		this.client.fund(brand, 1_000);
		Hook hook = createHook(brand, List.of("currency.add"), Map.of("rate_limit_per_minute", 1_000));
		String user = newUserId();
		String body = currencyAdd(user, 7);
		Map<String, String> signed = standardHeaders(hook.secret(), newMessageId(), now(), body);

		List<ApiResponse> responses = new ArrayList<>();
		for (int i = 0; i < 25; i++) {
			// The idempotency key is not signed: a replayer may add or change it.
			responses.add(send(hook, body, signed, (i % 2 == 0) ? Map.of() : Map.of("X-Idempotency-Key", "copy-" + i)));
		}
		responses.addAll(Race.run(25, (i) -> send(hook, body, signed,
				(i % 2 == 0) ? Map.of() : Map.of("X-Idempotency-Key", "racing-copy-" + i))));

		assertThat(responses)
			.allSatisfy((response) -> assertThat(response.status()).as(response.toString()).isEqualTo(200));
		assertThat(responses.stream().filter((response) -> response.header("Idempotent-Replayed") == null))
			.as("one copy acts, 49 replay its answer")
			.hasSize(1);
		Set<String> callIds = responses.stream()
			.map((response) -> response.text("call_id"))
			.collect(Collectors.toSet());
		assertThat(callIds).hasSize(1);
		assertThat(this.client.get(brand, "/v1/members/" + user).json().get("balance").asLong()).isEqualTo(7);
		assertThat(transfers(brand)).isEqualTo(1);
		LedgerChecks.assertConserved(this.jdbc, brand, 1_000);
	}

	@Test
	void legacySignedCopiesAreRefusedByHooksThatDidNotOptIn() {
		TestBrand brand = this.client.createBrand();
		this.client.fund(brand, 1_000);
		Hook hook = createHook(brand, List.of("currency.add"), Map.of("rate_limit_per_minute", 1_000));
		String body = currencyAdd(newUserId(), 7);
		for (int i = 0; i < 50; i++) {
			ApiResponse refused = legacyCall(hook, body, Map.of());
			assertThat(refused.status()).isEqualTo(401);
			assertThat(refused.problemCode()).isEqualTo("invalid_signature");
			assertThat(refused.json().get("detail").asString()).contains("webhook-signature")
				.contains("legacy_signatures");
		}
		assertThat(this.client.get(brand, "/v1/wallet").json().get("balance").asLong()).isEqualTo(1_000);
		assertThat(transfers(brand)).isZero();
	}

	@Test
	void aWebhookIdWithAnotherBodyIsRefused() {
		TestBrand brand = this.client.createBrand();
		this.client.fund(brand, 1_000);
		Hook hook = createHook(brand, "currency.add");
		String user = newUserId();
		String id = newMessageId();
		String body = currencyAdd(user, 10);
		ApiResponse first = send(hook, body, standardHeaders(hook.secret(), id, now(), body), Map.of());
		assertThat(first.status()).isEqualTo(200);

		String other = currencyAdd(user, 500);
		ApiResponse reused = send(hook, other, standardHeaders(hook.secret(), id, now(), other), Map.of());
		assertThat(reused.status()).isEqualTo(422);
		assertThat(reused.problemCode()).isEqualTo("webhook_id_reused");
		assertThat(reused.json().get("detail").asString()).contains(first.text("call_id"));
		// A copy signed again later (another timestamp) is still the same message.
		ApiResponse resigned = send(hook, body, standardHeaders(hook.secret(), id, now() + 5, body), Map.of());
		assertThat(resigned.header("Idempotent-Replayed")).isEqualTo("true");
		assertThat(resigned.body()).isEqualTo(first.body());
		assertThat(this.client.get(brand, "/v1/members/" + user).json().get("balance").asLong()).isEqualTo(10);

		// Ids belong to their hook.
		Hook neighbour = createHook(brand, "currency.add");
		ApiResponse elsewhere = send(neighbour, body, standardHeaders(neighbour.secret(), id, now(), body), Map.of());
		assertThat(elsewhere.status()).isEqualTo(200);
		assertThat(elsewhere.header("Idempotent-Replayed")).isNull();

		JsonNode calls = this.client.get(brand, "/v1/incoming-webhooks/" + hook.id() + "/calls").json().get("data");
		assertThat(calls.get(0).get("webhook_id").asString()).isEqualTo(id);
		assertThat(calls.get(0).get("outcome").asString()).isEqualTo("replayed");
		assertThat(calls.get(2).get("outcome").asString()).isEqualTo("succeeded");
		LedgerChecks.assertConserved(this.jdbc, brand, 1_000);
	}

	@Test
	void aWebhookIdRefusedBeforeActingCanBeRetried() {
		TestBrand brand = this.client.createBrand();
		this.client.fund(brand, 1_000);
		Hook hook = createHook(brand, List.of("currency.add"), Map.of("rate_limit_per_minute", 1));
		String user = newUserId();
		this.clock.freeze();
		assertThat(call(hook, currencyAdd(user, 1)).status()).isEqualTo(200);
		String body = currencyAdd(user, 2);
		Map<String, String> signed = standardHeaders(hook.secret(), newMessageId(), now(), body);
		assertThat(send(hook, body, signed, Map.of()).status()).isEqualTo(429);

		// The sender retries the same message (as Standard Webhooks senders do).
		this.clock.advance(Duration.ofSeconds(60));
		ApiResponse retried = send(hook, body, signed, Map.of());
		assertThat(retried.status()).isEqualTo(200);
		assertThat(retried.header("Idempotent-Replayed")).isNull();
		assertThat(this.client.get(brand, "/v1/members/" + user).json().get("balance").asLong()).isEqualTo(3);
	}

	@Test
	void anIdempotencyKeyHoldsAcrossMessages() {
		TestBrand brand = this.client.createBrand();
		this.client.fund(brand, 1_000);
		Hook hook = createHook(brand, "currency.add");
		String user = newUserId();
		String body = currencyAdd(user, 10);
		Map<String, String> key = Map.of("X-Idempotency-Key", "order-1001");

		ApiResponse first = call(hook, body, key);
		assertThat(first.status()).isEqualTo(200);
		// A sender that signs each retry as a new message is still kept from acting
		// twice by its key...
		ApiResponse retry = call(hook, body, key);
		assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
		assertThat(retry.body()).isEqualTo(first.body());
		// ... and a new message may not reuse the key for something else.
		ApiResponse reused = call(hook, currencyAdd(user, 99), key);
		assertThat(reused.status()).isEqualTo(422);
		assertThat(reused.problemCode()).isEqualTo("idempotency_key_reused");
		assertThat(this.client.get(brand, "/v1/members/" + user).json().get("balance").asLong()).isEqualTo(10);
	}

	// ---- time

	@Test
	void callsSignedOutsideTheToleranceAreRefused() {
		TestBrand brand = this.client.createBrand();
		this.client.fund(brand, 1_000);
		Hook hook = createHook(brand, List.of("currency.add"), Map.of("rate_limit_per_minute", 1_000));
		String user = newUserId();
		long now = this.clock.freeze().getEpochSecond();

		for (long timestamp : List.of(now - TOLERANCE - 1, now + TOLERANCE + 1, now - 86_400, now * 1000, 0L)) {
			String body = currencyAdd(user, 5);
			ApiResponse refused = send(hook, body, standardHeaders(hook.secret(), newMessageId(), timestamp, body),
					Map.of());
			assertThat(refused.status()).as("timestamp " + timestamp).isEqualTo(401);
			assertThat(refused.problemCode()).isEqualTo("invalid_signature");
			assertThat(refused.json().get("detail").asString()).contains("webhook-timestamp")
				.contains(Long.toString(now));
			assertThat(refused.json().get("server_time").asLong()).isEqualTo(now);
		}
		for (long timestamp : List.of(now - TOLERANCE, now + TOLERANCE)) {
			String body = currencyAdd(user, 5);
			assertThat(send(hook, body, standardHeaders(hook.secret(), newMessageId(), timestamp, body), Map.of())
				.status()).as("timestamp " + timestamp).isEqualTo(200);
		}
		assertThat(this.client.get(brand, "/v1/members/" + user).json().get("balance").asLong()).isEqualTo(10);
	}

	@Test
	void aCopyOfAnOldCallIsRefusedOnceItsTimestampIsOutsideTheTolerance() {
		TestBrand brand = this.client.createBrand();
		this.client.fund(brand, 1_000);
		Hook hook = createHook(brand, "currency.add");
		String user = newUserId();
		String body = currencyAdd(user, 5);
		Map<String, String> signed = standardHeaders(hook.secret(), newMessageId(), now(), body);
		assertThat(send(hook, body, signed, Map.of()).status()).isEqualTo(200);
		this.clock.advance(Duration.ofSeconds(TOLERANCE + 1));
		ApiResponse stale = send(hook, body, signed, Map.of());
		assertThat(stale.status()).isEqualTo(401);
		assertThat(stale.json().get("detail").asString()).contains("seconds behind");
		assertThat(this.client.get(brand, "/v1/members/" + user).json().get("balance").asLong()).isEqualTo(5);
	}

	// ---- tampering and malformed headers

	@Test
	void tamperedCallsAreRefused() {
		TestBrand brand = this.client.createBrand();
		this.client.fund(brand, 1_000);
		Hook hook = createHook(brand, List.of("currency.add"), Map.of("rate_limit_per_minute", 1_000));
		String user = newUserId();
		String body = currencyAdd(user, 5);
		String id = newMessageId();
		long timestamp = now();
		Map<String, String> signed = standardHeaders(hook.secret(), id, timestamp, body);

		List<Map<String, String>> tampered = List.of(with(signed, "webhook-id", newMessageId()),
				with(signed, "webhook-timestamp", Long.toString(timestamp - 1)),
				with(signed, "webhook-timestamp", Long.toString(timestamp + 1)),
				standardHeaders(STRANGER_SECRET, id, timestamp, body));
		for (Map<String, String> headers : tampered) {
			ApiResponse refused = send(hook, body, headers, Map.of());
			assertThat(refused.status()).as(headers.toString()).isEqualTo(401);
			assertThat(refused.problemCode()).isEqualTo("invalid_signature");
			assertThat(refused.json().get("detail").asString()).contains("does not match");
		}
		for (String other : List.of(currencyAdd(user, 500), body + " ", body.replace("5", "6"))) {
			ApiResponse refused = send(hook, other, signed, Map.of());
			assertThat(refused.status()).as(other).isEqualTo(401);
		}
		assertThat(this.client.get(brand, "/v1/wallet").json().get("balance").asLong()).isEqualTo(1_000);

		// The untampered call was never answered as a replay: it still acts.
		ApiResponse genuine = send(hook, body, signed, Map.of());
		assertThat(genuine.status()).isEqualTo(200);
		assertThat(genuine.header("Idempotent-Replayed")).isNull();
	}

	@Test
	void missingAndMalformedHeadersAreRefusedClearly() {
		TestBrand brand = this.client.createBrand();
		this.client.fund(brand, 1_000);
		Hook hook = createHook(brand, List.of("currency.add"), Map.of("rate_limit_per_minute", 1_000));
		String body = currencyAdd(newUserId(), 5);
		Map<String, String> signed = standardHeaders(hook.secret(), newMessageId(), now(), body);
		String signature = signed.get("webhook-signature");

		List<Map<String, String>> refusals = new ArrayList<>();
		refusals.add(Map.of());
		refusals.add(Map.of("Authorization", "Bearer " + brand.apiKey()));
		for (String header : List.of("webhook-id", "webhook-timestamp", "webhook-signature")) {
			refusals.add(without(signed, header));
			refusals.add(with(signed, header, ""));
			refusals.add(with(signed, header, " "));
		}
		for (String timestamp : List.of("abc", "1.7e9", "-1", "+" + now(), now() + ".0", "0x10",
				"99999999999999999999999", now() + " " + now())) {
			refusals.add(with(signed, "webhook-timestamp", timestamp));
		}
		for (String malformed : List.of("v1", "v1,", "v1,!!!", "v1,%%%%", "v2," + signature.substring(3),
				"v1a," + signature.substring(3), signature.substring(3), "sha256=" + "0".repeat(64),
				"v1," + signature.substring(3, 20), ("v1,AAAA ").repeat(400), ",,, ,")) {
			refusals.add(with(signed, "webhook-signature", malformed));
		}
		refusals.add(with(signed, "webhook-id", "x".repeat(256)));
		refusals.add(with(signed, "webhook-id", "has space"));
		for (Map<String, String> headers : refusals) {
			ApiResponse refused = send(hook, body, headers, Map.of());
			assertThat(refused.status()).as(headers.toString()).isEqualTo(401);
			assertThat(refused.problemCode()).as(headers.toString()).isEqualTo("invalid_signature");
			assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
			assertThat(refused.json().get("detail").asString()).as(headers.toString()).isNotBlank();
		}
		ApiResponse missing = send(hook, body, Map.of(), Map.of());
		assertThat(missing.json().get("detail").asString()).contains("webhook-id")
			.contains("webhook-timestamp")
			.contains("webhook-signature");
		assertThat(send(hook, body, without(signed, "webhook-timestamp"), Map.of()).json().get("detail").asString())
			.contains("webhook-timestamp");
		assertThat(this.client.get(brand, "/v1/wallet").json().get("balance").asLong()).isEqualTo(1_000);
		assertThat(transfers(brand)).isZero();
	}

	@Test
	void theReferenceLibrarysSignatureIsAcceptedVerbatim() throws Exception {
		TestBrand brand = this.client.createBrand();
		this.client.fund(brand, 1_000);
		Hook hook = createHook(brand, "currency.add");
		String user = newUserId();
		Webhook sender = new Webhook(hook.secret());

		String body = currencyAdd(user, 3);
		String id = newMessageId();
		long timestamp = now();
		ApiResponse accepted = send(hook, body, Map.of("webhook-id", id, "webhook-timestamp", Long.toString(timestamp),
				"webhook-signature", sender.sign(id, timestamp, body)), Map.of());
		assertThat(accepted.status()).as(accepted.toString()).isEqualTo(200);

		// Header names in any case; several signatures, of which one matches; versions
		// other than v1 are ignored.
		String next = currencyAdd(user, 4);
		String nextId = newMessageId();
		String list = "v1a,bm90LWFuLWVkMjU1MTktc2lnbmF0dXJl "
				+ new Webhook(STRANGER_SECRET).sign(nextId, timestamp, next) + " "
				+ sender.sign(nextId, timestamp, next);
		ApiResponse several = send(hook, next,
				Map.of("Webhook-Id", nextId, "WEBHOOK-TIMESTAMP", Long.toString(timestamp), "Webhook-Signature", list),
				Map.of());
		assertThat(several.status()).as(several.toString()).isEqualTo(200);
		assertThat(this.client.get(brand, "/v1/members/" + user).json().get("balance").asLong()).isEqualTo(7);
	}

	// ---- secrets

	@Test
	void aRotatedSecretKeepsVerifyingForItsGracePeriod() throws Exception {
		TestBrand brand = this.client.createBrand();
		this.client.fund(brand, 1_000);
		Hook hook = createHook(brand, "currency.add");
		String user = newUserId();

		ApiResponse rotated = this.client.api(brand, "POST", "/v1/incoming-webhooks/" + hook.id() + "/rotate-secret",
				"{\"grace_period_seconds\": 3600}");
		assertThat(rotated.status()).isEqualTo(200);
		String secret = rotated.text("secret");
		assertThat(secret).startsWith("whsec_").isNotEqualTo(hook.secret());
		assertThat(call(hook, secret, currencyAdd(user, 1), Map.of()).status()).isEqualTo(200);
		assertThat(call(hook, hook.secret(), currencyAdd(user, 1), Map.of()).status()).isEqualTo(200);
		// A sender in the middle of its own rotation signs with both.
		String body = currencyAdd(user, 1);
		String id = newMessageId();
		long timestamp = now();
		String both = new Webhook(hook.secret()).sign(id, timestamp, body) + " "
				+ new Webhook(secret).sign(id, timestamp, body);
		assertThat(send(hook, body,
				Map.of("webhook-id", id, "webhook-timestamp", Long.toString(timestamp), "webhook-signature", both),
				Map.of())
			.status()).isEqualTo(200);

		this.clock.advance(Duration.ofSeconds(3601));
		assertThat(call(hook, hook.secret(), currencyAdd(user, 1), Map.of()).status()).as("the grace period is over")
			.isEqualTo(401);
		assertThat(call(hook, secret, currencyAdd(user, 1), Map.of()).status()).isEqualTo(200);

		ApiResponse immediate = this.client.api(brand, "POST", "/v1/incoming-webhooks/" + hook.id() + "/rotate-secret",
				"{\"grace_period_seconds\": 0}");
		String newest = immediate.text("secret");
		assertThat(call(hook, newest, currencyAdd(user, 1), Map.of()).status()).isEqualTo(200);
		assertThat(call(hook, secret, currencyAdd(user, 1), Map.of()).status()).isEqualTo(401);
		assertThat(this.client.get(brand, "/v1/members/" + user).json().get("balance").asLong()).isEqualTo(5);
	}

	// ---- the legacy scheme

	@Test
	void theLegacySchemeIsAPerHookOptIn() {
		TestBrand brand = this.client.createBrand();
		this.client.fund(brand, 1_000);
		Hook modern = createHook(brand, "currency.add");
		assertThat(this.client.get(brand, "/v1/incoming-webhooks/" + modern.id())
			.json()
			.get("legacy_signatures")
			.asBoolean()).isFalse();

		ApiResponse created = this.client.api(brand, "POST", "/v1/incoming-webhooks",
				"{\"name\": \"Old shop\", \"actions\": [\"currency.add\"], \"legacy_signatures\": true}");
		assertThat(created.status()).isEqualTo(201);
		assertThat(created.json().get("legacy_signatures").asBoolean()).isTrue();
		Hook legacy = new Hook(brand, created.text("id"), created.text("url"), created.text("secret"));
		String path = "/v1/incoming-webhooks/" + legacy.id();
		assertThat(this.client.get(brand, path).json().get("legacy_signatures").asBoolean()).isTrue();
		String user = newUserId();

		assertThat(legacyCall(legacy, currencyAdd(user, 1), Map.of()).status()).isEqualTo(200);
		String another = currencyAdd(user, 2);
		ApiResponse upperCase = send(legacy, another,
				Map.of("X-Signature", ("sha256=" + ResonanceClient.hmacHex(legacy.secret(), another)).toUpperCase()),
				Map.of());
		assertThat(upperCase.status()).isEqualTo(200);
		assertThat(call(legacy, currencyAdd(user, 4)).status()).as("Standard Webhooks calls too").isEqualTo(200);
		// With the Standard Webhooks headers present, they are what is checked.
		String body = currencyAdd(user, 1000);
		Map<String, String> both = new HashMap<>(standardHeaders(STRANGER_SECRET, newMessageId(), now(), body));
		both.put("X-Signature", "sha256=" + ResonanceClient.hmacHex(legacy.secret(), body));
		assertThat(send(legacy, body, both, Map.of()).status()).isEqualTo(401);

		String wrong = currencyAdd(user, 1);
		for (String malformed : List.of("sha256=", "sha256=xyz", "md5=" + "0".repeat(64), "sha256=" + "0".repeat(65),
				"sha256=" + ResonanceClient.hmacHex(STRANGER_SECRET, wrong),
				"sha256=" + ResonanceClient.hmacHex(legacy.secret(), wrong + " "))) {
			ApiResponse refused = send(legacy, wrong, Map.of("X-Signature", malformed), Map.of());
			assertThat(refused.status()).as(malformed).isEqualTo(401);
			assertThat(refused.problemCode()).as(malformed).isEqualTo("invalid_signature");
		}

		// Legacy calls carry no id: only X-Idempotency-Key tells a repeat.
		String keyed = currencyAdd(user, 8);
		Map<String, String> key = Map.of("X-Idempotency-Key", "legacy-1");
		assertThat(legacyCall(legacy, keyed, key).status()).isEqualTo(200);
		assertThat(legacyCall(legacy, keyed, key).header("Idempotent-Replayed")).isEqualTo("true");

		ApiResponse off = this.client.api(brand, "PATCH", path, "{\"legacy_signatures\": false}");
		assertThat(off.status()).isEqualTo(200);
		assertThat(off.json().get("legacy_signatures").asBoolean()).isFalse();
		ApiResponse refused = legacyCall(legacy, currencyAdd(user, 1), Map.of());
		assertThat(refused.status()).isEqualTo(401);
		assertThat(refused.json().get("detail").asString()).contains("legacy_signatures");
		assertThat(this.client.api(brand, "PATCH", path, "{\"legacy_signatures\": \"yes\"}").status()).isEqualTo(400);
		assertThat(this.client.api(brand, "PATCH", path, "{\"legacy_signatures\": true}")
			.json()
			.get("legacy_signatures")
			.asBoolean()).isTrue();
		assertThat(legacyCall(legacy, currencyAdd(user, 16), Map.of()).status()).isEqualTo(200);

		assertThat(this.client.get(brand, "/v1/members/" + user).json().get("balance").asLong()).isEqualTo(31);
		LedgerChecks.assertConserved(this.jdbc, brand, 1_000);
	}

	private long transfers(TestBrand brand) {
		return this.jdbc.sql("""
				select count(*) from ledger_transfers where brand_id = :brand and kind = 'incoming_webhook'
				""").param("brand", brand.brandId()).query(Long.class).single();
	}

	private static Map<String, String> with(Map<String, String> headers, String name, String value) {
		Map<String, String> changed = new LinkedHashMap<>(headers);
		changed.put(name, value);
		return changed;
	}

	private static Map<String, String> without(Map<String, String> headers, String name) {
		Map<String, String> changed = new LinkedHashMap<>(headers);
		changed.remove(name);
		return changed;
	}

}
