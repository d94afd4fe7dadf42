package bot.resonance.integrations.shopify;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import bot.resonance.support.ApiResponse;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.LedgerChecks;
import bot.resonance.support.ResonanceClient;
import bot.resonance.support.TestBrand;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The integration guide's Shopify forwarder (re-typed with {@code node:http}, its logic
 * unchanged) works against the manual event endpoint: Shopify signs an order, the
 * forwarder verifies it and forwards {@code place_order} for the customer's email,
 * unsigned, to {@code /resonance-api/manual-event?brand_id=...}.
 */
@IntegrationTest
class ShopifyForwarderIntegrationTests extends ShopifyTestSupport {

	@Autowired
	JdbcClient jdbc;

	@Test
	void theGuidesForwarderRewardsAShopifyOrder() throws Exception {
		assertThat(nodeAvailable()).as("node is needed (.ci/run installs it)").isTrue();
		TestBrand brand = brandWith(10_000, "place_order", Map.of("amount_field", "total"));
		ApiResponse unsigned = this.client.adminPatch(brand, Map.of("allow_unsigned_manual_events", true));
		assertThat(unsigned.status()).as(unsigned.toString()).isEqualTo(200);

		ProcessBuilder builder = new ProcessBuilder("node",
				Path.of("src/test/resources/seed-clients/shopify-forwarder.mjs").toAbsolutePath().toString());
		builder.environment()
			.putAll(Map.of("SHOPIFY_SECRET", SECRET, "RESONANCE_EVENT_URL",
					this.client.base() + "/resonance-api/manual-event?brand_id=" + brand.brandId(), "PORT", "0"));
		builder.redirectErrorStream(true);
		Process forwarder = builder.start();
		try {
			BufferedReader output = new BufferedReader(
					new InputStreamReader(forwarder.getInputStream(), StandardCharsets.UTF_8));
			String started = output.readLine();
			assertThat(started).as("the forwarder's first line").isNotNull().contains("listening");
			int port = ResonanceClient.MAPPER.readTree(started).get("listening").asInt();

			// A realistic order id: JavaScript numbers hold ids up to 2^53 exactly.
			long orderId = 6_123_456_789_012L;
			String email = "forwarded" + newUserId() + "@example.com";
			String order = order(orderId, email, "89.99");
			HttpClient http = HttpClient.newHttpClient();
			HttpResponse<String> forged = send(http, port, order, shopifyHmac("wrong-secret-value", order));
			assertThat(forged.statusCode()).isEqualTo(401);
			HttpResponse<String> response = send(http, port, order, shopifyHmac(SECRET, order));
			assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
			assertThat(response.body()).isEqualTo("{\"success\":true}");

			ApiResponse member = this.client.get(brand, "/v1/members/lookup?email=" + email);
			assertThat(member.status()).as(member.toString()).isEqualTo(200);
			assertThat(member.json().get("balance").asLong()).as("1 point per unit of total_price \"89.99\"")
				.isEqualTo(89);
			ApiResponse events = this.client.get(brand, "/v1/members/" + email + "/events");
			tools.jackson.databind.JsonNode metadata = events.json().at("/data/0/metadata");
			assertThat(metadata.get("order_id").asLong()).isEqualTo(orderId);
			assertThat(metadata.get("platform").asString()).isEqualTo("shopify");
			assertThat(metadata.get("total").asString()).isEqualTo("89.99");
			LedgerChecks.assertBalanced(this.jdbc, brand, 10_000);
		}
		finally {
			forwarder.destroy();
			forwarder.waitFor(10, TimeUnit.SECONDS);
		}
	}

	private static HttpResponse<String> send(HttpClient http, int port, String body, String hmac)
			throws IOException, InterruptedException {
		return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/order-created"))
			.timeout(Duration.ofSeconds(30))
			.header("Content-Type", "application/json")
			.header("X-Shopify-Hmac-Sha256", hmac)
			.header("X-Shopify-Topic", "orders/create")
			.header("X-Shopify-Shop-Domain", SHOP)
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static boolean nodeAvailable() {
		try {
			return new ProcessBuilder("node", "--version").start().waitFor(10, TimeUnit.SECONDS);
		}
		catch (IOException | InterruptedException ex) {
			return false;
		}
	}

}
