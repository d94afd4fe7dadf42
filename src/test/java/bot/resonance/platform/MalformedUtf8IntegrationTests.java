package bot.resonance.platform;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import bot.resonance.support.ApiResponse;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.IntegrationTestSupport;
import bot.resonance.support.ResonanceClient;
import bot.resonance.support.Signing;
import bot.resonance.support.TestBrand;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Different signed bytes never mean the same thing: a body that is not well-formed UTF-8
 * (an overlong {@code C0 B1} for {@code "1"}, {@code C0 AF} for {@code "/"}, an encoded
 * surrogate, a truncated sequence) is refused with a 400 that names the problem, on every
 * endpoint that reads a body, before anything is recorded.
 */
@IntegrationTest
class MalformedUtf8IntegrationTests extends IntegrationTestSupport {

	private static final byte[] OVERLONG_ONE = { (byte) 0xc0, (byte) 0xb1 };

	private static final byte[] OVERLONG_SLASH = { (byte) 0xc0, (byte) 0xaf };

	private static final byte[] SURROGATE = { (byte) 0xed, (byte) 0xa0, (byte) 0x80 };

	private static final byte[] TRUNCATED = { (byte) 0xe2, (byte) 0x82 };

	@Test
	void anOverlongUserIdRewardsNobody() {
		TestBrand brand = brandWith(10_000, "custom_event", Map.of("amount", 10));
		for (byte[] bad : List.of(OVERLONG_ONE, SURROGATE, TRUNCATED)) {
			byte[] body = concat(
					"{\"brand_id\":\"" + brand.brandId() + "\",\"event_type\":\"custom_event\",\"user_id\":\"", bad,
					"\",\"server_id\":\"987654321098765432\"}");
			ApiResponse response = signedEvent(brand, body);
			assertThat(response.status()).as(response.toString()).isEqualTo(400);
			assertThat(response.errorCode()).isEqualTo("INVALID_REQUEST");
			assertThat(response.json().at("/error/message").asString()).contains("UTF-8")
				.contains("offset " + indexOf(body, bad));
		}
		byte[] slash = concat(
				"{\"brand_id\":\"" + brand.brandId()
						+ "\",\"event_type\":\"custom_event\",\"user_id\":\"123456789012345678\",\"server_id\":\"",
				OVERLONG_SLASH, "\"}");
		assertThat(signedEvent(brand, slash).status()).isEqualTo(400);
		assertThat(this.client.get(brand, "/v1/members/1").status()).isEqualTo(404);
		assertThat(this.client.get(brand, "/v1/wallet").json().at("/balances/0/balance").asLong()).isEqualTo(10_000);
	}

	@Test
	void everyEndpointThatReadsABodyRefusesIt() {
		TestBrand brand = brandWith(10_000, "place_order", Map.of("amount", 10));
		String shopifySecret = "shpss_" + UUID.randomUUID();
		assertThat(this.client
			.api(brand, "PUT", "/v1/integrations/shopify", "{\"webhook_secret\":\"" + shopifySecret + "\"}")
			.status()).isEqualTo(201);
		Map<String, String> api = Map.of("Authorization", "Bearer " + brand.apiKey(), "Content-Type",
				"application/json");
		Map<String, String> admin = Map.of("Authorization", "Bearer " + ResonanceClient.ADMIN_TOKEN, "Content-Type",
				"application/json");

		Map<String, Function<byte[], ApiResponse>> endpoints = new LinkedHashMap<>();
		endpoints.put("manual event", (middle) -> signed(brand, "/resonance-api/manual-event", concat(
				"{\"brand_id\":\"" + brand.brandId() + "\",\"event\":\"place_order\",\"email\":\"a" + newUserId(),
				middle, "@example.com\"}")));
		endpoints.put("debug",
				(middle) -> this.client.sendBytes("POST", "/resonance-api/debug",
						concat("{\"event\":\"place_order\",\"email\":\"a", middle, "@example.com\"}"),
						Map.of("X-Brand-Id", brand.brandId())));
		endpoints.put("webhook", (middle) -> this.client.sendBytes("POST", "/v1/webhooks",
				concat("{\"url\":\"https://example.com/", middle, "\"}"), api));
		endpoints.put("event type", (middle) -> this.client.sendBytes("PUT", "/v1/event-types/custom_event",
				concat("{\"enabled\":true,\"amount_field\":\"total", middle, "\",\"amount_per_unit\":1}"), api));
		endpoints.put("member identity",
				(middle) -> this.client.sendBytes("POST", "/v1/members/" + newUserId() + "/identities",
						concat("{\"kind\":\"email\",\"value\":\"x" + newUserId(), middle, "@example.com\"}"), api));
		endpoints.put("brand", (middle) -> this.client.sendBytes("PATCH", "/admin/v1/brands/" + brand.brandId(),
				concat("{\"name\":\"Brand ", middle, "\"}"), admin));
		endpoints.put("shopify", (middle) -> {
			byte[] order = concat("{\"id\":" + newUserId() + ",\"email\":\"o", middle,
					"@example.com\",\"total_price\":\"10.00\",\"currency\":\"USD\"}");
			return this.client.sendBytes("POST", "/v1/integrations/shopify/" + brand.brandId(), order,
					Map.of("Content-Type", "application/json", "X-Shopify-Topic", "orders/paid", "X-Shopify-Webhook-Id",
							UUID.randomUUID().toString(), "X-Shopify-Hmac-Sha256", shopifyHmac(shopifySecret, order)));
		});
		ApiResponse hook = this.client.api(brand, "POST", "/v1/incoming-webhooks",
				"{\"name\":\"utf8\",\"actions\":[\"currency.add\"]}");
		String hookPath = hook.text("url").replaceFirst("^https?://[^/]+", "");
		String hookSecret = hook.text("secret");
		endpoints.put("incoming webhook", (middle) -> {
			byte[] call = concat("{\"action\":\"currency.add\",\"data\":{\"user_id\":\"" + newUserId()
					+ "\",\"amount\":1,\"reason\":\"r", middle, "\"}}");
			return this.client.sendBytes("POST", hookPath, call, standardWebhookHeaders(hookSecret, call));
		});
		endpoints.forEach((endpoint, send) -> {
			ApiResponse good = send.apply("1".getBytes(StandardCharsets.UTF_8));
			assertThat(good.status()).as(endpoint + " with a well-formed body: " + good).isBetween(200, 299);
			for (byte[] bad : List.of(OVERLONG_ONE, OVERLONG_SLASH, SURROGATE, TRUNCATED)) {
				ApiResponse refused = send.apply(bad);
				assertThat(refused.status()).as(endpoint + ": " + refused).isEqualTo(400);
				assertThat(refused.body()).as(endpoint).contains("UTF-8");
			}
		});
	}

	private ApiResponse signedEvent(TestBrand brand, byte[] body) {
		return signed(brand, "/v1/events", body);
	}

	private ApiResponse signed(TestBrand brand, String path, byte[] body) {
		return this.client.sendBytes("POST", path, body,
				Map.of("Content-Type", "application/json", "X-Resonance-Signature", hmac(brand.secretKey(), body)));
	}

	/** webhook-id, webhook-timestamp and webhook-signature over exactly these bytes. */
	private Map<String, String> standardWebhookHeaders(String secret, byte[] body) {
		Map<String, String> headers = new LinkedHashMap<>(Signing.standardWebhook(secret, "msg_" + UUID.randomUUID(),
				this.clock.instant().getEpochSecond(), body));
		headers.put("Content-Type", "application/json");
		return headers;
	}

	private static String hmac(String key, byte[] body) {
		return Signing.hex(Signing.hmac(key, body));
	}

	private static String shopifyHmac(String key, byte[] body) {
		return Signing.base64(Signing.hmac(key, body));
	}

	private static byte[] concat(String before, byte[] middle, String after) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.writeBytes(before.getBytes(StandardCharsets.UTF_8));
		out.writeBytes(middle);
		out.writeBytes(after.getBytes(StandardCharsets.UTF_8));
		return out.toByteArray();
	}

	private static int indexOf(byte[] body, byte[] part) {
		outer: for (int i = 0; i + part.length <= body.length; i++) {
			for (int k = 0; k < part.length; k++) {
				if (body[i + k] != part[k]) {
					continue outer;
				}
			}
			return i;
		}
		return -1;
	}

}
