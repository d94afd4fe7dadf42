package bot.resonance.rewards;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import bot.resonance.support.ApiResponse;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.IntegrationTestSupport;
import bot.resonance.support.ResonanceClient;
import bot.resonance.support.TestBrand;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /v1/events} over real HTTP, exactly as the event API documentation
 * describes it: statuses, codes and shapes.
 */
@IntegrationTest
class EventApiIntegrationTests extends IntegrationTestSupport {

	static final String SERVER = "987654321098765432";

	@Test
	void awardsTheTypeAmountAndAnswersInTheDocumentedShape() {
		TestBrand brand = brandWith(1_000, "custom_event", Map.of("amount", 50));
		String user = newUserId();
		ApiResponse response = this.client.event(brand, "custom_event", user);
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		JsonNode body = response.json();
		assertThat(body.get("success").asBoolean()).isTrue();
		assertThat(body.get("event_id").asString()).matches("evt_[0-9A-HJKMNP-TV-Z]{26}");
		assertThat(body.get("user_id").asString()).isEqualTo(user);
		assertThat(body.get("amount_awarded").isIntegralNumber()).isTrue();
		assertThat(body.get("amount_awarded").asLong()).isEqualTo(50);
		assertThat(body.get("new_balance").asLong()).isEqualTo(50);
		assertThat(body.get("status").asString()).isEqualTo("awarded");

		ApiResponse second = this.client.event(brand, Map.of("event_type", "custom_event", "user_id", user, "server_id",
				SERVER, "amount", 25, "metadata", Map.of("order", "A-1")));
		assertThat(second.json().get("amount_awarded").asLong()).isEqualTo(25);
		assertThat(second.json().get("new_balance").asLong()).isEqualTo(75);
		assertThat(this.client.get(brand, "/v1/wallet").json().get("balance").asLong()).isEqualTo(1_000 - 75);
	}

	@Test
	void verifiesBodiesSignedTheWayTheSeedSampleSignsThem() {
		TestBrand brand = brandWith(1_000, "custom_event", Map.of("amount", 5));
		// JSON.stringify output: compact, keys in insertion order, non-ASCII left as
		// UTF-8.
		String body = "{\"brand_id\":\"" + brand.brandId() + "\",\"event_type\":\"custom_event\",\"user_id\":\""
				+ newUserId() + "\",\"server_id\":\"" + SERVER
				+ "\",\"amount\":5,\"metadata\":{\"note\":\"Grüße 🎉\",\"nested\":{\"a\":[1,2,3]}}}";
		ApiResponse response = this.client.signedEvent(brand, body, Map.of());
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		String eventId = response.text("event_id");
		JsonNode recorded = this.client.get(brand, "/v1/events/" + eventId).json();
		assertThat(recorded.path("metadata").path("note").asString()).isEqualTo("Grüße 🎉");
		assertThat(recorded.path("metadata").path("nested").path("a").size()).isEqualTo(3);
	}

	@Test
	void acceptsPrettyPrintedBodiesAndUpperCaseSignatures() {
		TestBrand brand = brandWith(1_000, "custom_event", Map.of("amount", 5));
		String body = "{\n  \"brand_id\": \"" + brand.brandId().toUpperCase().replace("0X", "0x")
				+ "\",\n  \"event_type\": \"custom_event\",\n  \"user_id\": \"" + newUserId()
				+ "\",\n  \"server_id\": \"1\"\n}\n";
		String signature = ResonanceClient.hmacHex(brand.secretKey(), body).toUpperCase();
		ApiResponse response = this.client.send("POST", "/v1/events", body,
				Map.of("Content-Type", "application/json", "X-Resonance-Signature", signature));
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
	}

	@Test
	void refusesMissingOrWrongSignaturesWith401() {
		TestBrand brand = brandWith(1_000, "custom_event", Map.of());
		String body = eventBody(brand, newUserId());
		ApiResponse missing = this.client.send("POST", "/v1/events", body, Map.of("Content-Type", "application/json"));
		assertThat(missing.status()).isEqualTo(401);
		assertThat(missing.errorCode()).isEqualTo("INVALID_SIGNATURE");
		assertThat(missing.json().get("success").asBoolean()).isFalse();

		ApiResponse wrongKey = this.client.send("POST", "/v1/events", body,
				Map.of("X-Resonance-Signature", ResonanceClient.hmacHex("not-the-secret", body)));
		assertThat(wrongKey.status()).isEqualTo(401);
		assertThat(wrongKey.errorCode()).isEqualTo("INVALID_SIGNATURE");

		// Signed, then changed in transit: one byte more.
		ApiResponse tampered = this.client.send("POST", "/v1/events", body + " ",
				Map.of("X-Resonance-Signature", ResonanceClient.hmacHex(brand.secretKey(), body)));
		assertThat(tampered.status()).isEqualTo(401);

		ApiResponse garbage = this.client.send("POST", "/v1/events", body, Map.of("X-Resonance-Signature", "zz"));
		assertThat(garbage.status()).isEqualTo(401);
		assertThat(garbage.json().path("error").path("message").asString()).contains("hex");
	}

	@Test
	void unknownBrandIsBrandNotFound() {
		String body = "{\"brand_id\":\"0x" + "1".repeat(40) + "\",\"event_type\":\"custom_event\",\"user_id\":\"1\","
				+ "\"server_id\":\"1\"}";
		ApiResponse response = this.client.send("POST", "/v1/events", body,
				Map.of("X-Resonance-Signature", ResonanceClient.hmacHex("x", body)));
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.errorCode()).isEqualTo("BRAND_NOT_FOUND");

		ApiResponse notAnAddress = this.client.send("POST", "/v1/events",
				"{\"brand_id\":\"acme\",\"event_type\":\"custom_event\"}", Map.of("X-Resonance-Signature", "00"));
		assertThat(notAnAddress.errorCode()).isEqualTo("BRAND_NOT_FOUND");
	}

	@Test
	void malformedBodiesAreInvalidRequestsNamingTheProblem() {
		TestBrand brand = brandWith(1_000, "custom_event", Map.of());
		assertInvalid(this.client.signedEvent(brand, "not json", Map.of()), "not valid JSON");
		assertInvalid(this.client.signedEvent(brand, "[1,2]", Map.of()), "JSON object");
		assertInvalid(this.client.signedEvent(brand, "{\"event_type\":\"custom_event\"}", Map.of()), "brand_id");
		assertInvalid(this.client.signedEvent(brand, "", Map.of()), "JSON");
		String duplicate = "{\"brand_id\":\"" + brand.brandId() + "\",\"amount\":1,\"amount\":1000}";
		assertInvalid(this.client.signedEvent(brand, duplicate, Map.of()), "a field twice");

		Map<String, Object> valid = Map.of("event_type", "custom_event", "user_id", newUserId(), "server_id", SERVER);
		assertInvalid(event(brand, valid, "event_type", null), "event_type is required");
		assertInvalid(event(brand, valid, "event_type", 7), "event_type must be a string");
		assertInvalid(event(brand, valid, "event_type", "Custom Event!"), "event_type must be");
		assertInvalid(event(brand, valid, "user_id", null), "user_id is required");
		assertInvalid(event(brand, valid, "user_id", 123456789012345678L), "user_id must be a string");
		assertInvalid(event(brand, valid, "user_id", "@someone"), "user_id must be a Discord user id");
		assertInvalid(event(brand, valid, "server_id", null), "server_id is required");
		assertInvalid(event(brand, valid, "amount", 0), "amount must be a positive whole number");
		assertInvalid(event(brand, valid, "amount", -5), "amount");
		assertInvalid(event(brand, valid, "amount", 1.5), "amount");
		assertInvalid(event(brand, valid, "amount", "50"), "amount");
		assertInvalid(event(brand, valid, "amount", new java.math.BigInteger("99999999999999999999999")), "amount");
		assertInvalid(event(brand, valid, "metadata", "x"), "metadata must be a JSON object");
		assertInvalid(event(brand, valid, "metadata", java.util.List.of(1)), "metadata");
	}

	@Test
	void invalidRequestsThatPassTheSignatureAreRecorded() {
		TestBrand brand = brandWith(1_000, "custom_event", Map.of());
		ApiResponse response = this.client.event(brand, Map.of("event_type", "custom_event", "user_id", "x"));
		assertThat(response.status()).isEqualTo(400);
		String eventId = response.text("event_id");
		JsonNode recorded = this.client.get(brand, "/v1/events/" + eventId).json();
		assertThat(recorded.get("status").asString()).isEqualTo("rejected");
		assertThat(recorded.path("error").path("code").asString()).isEqualTo("INVALID_REQUEST");
	}

	@Test
	void wholeNumbersWrittenAsDecimalsAreAccepted() {
		TestBrand brand = brandWith(1_000, "custom_event", Map.of());
		String body = "{\"brand_id\":\"" + brand.brandId() + "\",\"event_type\":\"custom_event\",\"user_id\":\""
				+ newUserId() + "\",\"server_id\":\"1\",\"amount\":7.0}";
		ApiResponse response = this.client.signedEvent(brand, body, Map.of());
		assertThat(response.json().get("amount_awarded").asLong()).isEqualTo(7);
	}

	@Test
	void amountDefaultsToTheTypeAndMayNotExceedMaxAmount() {
		TestBrand brand = brandWith(10_000, "custom_event", Map.of("amount", 30, "max_amount", 100));
		String user = newUserId();
		assertThat(this.client.event(brand, "custom_event", user).json().get("amount_awarded").asLong()).isEqualTo(30);
		ApiResponse tooMuch = this.client.event(brand,
				Map.of("event_type", "custom_event", "user_id", user, "server_id", SERVER, "amount", 101));
		assertThat(tooMuch.status()).isEqualTo(400);
		assertThat(tooMuch.errorCode()).isEqualTo("INVALID_REQUEST");
		assertThat(tooMuch.json().path("error").path("message").asString()).contains("max_amount");
	}

	@Test
	void disabledAndUnknownTypesAreEventDisabled() {
		TestBrand brand = brandWith(1_000, "custom_event", Map.of());
		ApiResponse builtIn = this.client.event(brand, "daily_checkin", newUserId());
		assertThat(builtIn.status()).isEqualTo(400);
		assertThat(builtIn.errorCode()).isEqualTo("EVENT_DISABLED");
		ApiResponse unknown = this.client.event(brand, "place_order", newUserId());
		assertThat(unknown.errorCode()).isEqualTo("EVENT_DISABLED");
		assertThat(unknown.json().path("error").path("message").asString()).contains("not configured");

		this.client.eventType(brand, "custom_event", Map.of("enabled", false));
		assertThat(this.client.event(brand, "custom_event", newUserId()).errorCode()).isEqualTo("EVENT_DISABLED");
	}

	@Test
	void disabledMembersAreUserDisabled() {
		TestBrand brand = brandWith(1_000, "custom_event", Map.of());
		String user = newUserId();
		ApiResponse disabled = this.client.api(brand, "PATCH", "/v1/members/" + user, "{\"status\":\"disabled\"}");
		assertThat(disabled.status()).as(disabled.toString()).isEqualTo(200);
		ApiResponse response = this.client.event(brand, "custom_event", user);
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.errorCode()).isEqualTo("USER_DISABLED");

		this.client.api(brand, "PATCH", "/v1/members/" + user, "{\"status\":\"active\"}");
		assertThat(this.client.event(brand, "custom_event", user).status()).isEqualTo(200);
	}

	@Test
	void anEmptyWalletIsInsufficientBalance() {
		TestBrand brand = brandWith(15, "custom_event", Map.of("amount", 10));
		assertThat(this.client.event(brand, "custom_event", newUserId()).status()).isEqualTo(200);
		ApiResponse response = this.client.event(brand, "custom_event", newUserId());
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.errorCode()).isEqualTo("INSUFFICIENT_BALANCE");
		assertThat(this.client.get(brand, "/v1/wallet").json().get("balance").asLong()).isEqualTo(5);
	}

	@Test
	void cooldownAnswers429WithRetryAfterUntilItEnds() {
		TestBrand brand = brandWith(1_000, "custom_event", Map.of("cooldown_seconds", 3600));
		String user = newUserId();
		Instant start = this.clock.freeze();
		assertThat(this.client.event(brand, "custom_event", user).status()).isEqualTo(200);

		this.clock.advance(Duration.ofSeconds(1800));
		ApiResponse cooling = this.client.event(brand, "custom_event", user);
		assertThat(cooling.status()).isEqualTo(429);
		assertThat(cooling.errorCode()).isEqualTo("COOLDOWN_ACTIVE");
		assertThat(cooling.json().path("error").path("retry_after").asLong()).isEqualTo(1800);
		assertThat(cooling.header("Retry-After")).isEqualTo("1800");
		// Other members and other types are not affected.
		assertThat(this.client.event(brand, "custom_event", newUserId()).status()).isEqualTo(200);

		this.clock.freezeAt(start.plusSeconds(3600));
		assertThat(this.client.event(brand, "custom_event", user).status()).isEqualTo(200);
	}

	@Test
	void rateLimitAnswers429WithRetryAfterAfterTheSignatureCheck() {
		TestBrand brand = brandWith(1_000, "custom_event", Map.of("amount", 1));
		this.client.adminPatch(brand, Map.of("rate_limit_per_minute", 5));
		this.clock.freeze();
		// Unsigned garbage does not use the brand's quota.
		for (int i = 0; i < 20; i++) {
			this.client.send("POST", "/v1/events", eventBody(brand, newUserId()),
					Map.of("X-Resonance-Signature", "0".repeat(64)));
		}
		for (int i = 0; i < 5; i++) {
			assertThat(this.client.event(brand, "custom_event", newUserId()).status()).isEqualTo(200);
		}
		ApiResponse limited = this.client.event(brand, "custom_event", newUserId());
		assertThat(limited.status()).isEqualTo(429);
		assertThat(limited.errorCode()).isEqualTo("RATE_LIMITED");
		assertThat(limited.header("Retry-After")).isEqualTo("12");
		this.clock.advance(Duration.ofSeconds(12));
		assertThat(this.client.event(brand, "custom_event", newUserId()).status()).isEqualTo(200);
	}

	@Test
	void theDefaultRateLimitIsSixtyPerMinute() {
		TestBrand brand = this.client.createBrand();
		this.client.fund(brand, 1_000);
		this.client.eventType(brand, "custom_event", Map.of("enabled", true, "amount", 1));
		this.clock.freeze();
		int ok = 0;
		for (int i = 0; i < 61; i++) {
			if (this.client.event(brand, "custom_event", newUserId()).status() == 200) {
				ok++;
			}
		}
		assertThat(ok).isEqualTo(60);
		assertThat(this.client.event(brand, "custom_event", newUserId()).header("Retry-After")).isEqualTo("1");
	}

	@Test
	void timestampedSignaturesCoverTimestampDotBodyWithinFiveMinutes() {
		TestBrand brand = brandWith(1_000, "custom_event", Map.of());
		String body = eventBody(brand, newUserId());
		long now = this.clock.freeze().getEpochSecond();
		ApiResponse ok = signedAt(brand, body, now);
		assertThat(ok.status()).as(ok.toString()).isEqualTo(200);

		ApiResponse stale = signedAt(brand, eventBody(brand, newUserId()), now - 301);
		assertThat(stale.status()).isEqualTo(401);
		assertThat(stale.json().path("error").path("message").asString()).contains("5 minutes");
		assertThat(signedAt(brand, eventBody(brand, newUserId()), now + 301).status()).isEqualTo(401);
		assertThat(signedAt(brand, eventBody(brand, newUserId()), now - 299).status()).isEqualTo(200);

		// With a timestamp header the body alone is not what is signed.
		ApiResponse bodyOnly = this.client.signedEvent(brand, eventBody(brand, newUserId()),
				Map.of("X-Resonance-Timestamp", Long.toString(now)));
		assertThat(bodyOnly.status()).isEqualTo(401);
		ApiResponse notANumber = this.client.signedEvent(brand, eventBody(brand, newUserId()),
				Map.of("X-Resonance-Timestamp", "yesterday"));
		assertThat(notANumber.status()).isEqualTo(401);
	}

	@Test
	void brandsCanRequireTimestamps() {
		TestBrand brand = brandWith(1_000, "custom_event", Map.of());
		this.client.adminPatch(brand, Map.of("require_timestamp", true));
		ApiResponse unstamped = this.client.event(brand, "custom_event", newUserId());
		assertThat(unstamped.status()).isEqualTo(401);
		assertThat(unstamped.json().path("error").path("message").asString()).contains("X-Resonance-Timestamp");
		long now = this.clock.instant().getEpochSecond();
		assertThat(signedAt(brand, eventBody(brand, newUserId()), now).status()).isEqualTo(200);
	}

	@Test
	void rotatedSecretsKeepWorkingForTheGracePeriod() {
		TestBrand brand = brandWith(1_000, "custom_event", Map.of());
		this.clock.freeze();
		ApiResponse rotated = this.client.admin("POST", "/admin/v1/brands/" + brand.brandId() + "/rotate-secret",
				"{\"grace_period_seconds\": 600}");
		assertThat(rotated.status()).as(rotated.toString()).isEqualTo(200);
		TestBrand newSecret = new TestBrand(brand.brandId(), rotated.text("secret_key"), brand.apiKey());
		assertThat(this.client.event(brand, "custom_event", newUserId()).status()).isEqualTo(200);
		assertThat(this.client.event(newSecret, "custom_event", newUserId()).status()).isEqualTo(200);
		this.clock.advance(Duration.ofSeconds(601));
		assertThat(this.client.event(brand, "custom_event", newUserId()).status()).isEqualTo(401);
		assertThat(this.client.event(newSecret, "custom_event", newUserId()).status()).isEqualTo(200);
	}

	@Test
	void oversizedBodiesAre413() {
		TestBrand brand = brandWith(1_000, "custom_event", Map.of());
		String big = eventBody(brand, newUserId()).replace("}",
				",\"metadata\":{\"x\":\"" + "a".repeat(70_000) + "\"}}");
		ApiResponse response = this.client.signedEvent(brand, big, Map.of());
		assertThat(response.status()).isEqualTo(413);
		assertThat(response.errorCode()).isEqualTo("PAYLOAD_TOO_LARGE");
	}

	@Test
	void otherMethodsKeepTheSeedErrorShape() {
		ApiResponse get = this.client.send("GET", "/v1/events", null, Map.of());
		assertThat(get.status()).isEqualTo(405);
		assertThat(get.json().get("success").asBoolean()).isFalse();
		assertThat(get.errorCode()).isEqualTo("METHOD_NOT_ALLOWED");
	}

	@Test
	void recordedEventsCanBeLookedUp() {
		TestBrand brand = brandWith(1_000, "custom_event", Map.of("amount", 12));
		String user = newUserId();
		ApiResponse sent = this.client.event(brand, Map.of("event_type", "custom_event", "user_id", user, "server_id",
				SERVER, "metadata", Map.of("k", "v")));
		JsonNode event = this.client.get(brand, "/v1/events/" + sent.text("event_id")).json();
		assertThat(event.get("event_id").asString()).isEqualTo(sent.text("event_id"));
		assertThat(event.get("event_type").asString()).isEqualTo("custom_event");
		assertThat(event.get("user_id").asString()).isEqualTo(user);
		assertThat(event.get("server_id").asString()).isEqualTo(SERVER);
		assertThat(event.get("status").asString()).isEqualTo("awarded");
		assertThat(event.get("amount_awarded").asLong()).isEqualTo(12);
		assertThat(event.get("new_balance").asLong()).isEqualTo(12);
		assertThat(event.get("currency").asString()).isEqualTo("POINT");
		assertThat(event.get("source").asString()).isEqualTo("api");
		assertThat(event.path("metadata").path("k").asString()).isEqualTo("v");

		TestBrand other = brandWith(0, "custom_event", Map.of());
		assertThat(this.client.get(other, "/v1/events/" + sent.text("event_id")).status()).isEqualTo(404);
	}

	private ApiResponse signedAt(TestBrand brand, String body, long timestamp) {
		String signature = ResonanceClient.hmacHex(brand.secretKey(), timestamp + "." + body);
		return this.client.send("POST", "/v1/events", body,
				Map.of("X-Resonance-Signature", signature, "X-Resonance-Timestamp", Long.toString(timestamp)));
	}

	private ApiResponse event(TestBrand brand, Map<String, Object> valid, String field, Object value) {
		Map<String, Object> fields = new LinkedHashMap<>(valid);
		if (value == null) {
			fields.remove(field);
		}
		else {
			fields.put(field, value);
		}
		return this.client.event(brand, fields);
	}

	private static void assertInvalid(ApiResponse response, String messagePart) {
		assertThat(response.status()).as(response.toString()).isEqualTo(400);
		assertThat(response.errorCode()).isEqualTo("INVALID_REQUEST");
		assertThat(response.json().path("error").path("message").asString()).contains(messagePart);
	}

	static String eventBody(TestBrand brand, String user) {
		return "{\"brand_id\":\"" + brand.brandId() + "\",\"event_type\":\"custom_event\",\"user_id\":\"" + user
				+ "\",\"server_id\":\"" + SERVER + "\"}";
	}

}
