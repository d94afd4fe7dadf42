package bot.resonance.integrations.shopify;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import bot.resonance.support.ApiResponse;
import bot.resonance.support.IntegrationTestSupport;
import bot.resonance.support.ResonanceClient;
import bot.resonance.support.Signing;
import bot.resonance.support.TestBrand;

/**
 * Shopify over real HTTP: webhooks signed exactly as Shopify signs them (base64
 * HMAC-SHA256 of the raw body, keyed with the UTF-8 bytes of the webhook secret), with
 * Shopify's headers and order and refund payloads in Shopify's REST field names.
 */
abstract class ShopifyTestSupport extends IntegrationTestSupport {

	static final String SECRET = "8f1c2e3d4b5a69788796a5b4c3d2e1f0a1b2c3d4e5f60718293a4b5c6d7e8f90";

	static final String SHOP = "resonance-test.myshopify.com";

	/** A brand paying place_order 1 point per unit of the order's total, with Shopify. */
	TestBrand shopifyBrand(long funds, Map<String, Object> eventType, Map<String, Object> shopify) {
		Map<String, Object> type = new LinkedHashMap<>(Map.of("amount_field", "total", "amount_per_unit", 1));
		type.putAll(eventType);
		TestBrand brand = brandWith(funds, "place_order", type);
		Map<String, Object> settings = new LinkedHashMap<>(Map.of("webhook_secret", SECRET));
		settings.putAll(shopify);
		ApiResponse configured = this.client.api(brand, "PUT", "/v1/integrations/shopify",
				ResonanceClient.json(settings));
		if (configured.status() != 201) {
			throw new IllegalStateException("Configuring Shopify failed: " + configured);
		}
		return brand;
	}

	TestBrand shopifyBrand(long funds) {
		return shopifyBrand(funds, Map.of(), Map.of());
	}

	/** Delivers a webhook as Shopify does, with a fresh webhook id. */
	ApiResponse deliver(TestBrand brand, String topic, String body) {
		return deliver(brand, topic, UUID.randomUUID().toString(), body);
	}

	ApiResponse deliver(TestBrand brand, String topic, String webhookId, String body) {
		return deliver(brand, topic, webhookId, body, shopifyHmac(SECRET, body));
	}

	ApiResponse deliver(TestBrand brand, String topic, String webhookId, String body, String hmac) {
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put("Content-Type", "application/json");
		headers.put("X-Shopify-Topic", topic);
		headers.put("X-Shopify-Hmac-Sha256", hmac);
		headers.put("X-Shopify-Shop-Domain", SHOP);
		headers.put("X-Shopify-API-Version", "2025-07");
		headers.put("X-Shopify-Webhook-Id", webhookId);
		headers.put("X-Shopify-Triggered-At", "2025-09-01T12:00:00.000000000Z");
		headers.put("X-Shopify-Event-Id", UUID.randomUUID().toString());
		return this.client.send("POST", "/v1/integrations/shopify/" + brand.brandId(), body, headers);
	}

	/** What Shopify puts in X-Shopify-Hmac-Sha256. */
	static String shopifyHmac(String secret, String body) {
		return Signing.base64(Signing.hmac(secret, body.getBytes(StandardCharsets.UTF_8)));
	}

	/** An order as Shopify's orders/paid and orders/create webhooks send it. */
	static String order(long id, String email, String totalPrice) {
		return """
				{
				  "id": %d,
				  "admin_graphql_api_id": "gid://shopify/Order/%d",
				  "app_id": 580111,
				  "browser_ip": "203.0.113.7",
				  "buyer_accepts_marketing": false,
				  "confirmation_number": "XPAV284CT",
				  "contact_email": "%s",
				  "created_at": "2025-09-01T08:00:00-04:00",
				  "currency": "EUR",
				  "current_total_price": "%s",
				  "email": "%s",
				  "financial_status": "paid",
				  "name": "#%d",
				  "order_number": %d,
				  "presentment_currency": "EUR",
				  "subtotal_price": "%s",
				  "tags": "",
				  "test": false,
				  "total_discounts": "0.00",
				  "total_price": "%s",
				  "total_tax": "0.00",
				  "updated_at": "2025-09-01T08:00:05-04:00",
				  "customer": {
				    "id": 115310627314723954,
				    "email": "%s",
				    "first_name": "Jane",
				    "last_name": "Doe",
				    "verified_email": true
				  },
				  "line_items": [
				    {"id": 866550311766439020, "name": "Hoodie - M", "price": "59.99", "quantity": 1, "sku": "HOOD-M", "title": "Hoodie"},
				    {"id": 141249953214522974, "name": "Sticker", "price": "15.00", "quantity": 2, "sku": "STK", "title": "Sticker"}
				  ],
				  "shipping_lines": [],
				  "note_attributes": []
				}
				"""
			.formatted(id, id, email, totalPrice, email, id % 100_000, 1000 + id % 100_000, totalPrice, totalPrice,
					email);
	}

	/**
	 * A refund as Shopify's refunds/create webhook sends it: {@code refundedMoney} as a
	 * successful refund transaction.
	 */
	static String refund(long id, long orderId, String refundedMoney) {
		return """
				{
				  "id": %d,
				  "order_id": %d,
				  "created_at": "2025-09-02T10:00:00-04:00",
				  "note": "Customer returned the item",
				  "restock": true,
				  "processed_at": "2025-09-02T10:00:00-04:00",
				  "admin_graphql_api_id": "gid://shopify/Refund/%d",
				  "refund_line_items": [
				    {"id": 104689539, "line_item_id": 866550311766439020, "quantity": 1, "restock_type": "return", "subtotal": 59.99, "total_tax": 0.0}
				  ],
				  "transactions": [
				    {"id": 179259969, "order_id": %d, "kind": "refund", "gateway": "bogus", "status": "success", "amount": "%s", "currency": "EUR"}
				  ],
				  "order_adjustments": []
				}
				"""
			.formatted(id, orderId, id, orderId, refundedMoney);
	}

	/** A refund with no refund transaction: the refunded line items' subtotals count. */
	static String refundByLineItems(long id, long orderId, String... subtotals) {
		StringBuilder lines = new StringBuilder();
		for (int i = 0; i < subtotals.length; i++) {
			lines.append((i > 0) ? ",\n" : "")
				.append("{\"id\": %d, \"line_item_id\": 866550311766439020, \"quantity\": 1, \"subtotal\": %s}"
					.formatted(900 + i, subtotals[i]));
		}
		return """
				{"id": %d, "order_id": %d, "restock": false, "refund_line_items": [%s], "transactions": [], "order_adjustments": []}
				"""
			.formatted(id, orderId, lines);
	}

}
