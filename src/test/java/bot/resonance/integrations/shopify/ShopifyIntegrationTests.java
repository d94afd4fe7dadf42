package bot.resonance.integrations.shopify;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import bot.resonance.platform.jobs.Jobs;
import bot.resonance.support.ApiResponse;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.LedgerChecks;
import bot.resonance.support.ResonanceClient;
import bot.resonance.support.TestBrand;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.util.ReflectionTestUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Shopify's own webhooks received natively: signed by the shop, deduplicated by webhook
 * id and by order, rewarding the customer's email per unit of the order's total, and
 * refunds taking back the reward in proportion, never more than it.
 */
@IntegrationTest
class ShopifyIntegrationTests extends ShopifyTestSupport {

	private static final AtomicLong IDS = new AtomicLong(5_000_000_000_000L);

	@Autowired
	JdbcClient jdbc;

	@Autowired
	ApplicationContext context;

	@Test
	void settingsAreConfiguredShownMaskedAndRemoved() {
		TestBrand brand = this.client.createBrand();
		String path = "/v1/integrations/shopify";
		assertThat(this.client.get(brand, path).status()).isEqualTo(404);
		ApiResponse noSecret = this.client.api(brand, "PUT", path, "{\"order_topic\":\"orders/paid\"}");
		assertThat(noSecret.status()).isEqualTo(400);
		assertThat(noSecret.json().get("detail").asString()).contains("webhook_secret");

		ApiResponse created = this.client.api(brand, "PUT", path,
				ResonanceClient.json(Map.of("webhook_secret", SECRET)));
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		assertThat(created.text("order_topic")).isEqualTo("orders/paid");
		assertThat(created.text("event_type")).isEqualTo("place_order");
		assertThat(created.json().get("enabled").asBoolean()).isTrue();
		assertThat(created.text("webhook_secret_last4")).isEqualTo(SECRET.substring(SECRET.length() - 4));
		assertThat(created.body()).doesNotContain(SECRET.substring(0, 12));
		assertThat(created.text("webhook_url"))
			.isEqualTo(this.client.base() + "/v1/integrations/shopify/" + brand.brandId());
		assertThat(created.json().get("topics").valueStream().map(JsonNode::asString)).containsExactly("orders/paid",
				"refunds/create");

		ApiResponse changed = this.client.api(brand, "PUT", path,
				"{\"order_topic\":\"orders/create\",\"event_type\":\"shop_order\",\"enabled\":false}");
		assertThat(changed.status()).isEqualTo(200);
		JsonNode shown = this.client.get(brand, path).json();
		assertThat(shown.get("order_topic").asString()).isEqualTo("orders/create");
		assertThat(shown.get("event_type").asString()).isEqualTo("shop_order");
		assertThat(shown.get("enabled").asBoolean()).isFalse();
		assertThat(shown.get("webhook_secret_last4").asString()).isEqualTo(SECRET.substring(SECRET.length() - 4));

		for (String bad : List.of("{\"order_topic\":\"orders/updated\"}", "{\"order_topic\":5}",
				"{\"event_type\":\"Place Order\"}", "{\"event_type\":null}", "{\"webhook_secret\":\"short\"}",
				"{\"webhook_secret\":\"has a space in it\"}", "{\"webhook_secret\":null}", "{\"enabled\":\"yes\"}",
				"{\"shop\":\"x\"}", "[]", "not json")) {
			ApiResponse refused = this.client.api(brand, "PUT", path, bad);
			assertThat(refused.status()).as(bad + " " + refused).isEqualTo(400);
		}
		assertThat(this.client.send("GET", path, null, Map.of()).status()).isEqualTo(401);

		assertThat(this.client.api(brand, "DELETE", path, null).status()).isEqualTo(204);
		assertThat(this.client.get(brand, path).status()).isEqualTo(404);
		assertThat(this.client.api(brand, "DELETE", path, null).status()).isEqualTo(404);
	}

	@Test
	void aPaidOrderRewardsTheCustomerByEmailPerUnitOfItsTotal() {
		TestBrand brand = shopifyBrand(100_000);
		long orderId = IDS.incrementAndGet();
		String email = "jane" + orderId + "@Example.com";
		ApiResponse response = deliver(brand, "orders/paid", order(orderId, email, "89.99"));
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		assertThat(response.json().get("received").asBoolean()).isTrue();
		assertThat(response.text("outcome")).isEqualTo("awarded");
		assertThat(response.json().get("amount").asLong()).isEqualTo(89);

		assertThat(balanceOf(brand, email)).isEqualTo(89);
		ApiResponse event = this.client.get(brand, "/v1/events/" + response.text("event_id"));
		assertThat(event.text("source")).isEqualTo("shopify");
		assertThat(event.text("event_type")).isEqualTo("place_order");
		JsonNode metadata = event.json().get("metadata");
		assertThat(metadata.get("platform").asString()).isEqualTo("shopify");
		assertThat(metadata.get("shop").asString()).isEqualTo(SHOP);
		assertThat(metadata.get("order_id").asString()).isEqualTo(Long.toString(orderId));
		assertThat(metadata.get("order_number").asLong()).isEqualTo(1000 + orderId % 100_000);
		assertThat(metadata.get("total").decimalValue()).isEqualByComparingTo("89.99");
		assertThat(metadata.get("currency").asString()).isEqualTo("EUR");
		assertThat(metadata.get("items").asLong()).isEqualTo(3);
		LedgerChecks.assertBalanced(this.jdbc, brand, 100_000);
	}

	@Test
	void aFixedAmountTypeAndTheEmailFallbacksWork() {
		TestBrand brand = this.client.createBrand(Map.of("name", "Fixed", "rate_limit_per_minute", 100_000));
		this.client.fund(brand, 10_000);
		this.client.eventType(brand, "shop_order", Map.of("enabled", true, "amount", 25));
		this.client.api(brand, "PUT", "/v1/integrations/shopify",
				ResonanceClient.json(Map.of("webhook_secret", SECRET, "event_type", "shop_order")));
		long viaContact = IDS.incrementAndGet();
		String contact = "contact" + viaContact + "@example.com";
		String body = order(viaContact, contact, "10.00").replace("\"email\": \"" + contact + "\"", "\"email\": \"\"");
		assertThat(deliver(brand, "orders/paid", body).text("outcome")).isEqualTo("awarded");
		assertThat(balanceOf(brand, contact)).isEqualTo(25);

		long viaCustomer = IDS.incrementAndGet();
		String customer = "customer" + viaCustomer + "@example.com";
		String onlyCustomer = order(viaCustomer, customer, "10.00")
			// Only the order's own email (the first), not the customer's.
			.replaceFirst(java.util.regex.Pattern.quote("\"email\": \"" + customer + "\","), "\"email\": null,")
			.replace("\"contact_email\": \"" + customer + "\",", "");
		ApiResponse response = deliver(brand, "orders/paid", onlyCustomer);
		assertThat(response.text("outcome")).as(response.toString()).isEqualTo("awarded");
		assertThat(balanceOf(brand, customer)).isEqualTo(25);
	}

	@Test
	void anOrderWithoutAnEmailIsAcknowledgedWithANote() {
		TestBrand brand = shopifyBrand(10_000);
		long orderId = IDS.incrementAndGet();
		String body = order(orderId, "x@example.com", "20.00").replace("\"x@example.com\"", "null");
		ApiResponse response = deliver(brand, "orders/paid", body);
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		assertThat(response.text("outcome")).isEqualTo("no_email");
		assertThat(response.text("note")).contains("no customer email");
		ApiResponse notAnEmail = deliver(brand, "orders/paid", order(IDS.incrementAndGet(), "not-an-email", "5.00"));
		assertThat(notAnEmail.status()).isEqualTo(200);
		assertThat(notAnEmail.text("outcome")).isEqualTo("invalid_email");
		// An address with a NUL or half a surrogate pair names no one, rather than the
		// address it would be once cleaned.
		for (String unstorable : List.of("a\\u0000b@example.com", "\\ud800@example.com")) {
			ApiResponse cleaned = deliver(brand, "orders/paid", order(IDS.incrementAndGet(), unstorable, "5.00"));
			assertThat(cleaned.text("outcome")).as(unstorable).isEqualTo("invalid_email");
		}
		assertThat(this.client.get(brand, "/v1/members/ab@example.com").status()).isEqualTo(404);
		LedgerChecks.assertBalanced(this.jdbc, brand, 10_000);
		assertThat(LedgerChecks.assertConserved(this.jdbc, brand, 10_000)).isZero();
	}

	@Test
	void aBadSignatureIsRefused() {
		TestBrand brand = shopifyBrand(10_000);
		long orderId = IDS.incrementAndGet();
		String email = "forged" + orderId + "@example.com";
		String body = order(orderId, email, "50.00");
		String webhookId = UUID.randomUUID().toString();
		for (String hmac : List.of(shopifyHmac("another-secret-entirely", body), shopifyHmac(SECRET, body + " "), "",
				"not base64!!", ResonanceClient.hmacHex(SECRET, body))) {
			ApiResponse refused = deliver(brand, "orders/paid", webhookId, body, hmac);
			assertThat(refused.status()).as(hmac + " " + refused).isEqualTo(401);
			assertThat(refused.problemCode()).isEqualTo("invalid_signature");
		}
		// A tampered body under the original signature.
		ApiResponse tampered = deliver(brand, "orders/paid", webhookId, body.replace("50.00", "5000.00"),
				shopifyHmac(SECRET, body));
		assertThat(tampered.status()).isEqualTo(401);
		// A signed multipart body is checked over its bytes as sent (nothing parses it
		// first): the signature holds, and the body is refused as not JSON.
		String multipart = "--x\r\nContent-Disposition: form-data; name=\"id\"\r\n\r\n1\r\n--x--\r\n";
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put("Content-Type", "multipart/form-data; boundary=x");
		headers.put("X-Shopify-Topic", "orders/paid");
		headers.put("X-Shopify-Hmac-Sha256", shopifyHmac(SECRET, multipart));
		headers.put("X-Shopify-Shop-Domain", SHOP);
		headers.put("X-Shopify-Webhook-Id", UUID.randomUUID().toString());
		ApiResponse parts = this.client.send("POST", "/v1/integrations/shopify/" + brand.brandId(), multipart, headers);
		assertThat(parts.status()).as(parts.toString()).isEqualTo(400);
		assertThat(parts.problemCode()).isEqualTo("invalid_request");
		// The refused attempts did not use up the webhook id.
		ApiResponse genuine = deliver(brand, "orders/paid", webhookId, body);
		assertThat(genuine.text("outcome")).as(genuine.toString()).isEqualTo("awarded");
		assertThat(balanceOf(brand, email)).isEqualTo(50);
	}

	@Test
	void aRepeatedWebhookIdIsNotActedOnAgain() {
		TestBrand brand = shopifyBrand(10_000);
		long orderId = IDS.incrementAndGet();
		String email = "repeat" + orderId + "@example.com";
		String webhookId = UUID.randomUUID().toString();
		ApiResponse first = deliver(brand, "orders/paid", webhookId, order(orderId, email, "40.00"));
		ApiResponse second = deliver(brand, "orders/paid", webhookId, order(orderId, email, "40.00"));
		assertThat(second.status()).isEqualTo(200);
		assertThat(second.json().get("duplicate").asBoolean()).isTrue();
		assertThat(second.text("event_id")).isEqualTo(first.text("event_id"));
		assertThat(second.text("outcome")).isEqualTo("awarded");
		assertThat(balanceOf(brand, email)).isEqualTo(40);
		LedgerChecks.assertBalanced(this.jdbc, brand, 10_000);
	}

	@Test
	void theSameOrderUnderANewWebhookIdIsRewardedOnce() {
		TestBrand brand = shopifyBrand(10_000);
		long orderId = IDS.incrementAndGet();
		String email = "twice" + orderId + "@example.com";
		ApiResponse first = deliver(brand, "orders/paid", order(orderId, email, "40.00"));
		// Shopify re-sends the order with a new webhook id and a later updated_at.
		ApiResponse again = deliver(brand, "orders/paid",
				order(orderId, email, "40.00").replace("08:00:05", "09:30:00"));
		assertThat(again.status()).isEqualTo(200);
		assertThat(again.json().get("duplicate").asBoolean()).isTrue();
		assertThat(again.text("event_id")).isEqualTo(first.text("event_id"));
		assertThat(balanceOf(brand, email)).isEqualTo(40);
		LedgerChecks.assertBalanced(this.jdbc, brand, 10_000);
	}

	@Test
	void onlyTheConfiguredOrderTopicRewards() {
		TestBrand brand = shopifyBrand(10_000);
		long orderId = IDS.incrementAndGet();
		String email = "topic" + orderId + "@example.com";
		ApiResponse created = deliver(brand, "orders/create", order(orderId, email, "30.00"));
		assertThat(created.status()).isEqualTo(200);
		assertThat(created.text("outcome")).isEqualTo("ignored");
		assertThat(deliver(brand, "customers/create", "{\"id\": 1, \"email\": \"" + email + "\"}").text("outcome"))
			.isEqualTo("ignored");
		assertThat(balanceOf(brand, email)).isZero();
		assertThat(deliver(brand, "orders/paid", order(orderId, email, "30.00")).text("outcome")).isEqualTo("awarded");
		assertThat(balanceOf(brand, email)).isEqualTo(30);

		// Configured for orders/create, orders/create rewards and orders/paid does not.
		assertThat(this.client.api(brand, "PUT", "/v1/integrations/shopify", "{\"order_topic\":\"orders/create\"}")
			.status()).isEqualTo(200);
		long next = IDS.incrementAndGet();
		assertThat(deliver(brand, "orders/create", order(next, email, "12.00")).text("outcome")).isEqualTo("awarded");
		assertThat(deliver(brand, "orders/paid", order(next, email, "12.00")).text("outcome")).isEqualTo("ignored");
		assertThat(balanceOf(brand, email)).isEqualTo(42);

		// Disabled, everything is acknowledged and ignored.
		this.client.api(brand, "PUT", "/v1/integrations/shopify", "{\"enabled\":false}");
		ApiResponse disabled = deliver(brand, "orders/create", order(IDS.incrementAndGet(), email, "99.00"));
		assertThat(disabled.status()).isEqualTo(200);
		assertThat(disabled.text("outcome")).isEqualTo("ignored");
		assertThat(balanceOf(brand, email)).isEqualTo(42);
	}

	@Test
	void rulesOfTheEventTypeStillApply() {
		TestBrand brand = shopifyBrand(10_000, Map.of("max_amount", 100), Map.of());
		long orderId = IDS.incrementAndGet();
		String email = "big" + orderId + "@example.com";
		ApiResponse big = deliver(brand, "orders/paid", order(orderId, email, "2500.00"));
		assertThat(big.json().get("amount").asLong()).as("capped by max_amount").isEqualTo(100);
		ApiResponse free = deliver(brand, "orders/paid", order(IDS.incrementAndGet(), email, "0.00"));
		assertThat(free.status()).isEqualTo(200);
		assertThat(free.text("outcome")).isEqualTo("rejected");
		assertThat(free.text("code")).isEqualTo("INVALID_REQUEST");
		assertThat(free.text("note")).contains("metadata.total");

		this.client.eventType(brand, "place_order", Map.of("enabled", false));
		ApiResponse disabled = deliver(brand, "orders/paid", order(IDS.incrementAndGet(), email, "10.00"));
		assertThat(disabled.status()).isEqualTo(200);
		assertThat(disabled.text("code")).isEqualTo("EVENT_DISABLED");
		assertThat(balanceOf(brand, email)).isEqualTo(100);
	}

	@Test
	void refundsReverseTheRewardInProportionAndNeverMoreThanIt() {
		TestBrand brand = shopifyBrand(10_000);
		long orderId = IDS.incrementAndGet();
		String email = "refund" + orderId + "@example.com";
		deliver(brand, "orders/paid", order(orderId, email, "100.00"));
		assertThat(balanceOf(brand, email)).isEqualTo(100);

		ApiResponse quarter = deliver(brand, "refunds/create", refund(IDS.incrementAndGet(), orderId, "25.00"));
		assertThat(quarter.status()).as(quarter.toString()).isEqualTo(200);
		assertThat(quarter.text("outcome")).isEqualTo("reversed");
		assertThat(quarter.json().get("amount").asLong()).isEqualTo(25);
		assertThat(quarter.json().get("reversed").asLong()).isEqualTo(25);
		assertThat(quarter.json().get("shortfall").asLong()).isZero();
		assertThat(balanceOf(brand, email)).isEqualTo(75);

		// A failed refund transaction refunds nothing.
		String failed = refund(IDS.incrementAndGet(), orderId, "50.00").replace("\"success\"", "\"failure\"");
		assertThat(deliver(brand, "refunds/create", failed).json().get("amount").asLong()).isZero();
		// Without refund transactions, the refunded line items count.
		ApiResponse byLines = deliver(brand, "refunds/create",
				refundByLineItems(IDS.incrementAndGet(), orderId, "30.00", "20"));
		assertThat(byLines.json().get("amount").asLong()).as(byLines.toString()).isEqualTo(50);
		assertThat(balanceOf(brand, email)).isEqualTo(25);
		// Refunding more than the order's total takes back only what is left.
		ApiResponse tooMuch = deliver(brand, "refunds/create", refund(IDS.incrementAndGet(), orderId, "80.00"));
		assertThat(tooMuch.json().get("amount").asLong()).isEqualTo(25);
		ApiResponse beyond = deliver(brand, "refunds/create", refund(IDS.incrementAndGet(), orderId, "10.00"));
		assertThat(beyond.json().get("amount").asLong()).isZero();
		assertThat(balanceOf(brand, email)).isZero();
		assertThat(this.jdbc.sql("select sum(amount) from reward_reversals where brand_id = :brand")
			.param("brand", brand.brandId())
			.query(Long.class)
			.single()).isEqualTo(100);
		LedgerChecks.assertBalanced(this.jdbc, brand, 10_000);
	}

	@Test
	void aReversalIsANegativeBalanceChangeForWebhooks() throws Exception {
		TestBrand brand = shopifyBrand(10_000);
		long orderId = IDS.incrementAndGet();
		String email = "hooked" + orderId + "@example.com";
		try (bot.resonance.support.WebhookReceiver receiver = bot.resonance.support.WebhookReceiver.start()) {
			ApiResponse hook = this.client.api(brand, "POST", "/v1/webhooks",
					bot.resonance.support.ResonanceClient.json(java.util.Map.of("url", receiver.url("/hook"),
							"event_types", java.util.List.of("balance.change"))));
			this.client.api(brand, "PUT", "/v1/webhook-settings", "{\"balance_change_threshold\":10}");
			deliver(brand, "orders/paid", order(orderId, email, "100.00"));
			deliver(brand, "refunds/create", refund(IDS.incrementAndGet(), orderId, "40.00"));
			var changes = receiver.await(2, java.time.Duration.ofSeconds(20))
				.stream()
				.map((r) -> bot.resonance.support.ResonanceClient.MAPPER.readTree(r.body()).get("data"))
				.toList();
			assertThat(changes).extracting((d) -> d.get("delta").asString()).containsExactlyInAnyOrder("+100", "-40");
			assertThat(changes).filteredOn((d) -> d.get("delta").asString().equals("-40"))
				.singleElement()
				.satisfies((d) -> {
					assertThat(d.get("reason").asString()).isEqualTo("REFUND");
					assertThat(d.get("newBalance").asString()).isEqualTo("60");
				});
			this.client.api(brand, "DELETE", "/v1/webhooks/" + hook.text("id"), null);
		}
	}

	@Test
	void partialRefundsAddUpToTheWholeRewardDespiteRounding() {
		TestBrand brand = shopifyBrand(10_000);
		long orderId = IDS.incrementAndGet();
		String email = "rounding" + orderId + "@example.com";
		deliver(brand, "orders/paid", order(orderId, email, "89.99"));
		long refundId = IDS.incrementAndGet();
		ApiResponse first = deliver(brand, "refunds/create", refund(refundId, orderId, "30.00"));
		assertThat(first.json().get("amount").asLong()).as("floor(89 × 30 / 89.99)").isEqualTo(29);
		// The same refund again, under a new webhook id, reverses nothing more.
		ApiResponse repeated = deliver(brand, "refunds/create", refund(refundId, orderId, "30.00"));
		assertThat(repeated.json().get("duplicate").asBoolean()).isTrue();
		ApiResponse rest = deliver(brand, "refunds/create", refund(IDS.incrementAndGet(), orderId, "59.99"));
		assertThat(rest.json().get("amount").asLong()).isEqualTo(60);
		assertThat(balanceOf(brand, email)).isZero();
		LedgerChecks.assertBalanced(this.jdbc, brand, 10_000);
	}

	@Test
	void aRefundOfAnOrderWhoseEventWasPrunedReversesWhatTheLedgerPaid() {
		TestBrand brand = shopifyBrand(10_000);
		long orderId = IDS.incrementAndGet();
		String email = "pruned" + orderId + "@example.com";
		deliver(brand, "orders/paid", order(orderId, email, "100.00"));
		ApiResponse first = deliver(brand, "refunds/create", refund(IDS.incrementAndGet(), orderId, "30.00"));
		assertThat(first.json().get("amount").asLong()).isEqualTo(30);
		String eventId = this.jdbc
			.sql("select event_id from shopify_orders where brand_id = :brand and order_id = :order")
			.param("brand", brand.brandId())
			.param("order", Long.toString(orderId))
			.query(String.class)
			.single();
		// What the event pruner does once the event is older than the retention.
		assertThat(this.jdbc.sql("delete from reward_events where brand_id = :brand and id = :event")
			.param("brand", brand.brandId())
			.param("event", eventId)
			.update()).isOne();

		ApiResponse second = deliver(brand, "refunds/create", refund(IDS.incrementAndGet(), orderId, "50.00"));
		assertThat(second.status()).as(second.toString()).isEqualTo(200);
		assertThat(second.text("outcome")).isEqualTo("reversed");
		assertThat(second.json().get("amount").asLong()).isEqualTo(50);
		assertThat(balanceOf(brand, email)).isEqualTo(20);
		// Still never more than the award: the rest of the order takes back only what is
		// left.
		ApiResponse rest = deliver(brand, "refunds/create", refund(IDS.incrementAndGet(), orderId, "100.00"));
		assertThat(rest.json().get("amount").asLong()).isEqualTo(20);
		assertThat(balanceOf(brand, email)).isZero();
		assertThat(heldRefunds(brand)).isZero();
		// The event is gone, so only conservation is checked (not events = award
		// transfers).
		LedgerChecks.assertConserved(this.jdbc, brand, 10_000);
		assertThat(this.jdbc.sql("select sum(reversed) from reward_reversals where brand_id = :brand")
			.param("brand", brand.brandId())
			.query(Long.class)
			.single()).isEqualTo(100);
	}

	@Test
	void aRefundTakesBackOnlyWhatTheMemberStillHas() throws Exception {
		TestBrand brand = shopifyBrand(10_000);
		String discordUser = newUserId();
		String email = "discord_" + discordUser + "@rsnc.network";
		long orderId = IDS.incrementAndGet();
		assertThat(deliver(brand, "orders/paid", order(orderId, email, "60.00")).text("outcome")).isEqualTo("awarded");
		// The member spends 45 of the 60 (debited back through an incoming webhook).
		ApiResponse hook = this.client.api(brand, "POST", "/v1/incoming-webhooks",
				ResonanceClient.json(Map.of("name", "Spend", "actions", List.of("currency.add"))));
		String call = ResonanceClient
			.json(Map.of("action", "currency.add", "data", Map.of("user_id", discordUser, "amount", -45)));
		long now = this.clock.instant().getEpochSecond();
		ApiResponse spent = this.client.send("POST", "/hooks/" + brand.brandId() + "/" + hook.text("id"), call,
				Map.of("webhook-id", "msg_spend_" + orderId, "webhook-timestamp", Long.toString(now),
						"webhook-signature",
						new com.standardwebhooks.Webhook(hook.text("secret")).sign("msg_spend_" + orderId, now, call)));
		assertThat(spent.status()).as(spent.toString()).isEqualTo(200);

		ApiResponse full = deliver(brand, "refunds/create", refund(IDS.incrementAndGet(), orderId, "60.00"));
		assertThat(full.json().get("amount").asLong()).isEqualTo(60);
		assertThat(full.json().get("reversed").asLong()).isEqualTo(15);
		assertThat(full.json().get("shortfall").asLong()).isEqualTo(45);
		assertThat(full.text("note")).contains("spent");
		assertThat(this.client.get(brand, "/v1/members/" + discordUser).json().get("balance").asLong()).isZero();
		LedgerChecks.assertConserved(this.jdbc, brand, 10_000);
	}

	@Test
	void racingRefundsNeverReverseMoreThanTheAward() throws Exception {
		TestBrand brand = shopifyBrand(100_000);
		long orderId = IDS.incrementAndGet();
		String email = "race" + orderId + "@example.com";
		deliver(brand, "orders/paid", order(orderId, email, "500.00"));
		int threads = 12;
		// Twelve different refunds of 100.00 each (five would refund the order) and one
		// refund delivered six times under different webhook ids.
		long repeatedRefund = IDS.incrementAndGet();
		List<String> bodies = new ArrayList<>();
		for (int i = 0; i < threads; i++) {
			bodies.add(refund(IDS.incrementAndGet(), orderId, "100.00"));
			if (i < 6) {
				bodies.add(refund(repeatedRefund, orderId, "100.00"));
			}
		}
		ExecutorService pool = Executors.newFixedThreadPool(bodies.size());
		CountDownLatch start = new CountDownLatch(1);
		List<Future<ApiResponse>> results = new ArrayList<>();
		for (String body : bodies) {
			results.add(pool.submit(() -> {
				start.await();
				return deliver(brand, "refunds/create", body);
			}));
		}
		start.countDown();
		long reversed = 0;
		for (Future<ApiResponse> result : results) {
			ApiResponse response = result.get();
			assertThat(response.status()).as(response.toString()).isEqualTo(200);
			if (!response.json().path("duplicate").asBoolean(false)) {
				reversed += response.json().get("reversed").asLong();
			}
		}
		pool.shutdown();
		assertThat(reversed).isEqualTo(500);
		assertThat(balanceOf(brand, email)).isZero();
		assertThat(this.jdbc.sql("select count(*) from reward_reversals where brand_id = :brand")
			.param("brand", brand.brandId())
			.query(Long.class)
			.single()).isEqualTo(threads + 1);
		LedgerChecks.assertBalanced(this.jdbc, brand, 100_000);
	}

	@Test
	void aRefundBeforeItsOrderIsHeldAndReversedWhenTheOrderIsRewarded() {
		TestBrand brand = shopifyBrand(10_000);
		long orderId = IDS.incrementAndGet();
		String email = "early" + orderId + "@example.com";
		String refund = refund(IDS.incrementAndGet(), orderId, "25.00");
		ApiResponse held = deliver(brand, "refunds/create", refund);
		assertThat(held.status()).as(held.toString()).isEqualTo(200);
		assertThat(held.text("outcome")).isEqualTo("held");
		assertThat(held.text("note")).contains("held");
		// Shopify's retry of it (a new webhook id) is held once.
		assertThat(deliver(brand, "refunds/create", refund).text("outcome")).isEqualTo("held");
		assertThat(heldRefunds(brand)).isEqualTo(1);

		ApiResponse paid = deliver(brand, "orders/paid", order(orderId, email, "100.00"));
		assertThat(paid.text("outcome")).isEqualTo("awarded");
		assertThat(paid.json().get("amount").asLong()).isEqualTo(100);
		assertThat(paid.text("note"))
			.contains("1 refund(s) received before the order were settled: 1 reversed, taking back 25");
		assertThat(balanceOf(brand, email)).isEqualTo(75);
		assertThat(heldRefunds(brand)).isZero();
		ApiResponse again = deliver(brand, "refunds/create", refund);
		assertThat(again.text("outcome")).isEqualTo("reversed");
		assertThat(again.json().get("duplicate").asBoolean()).isTrue();
		assertThat(balanceOf(brand, email)).isEqualTo(75);
		LedgerChecks.assertBalanced(this.jdbc, brand, 10_000);
	}

	@Test
	void aRefundWhileTheOrderIsPendingIsReversedOnceTheRewardIsPaid() {
		TestBrand brand = shopifyBrand(10_000, Map.of("daily_limit", 1), Map.of());
		String email = "patient" + IDS.incrementAndGet() + "@example.com";
		java.time.Instant day = java.time.LocalDate.ofInstant(this.clock.instant(), java.time.ZoneOffset.UTC)
			.plusDays(1)
			.atStartOfDay(java.time.ZoneOffset.UTC)
			.toInstant();
		this.clock.freezeAt(day.plusSeconds(3600));
		assertThat(deliver(brand, "orders/paid", order(IDS.incrementAndGet(), email, "10.00")).text("outcome"))
			.isEqualTo("awarded");
		long second = IDS.incrementAndGet();
		ApiResponse pending = deliver(brand, "orders/paid", order(second, email, "40.00"));
		assertThat(pending.text("outcome")).as(pending.toString()).isEqualTo("pending");

		ApiResponse held = deliver(brand, "refunds/create", refund(IDS.incrementAndGet(), second, "20.00"));
		assertThat(held.text("outcome")).isEqualTo("held");
		assertThat(held.text("event_id")).isEqualTo(pending.text("event_id"));
		sweepHeldRefunds();
		assertThat(heldRefunds(brand)).as("kept while the reward is pending").isEqualTo(1);

		// The next day the order's reward is paid; the held refund takes back half of it.
		this.clock.freezeAt(day.plus(java.time.Duration.ofDays(1)).plusSeconds(60));
		ReflectionTestUtils.invokeMethod(this.context.getBean("pendingEvents"), "processDue");
		assertThat(balanceOf(brand, email)).isEqualTo(50);
		assertThat(sweepHeldRefunds()).isGreaterThanOrEqualTo(1);
		assertThat(balanceOf(brand, email)).isEqualTo(30);
		assertThat(heldRefunds(brand)).isZero();
		sweepHeldRefunds();
		assertThat(balanceOf(brand, email)).as("reversed once").isEqualTo(30);
		LedgerChecks.assertBalanced(this.jdbc, brand, 10_000);
	}

	@Test
	void aHeldRefundWhoseNodeDiedWhileSettlingItIsSettledWhenTheClaimLapses() {
		TestBrand brand = shopifyBrand(10_000, Map.of("daily_limit", 1), Map.of());
		String email = "orphaned" + IDS.incrementAndGet() + "@example.com";
		java.time.Instant day = java.time.LocalDate.ofInstant(this.clock.instant(), java.time.ZoneOffset.UTC)
			.plusDays(1)
			.atStartOfDay(java.time.ZoneOffset.UTC)
			.toInstant();
		this.clock.freezeAt(day.plusSeconds(3600));
		deliver(brand, "orders/paid", order(IDS.incrementAndGet(), email, "10.00"));
		long second = IDS.incrementAndGet();
		assertThat(deliver(brand, "orders/paid", order(second, email, "40.00")).text("outcome")).isEqualTo("pending");
		assertThat(deliver(brand, "refunds/create", refund(IDS.incrementAndGet(), second, "20.00")).text("outcome"))
			.isEqualTo("held");
		// Its first run, one held-refund-interval later (an hour in these tests), sets it
		// due
		// when the order's reward is released.
		this.clock.freezeAt(day.plusSeconds(2 * 3600));
		sweepHeldRefunds();
		java.time.Instant released = day.plus(java.time.Duration.ofDays(1));
		assertThat(this.jdbc.sql("""
				select due_at from jobs where queue = 'shopify-held-refunds' and brand_id = :brand and key = :order
				""")
			.param("brand", brand.brandId())
			.param("order", Long.toString(second))
			.query(java.time.OffsetDateTime.class)
			.single()
			.toInstant()).as("due when the order's reward is released").isEqualTo(released);

		// The reward is paid; a node claims the held refund's job and dies.
		this.clock.freezeAt(released.plusSeconds(60));
		ReflectionTestUtils.invokeMethod(this.context.getBean("pendingEvents"), "processDue");
		assertThat(balanceOf(brand, email)).isEqualTo(50);
		assertThat(this.jdbc.sql("""
				update jobs set claimed_by = 'node-that-died#1', claimed_until = :until, attempts = attempts + 1
				where queue = 'shopify-held-refunds' and brand_id = :brand and key = :order and claimed_by is null
				""")
			.param("until", released.plus(java.time.Duration.ofMinutes(5)).atOffset(java.time.ZoneOffset.UTC))
			.param("brand", brand.brandId())
			.param("order", Long.toString(second))
			.update()).isEqualTo(1);
		sweepHeldRefunds();
		assertThat(heldRefunds(brand)).as("held by the dead node's claim").isEqualTo(1);

		// Its claim lapses: another node takes the job over and settles the refund, once.
		this.clock.freezeAt(released.plus(java.time.Duration.ofMinutes(5)).plusSeconds(1));
		sweepHeldRefunds();
		assertThat(heldRefunds(brand)).isZero();
		assertThat(balanceOf(brand, email)).isEqualTo(30);
		sweepHeldRefunds();
		assertThat(balanceOf(brand, email)).as("reversed once").isEqualTo(30);
		LedgerChecks.assertBalanced(this.jdbc, brand, 10_000);
	}

	@Test
	void heldRefundsOfAnOrderThatIsRefusedOrNeverComesAreDropped() {
		TestBrand brand = shopifyBrand(10_000);
		long refused = IDS.incrementAndGet();
		assertThat(deliver(brand, "refunds/create", refund(IDS.incrementAndGet(), refused, "5.00")).text("outcome"))
			.isEqualTo("held");
		this.client.eventType(brand, "place_order", Map.of("enabled", false));
		ApiResponse disabled = deliver(brand, "orders/paid", order(refused, "no" + refused + "@example.com", "10.00"));
		assertThat(disabled.text("code")).isEqualTo("EVENT_DISABLED");
		assertThat(disabled.text("note")).contains("1 refund(s) received before the order have nothing to reverse");
		assertThat(heldRefunds(brand)).isZero();

		long neverCame = IDS.incrementAndGet();
		deliver(brand, "refunds/create", refund(IDS.incrementAndGet(), neverCame, "5.00"));
		sweepHeldRefunds();
		assertThat(heldRefunds(brand)).as("kept while the order may still come").isEqualTo(1);
		this.clock.freezeAt(this.clock.instant().plus(java.time.Duration.ofDays(31)));
		assertThat(sweepHeldRefunds()).isGreaterThanOrEqualTo(1);
		assertThat(heldRefunds(brand)).isZero();
	}

	private long heldRefunds(TestBrand brand) {
		return this.jdbc.sql("select count(*) from shopify_held_refunds where brand_id = :brand")
			.param("brand", brand.brandId())
			.query(Long.class)
			.single();
	}

	private int sweepHeldRefunds() {
		// The jobs of orders with held refunds that are due, run as the background loop
		// does.
		return this.context.getBean(Jobs.class).runDue("shopify-held-refunds");
	}

	@Test
	void unknownOrUnconfiguredBrandsAreNotFound() {
		String body = order(IDS.incrementAndGet(), "who@example.com", "10.00");
		TestBrand unconfigured = this.client.createBrand();
		ApiResponse none = deliver(unconfigured, "orders/paid", body);
		assertThat(none.status()).isEqualTo(404);
		assertThat(none.problemCode()).isEqualTo("shopify_not_configured");
		TestBrand unknown = new TestBrand("0x" + "ab".repeat(20), "x", "y");
		assertThat(deliver(unknown, "orders/paid", body).status()).isEqualTo(404);
		ApiResponse junk = this.client.send("POST", "/v1/integrations/shopify/not-a-brand", body,
				Map.of("X-Shopify-Hmac-Sha256", shopifyHmac(SECRET, body)));
		assertThat(junk.status()).isEqualTo(404);

		TestBrand removed = shopifyBrand(0);
		this.client.api(removed, "DELETE", "/v1/integrations/shopify", null);
		assertThat(deliver(removed, "orders/paid", body).status()).isEqualTo(404);
	}

	@Test
	void hostileDeliveriesAreRefusedWithoutSideEffects() {
		TestBrand brand = shopifyBrand(10_000);
		long orderId = IDS.incrementAndGet();
		String email = "hostile" + orderId + "@example.com";
		String webhookId = UUID.randomUUID().toString();
		for (String body : List.of("{\"id\": ", "[1,2]", "\"text\"", "null", "{\"id\": 1, \"id\": 2}",
				order(orderId, email, "10.00").replace("\"id\": " + orderId + ",", "\"id\": -4,"),
				order(orderId, email, "10.00").replace("\"id\": " + orderId + ",", "\"id\": {\"a\": 1},"),
				order(orderId, email, "10.00").replace("\"total_price\": \"10.00\"", "\"total_price\": \"ten\""),
				order(orderId, email, "10.00").replace("\"total_price\": \"10.00\"", "\"total_price\": [1]"))) {
			ApiResponse refused = deliver(brand, "orders/paid", webhookId, body);
			assertThat(refused.status()).as(body + " " + refused).isEqualTo(400);
			assertThat(refused.problemCode()).isEqualTo("invalid_request");
		}
		ApiResponse refundWithoutOrder = deliver(brand, "refunds/create", "{\"id\": 5, \"transactions\": []}");
		assertThat(refundWithoutOrder.status()).isEqualTo(400);
		assertThat(refundWithoutOrder.json().get("detail").asString()).contains("order_id");
		String badAmount = refund(IDS.incrementAndGet(), orderId, "abc");
		assertThat(deliver(brand, "refunds/create", badAmount).status()).isEqualTo(400);

		String body = order(orderId, email, "10.00");
		for (String header : List.of("X-Shopify-Topic", "X-Shopify-Webhook-Id")) {
			Map<String, String> headers = new java.util.HashMap<>(
					Map.of("X-Shopify-Topic", "orders/paid", "X-Shopify-Webhook-Id", UUID.randomUUID().toString(),
							"X-Shopify-Hmac-Sha256", shopifyHmac(SECRET, body)));
			headers.remove(header);
			ApiResponse missing = this.client.send("POST", "/v1/integrations/shopify/" + brand.brandId(), body,
					headers);
			assertThat(missing.status()).as(header).isEqualTo(400);
			assertThat(missing.json().get("detail").asString()).contains(header);
		}
		String huge = "{\"id\": 1, \"pad\": \"" + "x".repeat(1_100_000) + "\"}";
		assertThat(deliver(brand, "orders/paid", huge).status()).isEqualTo(413);
		// An Idempotency-Key header changes nothing on this endpoint.
		assertThat(
				this.client.send("POST", "/v1/integrations/shopify/" + brand.brandId(), body,
						Map.of("Idempotency-Key", "k1", "X-Shopify-Topic", "orders/paid", "X-Shopify-Webhook-Id",
								UUID.randomUUID().toString(), "X-Shopify-Hmac-Sha256", "AAAA"))
					.status())
			.isEqualTo(401);

		assertThat(balanceOf(brand, email)).isZero();
		// The refused deliveries did not use up the webhook id.
		assertThat(deliver(brand, "orders/paid", webhookId, body).text("outcome")).isEqualTo("awarded");
		assertThat(balanceOf(brand, email)).isEqualTo(10);
		LedgerChecks.assertBalanced(this.jdbc, brand, 10_000);
	}

	@Test
	void theApiReferenceDescribesTheIntegration() {
		JsonNode paths = this.client.send("GET", "/v3/api-docs", null, Map.of()).json().get("paths");
		assertThat(paths.path("/v1/integrations/shopify").has("put")).isTrue();
		JsonNode receiver = paths.path("/v1/integrations/shopify/{brand_id}").path("post");
		assertThat(receiver.isMissingNode()).isFalse();
		assertThat(receiver.path("security").isMissingNode()).as("no API key").isTrue();
		assertThat(paths.path("/v1/event-types/{event_type}").toString()).isNotEmpty();
	}

	private long balanceOf(TestBrand brand, String email) {
		ApiResponse member = this.client.get(brand, "/v1/members/lookup?email=" + email);
		return (member.status() == 404) ? 0 : member.json().get("balance").asLong();
	}

}
