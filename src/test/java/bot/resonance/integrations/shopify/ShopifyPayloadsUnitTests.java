package bot.resonance.integrations.shopify;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import bot.resonance.platform.crypto.HmacKey;
import bot.resonance.platform.web.ApiException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ShopifyPayloadsUnitTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Test
	void readsAnOrdersIdEmailTotalAndItems() {
		ShopifyPayloads.Order order = ShopifyPayloads.order(json("""
				{"id": 9007199254740993, "order_number": 1042, "email": " Jane@Example.com ", "total_price": "89.99",
				 "currency": "EUR", "line_items": [{"quantity": 2}, {"quantity": 1}, {"quantity": "x"}, {}]}
				"""));
		assertThat(order.id()).as("ids beyond 2^53 are kept exactly").isEqualTo("9007199254740993");
		assertThat(order.orderNumber()).isEqualTo(1042);
		assertThat(order.email()).isEqualTo("Jane@Example.com");
		assertThat(order.total()).isEqualByComparingTo("89.99");
		assertThat(order.currency()).isEqualTo("EUR");
		assertThat(order.items()).isEqualTo(3);
	}

	@Test
	void theEmailFallsBackToContactEmailThenTheCustomers() {
		assertThat(ShopifyPayloads.order(json("{\"id\": 1, \"email\": \"\", \"contact_email\": \"c@example.com\"}"))
			.email()).isEqualTo("c@example.com");
		assertThat(ShopifyPayloads
			.order(json("{\"id\": 1, \"email\": null, \"customer\": {\"email\": \"k@example.com\"}}"))
			.email()).isEqualTo("k@example.com");
		assertThat(ShopifyPayloads.order(json("{\"id\": \"77\", \"customer\": null}")).email()).isNull();
	}

	@Test
	void refundsCountSuccessfulRefundTransactionsElseLineItems() {
		ShopifyPayloads.Refund refund = ShopifyPayloads.refund(json("""
				{"id": 5, "order_id": 7, "refund_line_items": [{"subtotal": 100}],
				 "transactions": [{"kind": "refund", "status": "success", "amount": "10.50"},
				                  {"kind": "refund", "status": "failure", "amount": "99.00"},
				                  {"kind": "sale", "status": "success", "amount": "99.00"},
				                  {"kind": "refund", "status": "success", "amount": 4.5}]}
				"""));
		assertThat(refund.id()).isEqualTo("5");
		assertThat(refund.orderId()).isEqualTo("7");
		assertThat(refund.refunded()).isEqualByComparingTo("15");
		assertThat(ShopifyPayloads.refund(json(
				"{\"id\": 5, \"order_id\": 7, \"refund_line_items\": [{\"subtotal\": 59.99}, {\"subtotal\": \"0.01\"}]}"))
			.refunded()).isEqualByComparingTo("60");
		assertThat(ShopifyPayloads.refund(json("{\"id\": 5, \"order_id\": 7}")).refunded()).isZero();
	}

	@Test
	void malformedPayloadsAreRefusedNamingTheField() {
		assertThatExceptionOfType(ApiException.class).isThrownBy(() -> ShopifyPayloads.order(json("{}")))
			.withMessageContaining("'id'");
		assertThatExceptionOfType(ApiException.class).isThrownBy(() -> ShopifyPayloads.order(json("{\"id\": 1.5}")))
			.withMessageContaining("'id'");
		assertThatExceptionOfType(ApiException.class)
			.isThrownBy(() -> ShopifyPayloads.order(json("{\"id\": 1, \"total_price\": \"1e3\"}")))
			.withMessageContaining("total_price");
		// Beyond a double's range: refused, not a NumberFormatException (a 500).
		assertThatExceptionOfType(ApiException.class)
			.isThrownBy(() -> ShopifyPayloads.order(json("{\"id\": 1, \"total_price\": 1e400}")))
			.withMessageContaining("total_price");
		assertThatExceptionOfType(ApiException.class)
			.isThrownBy(() -> ShopifyPayloads.refund(json("{\"id\": 1, \"order_id\": \"abc\"}")))
			.withMessageContaining("order_id");
	}

	@Test
	void verifiesShopifysBase64SignatureOverTheRawBytes() {
		byte[] body = "{\"id\":1,\"note\":\"émoji ✓\"}".getBytes(StandardCharsets.UTF_8);
		String signature = Base64.getEncoder().encodeToString(HmacKey.of("shpss_secret").sign(body));
		assertThat(ShopifyWebhookController.verifies("shpss_secret", body, signature)).isTrue();
		assertThat(ShopifyWebhookController.verifies("shpss_secret", body, " " + signature + " ")).isTrue();
		assertThat(ShopifyWebhookController.verifies("other_secret", body, signature)).isFalse();
		assertThat(ShopifyWebhookController.verifies("shpss_secret", body, null)).isFalse();
		assertThat(ShopifyWebhookController.verifies("shpss_secret", body, "%%%")).isFalse();
		assertThat(ShopifyWebhookController.verifies("shpss_secret", body, signature.substring(4))).isFalse();
	}

	private static JsonNode json(String text) {
		return JSON.readTree(text);
	}

}
