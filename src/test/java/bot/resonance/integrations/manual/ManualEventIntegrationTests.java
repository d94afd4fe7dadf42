package bot.resonance.integrations.manual;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
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
 * {@code POST /resonance-api/manual-event} as the integration guide documents it: members
 * named by email, the brand named by header, field, query, Origin or the host the request
 * was sent to, signed unless the brand deliberately accepts unsigned events, and the same
 * rules as the event API.
 */
@IntegrationTest
class ManualEventIntegrationTests extends IntegrationTestSupport {

	private static final String PATH = "/resonance-api/manual-event";

	@Test
	void aSignedManualEventRewardsTheMemberByEmail() {
		TestBrand brand = brandWith(10_000, "place_order", Map.of("amount", 40));
		String email = "buyer" + newUserId() + "@Shop.Example";
		String body = body("place_order", email, Map.of("order_id", "ORD-1", "total", 89.99));
		ApiResponse response = signed(brand, body, Map.of("X-Brand-Id", brand.brandId()));
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		assertThat(response.json().get("success").asBoolean()).isTrue();
		assertThat(response.json().get("amount_awarded").asLong()).isEqualTo(40);
		assertThat(response.text("user_id")).isEqualTo(email.replace("Shop.Example", "shop.example"));

		ApiResponse member = this.client.get(brand, "/v1/members/lookup?email=" + email);
		assertThat(member.json().get("balance").asLong()).isEqualTo(40);
		ApiResponse recorded = this.client.get(brand, "/v1/events/" + response.text("event_id"));
		assertThat(recorded.text("source")).isEqualTo("manual");
		assertThat(recorded.json().at("/metadata/order_id").asString()).isEqualTo("ORD-1");
	}

	@Test
	void theDiscordAliasEarnsIntoTheSameBalanceAsTheEventApi() {
		TestBrand brand = brandWith(10_000, "custom_event", Map.of("amount", 10));
		this.client.eventType(brand, "place_order", Map.of("enabled", true, "amount", 25));
		String user = newUserId();
		assertThat(this.client.event(brand, "custom_event", user).status()).isEqualTo(200);
		ApiResponse manual = signed(brand, body("place_order", "discord_" + user + "@rsnc.network", Map.of()),
				Map.of("X-Brand-Id", brand.brandId()));
		assertThat(manual.status()).as(manual.toString()).isEqualTo(200);
		assertThat(manual.text("user_id")).isEqualTo(user);
		assertThat(manual.json().get("new_balance").asLong()).isEqualTo(35);
		ApiResponse member = this.client.get(brand, "/v1/members/" + user);
		assertThat(member.json().get("balance").asLong()).isEqualTo(35);
		assertThat(member.json().get("identities")).hasSize(1);
	}

	@Test
	void telegramAndTwitterAliasesWithTheSameIdAreTwoMembersNamedApart() {
		TestBrand brand = brandWith(10_000, "place_order", Map.of("amount", 5));
		String id = newUserId();
		ApiResponse telegram = signed(brand, body("place_order", "Telegram_" + id + "@rsnc.network", Map.of()),
				Map.of("X-Brand-Id", brand.brandId()));
		ApiResponse twitter = signed(brand, body("place_order", "twitter_" + id + "@rsnc.network", Map.of()),
				Map.of("X-Brand-Id", brand.brandId()));
		assertThat(telegram.text("user_id")).as(telegram.toString()).isEqualTo("telegram_" + id + "@rsnc.network");
		assertThat(twitter.text("user_id")).as(twitter.toString()).isEqualTo("twitter_" + id + "@rsnc.network");
		assertThat(telegram.json().get("new_balance").asLong()).isEqualTo(5);
		assertThat(twitter.json().get("new_balance").asLong()).isEqualTo(5);
		assertThat(this.client.get(brand, "/v1/members/telegram:" + id).json().get("balance").asLong()).isEqualTo(5);
	}

	@Test
	void theBrandIsNamedByHeaderFieldOrQuery() {
		TestBrand brand = brandWith(10_000, "place_order", Map.of("amount", 1));
		String viaField = "{\"brand_id\":\"" + brand.brandId() + "\",\"event\":\"place_order\",\"email\":\"f"
				+ newUserId() + "@example.com\"}";
		assertThat(signed(brand, viaField, Map.of()).status()).isEqualTo(200);
		String viaQuery = body("place_order", "q" + newUserId() + "@example.com", Map.of());
		ApiResponse query = this.client.send("POST", PATH + "?brand_id=" + brand.brandId(), viaQuery,
				Map.of("Content-Type", "application/json", "X-Resonance-Signature",
						ResonanceClient.hmacHex(brand.secretKey(), viaQuery)));
		assertThat(query.status()).as(query.toString()).isEqualTo(200);

		ApiResponse nobody = this.client.send("POST", PATH, viaQuery, Map.of("Content-Type", "application/json"));
		assertThat(nobody.status()).isEqualTo(400);
		assertThat(nobody.errorCode()).isEqualTo("BRAND_NOT_FOUND");
		ApiResponse unknown = this.client.send("POST", PATH, viaQuery,
				Map.of("Content-Type", "application/json", "X-Brand-Id", "0x" + "1".repeat(40)));
		assertThat(unknown.errorCode()).isEqualTo("BRAND_NOT_FOUND");
	}

	@Test
	void unsignedManualEventsAreRefusedUnlessTheBrandOptsIn() {
		TestBrand brand = brandWith(10_000, "place_order", Map.of("amount", 30));
		String body = body("place_order", "u" + newUserId() + "@example.com", Map.of());
		Map<String, String> headers = Map.of("Content-Type", "application/json", "X-Brand-Id", brand.brandId());
		ApiResponse refused = this.client.send("POST", PATH, body, headers);
		assertThat(refused.status()).isEqualTo(401);
		assertThat(refused.errorCode()).isEqualTo("INVALID_SIGNATURE");
		assertThat(refused.json().at("/error/message").asString()).contains("unsigned");

		ApiResponse settings = this.client.adminPatch(brand,
				Map.of("allow_unsigned_manual_events", true, "unsigned_manual_event_max_amount", 50, "domains",
						List.of("https://Shop.Example.com/", "example.org")));
		assertThat(settings.status()).as(settings.toString()).isEqualTo(200);
		assertThat(settings.json().get("domains").valueStream().map(JsonNode::asString))
			.containsExactly("shop.example.com", "example.org");

		ApiResponse accepted = this.client.send("POST", PATH, body, headers);
		assertThat(accepted.status()).as(accepted.toString()).isEqualTo(200);
		assertThat(accepted.json().get("amount_awarded").asLong()).isEqualTo(30);

		// From a browser on one of the brand's domains, the Origin names the brand.
		ApiResponse fromShop = this.client.send("POST", PATH,
				body("place_order", "o" + newUserId() + "@example.com", Map.of()),
				Map.of("Content-Type", "application/json", "Origin", "https://shop.example.com"));
		assertThat(fromShop.status()).as(fromShop.toString()).isEqualTo(200);
		// From anywhere else, unsigned is refused.
		ApiResponse elsewhere = this.client.send("POST", PATH,
				body("place_order", "e" + newUserId() + "@example.com", Map.of()), Map.of("Content-Type",
						"application/json", "X-Brand-Id", brand.brandId(), "Origin", "https://evil.example.net"));
		assertThat(elsewhere.status()).isEqualTo(401);

		// Unsigned events may not award more than the cap.
		this.client.eventType(brand, "big_order", Map.of("enabled", true, "amount", 500));
		ApiResponse tooMuch = this.client.send("POST", PATH,
				body("big_order", "b" + newUserId() + "@example.com", Map.of()), headers);
		assertThat(tooMuch.status()).isEqualTo(400);
		assertThat(tooMuch.errorCode()).isEqualTo("INVALID_REQUEST");
		assertThat(tooMuch.json().at("/error/message").asString()).contains("50");
		// Signed, the same event is paid in full.
		ApiResponse signedBig = signed(brand, body("big_order", "s" + newUserId() + "@example.com", Map.of()),
				Map.of("X-Brand-Id", brand.brandId()));
		assertThat(signedBig.json().get("amount_awarded").asLong()).isEqualTo(500);
		// A wrong signature is never excused by the opt-in.
		ApiResponse forged = this.client.send("POST", PATH, body, Map.of("Content-Type", "application/json",
				"X-Brand-Id", brand.brandId(), "X-Resonance-Signature", "0".repeat(64)));
		assertThat(forged.status()).isEqualTo(401);
	}

	@Test
	void aHostNameInTheBrandsDomainsNamesTheBrandSoTheGuidesCallWorksWithOnlyItsAddressChanged() throws Exception {
		TestBrand brand = brandWith(10_000, "place_order", Map.of("amount", 25));
		String host = "rewards-" + newUserId() + ".example.test";
		ApiResponse settings = this.client.adminPatch(brand,
				Map.of("allow_unsigned_manual_events", true, "domains", List.of("shop.example.test", host)));
		assertThat(settings.status()).as(settings.toString()).isEqualTo(200);
		String email = "jane" + newUserId() + "@example.com";
		// The integration guide's call as written: no brand, no signature, no Origin.
		String body = "{\"event\":\"place_order\",\"email\":\"" + email + "\",\"metadata\":{\"platform\":"
				+ "\"your-platform\",\"order_id\":\"ORD-12345\",\"total\":89.99,\"items\":3}}";
		String answer = post(host, PATH, body);
		assertThat(answer).startsWith("HTTP/1.1 200").contains("\"amount_awarded\":25");
		ApiResponse member = this.client.get(brand, "/v1/members/lookup?email=" + email);
		assertThat(member.json().get("balance").asLong()).as(member.toString()).isEqualTo(25);
		// What the debug endpoint sees of it.
		assertThat(post(host, "/resonance-api/debug", body)).contains("\"named_by\":\"host\"")
			.contains("\"brand_id\":\"" + brand.brandId() + "\"");
		// Another host names no brand.
		assertThat(post("elsewhere-" + newUserId() + ".example.test", PATH, body)).startsWith("HTTP/1.1 400")
			.contains("BRAND_NOT_FOUND")
			.contains("host name listed in its domains");
		// A browser on another site is still refused, whatever host it sends to.
		assertThat(post(host, PATH, body, "Origin: https://evil.example.net\r\n")).startsWith("HTTP/1.1 401")
			.contains("INVALID_SIGNATURE");
	}

	private String post(String host, String path, String body) throws Exception {
		return post(host, path, body, "");
	}

	/**
	 * A request sent to {@code host} (its Host header), as DNS pointing it here would.
	 */
	private String post(String host, String path, String body, String extraHeaders) throws Exception {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		try (Socket socket = new Socket("localhost", this.port)) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			out.write(("POST " + path + " HTTP/1.1\r\nHost: " + host + ":" + this.port
					+ "\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length + "\r\n" + extraHeaders
					+ "Connection: close\r\n\r\n")
				.getBytes(StandardCharsets.ISO_8859_1));
			out.write(bytes);
			out.flush();
			return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		}
	}

	@Test
	void aDomainBelongsToOneBrand() {
		TestBrand first = this.client.createBrand();
		TestBrand second = this.client.createBrand();
		String domain = "d" + newUserId() + ".example.com";
		assertThat(this.client.adminPatch(first, Map.of("domains", List.of(domain))).status()).isEqualTo(200);
		ApiResponse taken = this.client.adminPatch(second, Map.of("domains", List.of(domain)));
		assertThat(taken.status()).isEqualTo(409);
		assertThat(taken.problemCode()).isEqualTo("domain_taken");
		for (Object bad : List.of(List.of("not a domain"), List.of("http://"), "example.com", List.of(5))) {
			ApiResponse response = this.client.adminPatch(second, Map.of("domains", bad));
			assertThat(response.status()).as(bad + " " + response).isEqualTo(400);
		}
	}

	@Test
	void theSameEventWithinItsCooldownIsNotRewardedTwice() {
		TestBrand brand = brandWith(10_000, "post_review", Map.of("amount", 5, "cooldown_seconds", 86_400));
		String body = body("post_review", "r" + newUserId() + "@example.com", Map.of("post_id", 7));
		assertThat(signed(brand, body, Map.of("X-Brand-Id", brand.brandId())).status()).isEqualTo(200);
		ApiResponse again = signed(brand, body, Map.of("X-Brand-Id", brand.brandId()));
		assertThat(again.status()).isEqualTo(429);
		assertThat(again.errorCode()).isEqualTo("COOLDOWN_ACTIVE");
		assertThat(again.header("Retry-After")).isNotNull();
		assertThat(again.json().at("/error/message").asString()).startsWith("Not rewarded twice")
			.contains("'post_review'")
			.contains("duplicate");
	}

	/**
	 * A manual event names its type with event and its member with email: event_type,
	 * user_id and server_id are other fields to it, ignored (and never checked).
	 */
	@Test
	void theEventApisFieldsAreNotReadInAManualEvent() {
		TestBrand brand = brandWith(10_000, "place_order", Map.of("amount", 7));
		for (String extra : List.of("\"event_type\":\"custom_event\"", "\"user_id\":\"a\\u0000b\"",
				"\"server_id\":5")) {
			for (boolean first : List.of(true, false)) {
				String email = "fields" + newUserId() + "@example.com";
				String fields = "\"event\":\"place_order\",\"email\":\"" + email + "\"";
				String body = first ? "{" + extra + "," + fields + "}" : "{" + fields + "," + extra + "}";
				ApiResponse response = signed(brand, body, Map.of("X-Brand-Id", brand.brandId()));
				assertThat(response.status()).as(body + " " + response).isEqualTo(200);
				assertThat(this.client.get(brand, "/v1/members/" + email).json().get("balance").asLong()).as(body)
					.isEqualTo(7);
			}
		}
	}

	@Test
	void badFieldsAreRecordedAsInvalidRequests() {
		TestBrand brand = brandWith(10_000, "place_order", Map.of());
		for (String body : List.of("{\"event\":\"place_order\",\"email\":\"not-an-email\"}",
				"{\"event\":\"place_order\"}", "{\"email\":\"a@example.com\"}",
				"{\"event\":\"Place Order\",\"email\":\"a@example.com\"}", "{\"event\":\"place_order\",\"email\":5}",
				"{\"event\":\"place_order\",\"email\":\"a@example.com\"," + "\"metadata\":[]}")) {
			ApiResponse response = signed(brand, body, Map.of("X-Brand-Id", brand.brandId()));
			assertThat(response.status()).as(body + " " + response).isEqualTo(400);
			assertThat(response.errorCode()).isEqualTo("INVALID_REQUEST");
			assertThat(response.text("event_id")).as("recorded").startsWith("evt_");
		}
		ApiResponse notJson = this.client.send("POST", PATH, "nope",
				Map.of("Content-Type", "application/json", "X-Brand-Id", brand.brandId()));
		assertThat(notJson.status()).isEqualTo(400);
		assertThat(notJson.errorCode()).isEqualTo("INVALID_REQUEST");
	}

	@Test
	void theDebugEndpointTellsIntegratorsWhatIsWrong() {
		TestBrand brand = brandWith(10_000, "place_order", Map.of());
		ApiResponse plain = this.client.send("GET", "/resonance-api/debug", null, Map.of());
		assertThat(plain.status()).isEqualTo(200);
		assertThat(plain.json().get("ok").asBoolean()).isTrue();
		assertThat(plain.json().has("server_time")).isTrue();
		assertThat(plain.json().has("version")).isTrue();
		assertThat(plain.json().at("/brand/found").asBoolean()).isFalse();

		String body = body("place_order", "dbg@example.com", Map.of());
		ApiResponse good = this.client.send("POST", "/resonance-api/debug", body,
				Map.of("Content-Type", "application/json", "X-Brand-Id", brand.brandId(), "X-Resonance-Signature",
						ResonanceClient.hmacHex(brand.secretKey(), body)));
		assertThat(good.json().at("/brand/found").asBoolean()).isTrue();
		assertThat(good.json().at("/signature/valid").asBoolean()).isTrue();
		assertThat(good.json().at("/body/valid").asBoolean()).isTrue();
		// No problem is null, not the string "null".
		assertThat(good.json().at("/body").has("problem")).isTrue();
		assertThat(good.json().at("/body/problem").isNull()).as(good.toString()).isTrue();

		ApiResponse bad = this.client.send("POST", "/resonance-api/debug", body,
				Map.of("Content-Type", "application/json", "X-Brand-Id", brand.brandId(), "X-Resonance-Signature",
						ResonanceClient.hmacHex("wrong-secret", body), "X-Resonance-Timestamp", "1700000000"));
		assertThat(bad.json().at("/signature/valid").asBoolean()).isFalse();
		assertThat(bad.json().at("/signature/signed_string").asString()).isEqualTo("1700000000." + body);
		assertThat(bad.body()).doesNotContain(brand.secretKey());
		// Nothing was recorded.
		assertThat(this.client.get(brand, "/v1/members/lookup?email=dbg@example.com").status()).isEqualTo(404);
	}

	private ApiResponse signed(TestBrand brand, String body, Map<String, String> headers) {
		Map<String, String> all = new LinkedHashMap<>();
		all.put("Content-Type", "application/json");
		all.put("X-Resonance-Signature", ResonanceClient.hmacHex(brand.secretKey(), body));
		all.putAll(headers);
		return this.client.send("POST", PATH, body, all);
	}

	private static String body(String event, String email, Map<String, Object> metadata) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("event", event);
		body.put("email", email);
		body.put("metadata", metadata);
		return ResonanceClient.json(body);
	}

}
