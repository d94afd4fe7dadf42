package bot.resonance.integrations.shopify;

import java.math.BigDecimal;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import bot.resonance.platform.web.ApiException;
import bot.resonance.platform.web.TextChecks;

/**
 * Reads what Resonance needs from Shopify's order and refund webhook payloads (Shopify's
 * REST field names). Fields Resonance cannot do without, or that hold the wrong kind of
 * value, make the payload malformed ({@code 400}); everything else is optional.
 */
final class ShopifyPayloads {

	/** A decimal as Shopify writes money: {@code "89.99"}. */
	private static final Pattern DECIMAL = Pattern.compile("-?[0-9]{1,30}(\\.[0-9]{1,30})?");

	private static final Pattern ID = Pattern.compile("[0-9]{1,30}");

	/** The largest quantity sum counted; beyond it, items is capped. */
	private static final long MAX_ITEMS = 1_000_000_000L;

	private ShopifyPayloads() {
	}

	/**
	 * An order ({@code orders/paid}, {@code orders/create}).
	 *
	 * @param id the order id
	 * @param orderNumber the shop's order number, if given
	 * @param email the customer's email: {@code email}, else {@code contact_email}, else
	 * {@code customer.email}
	 * @param total {@code total_price}, if given
	 * @param currency the order's currency, if given
	 * @param items the sum of {@code line_items[].quantity}
	 */
	record Order(String id, @Nullable Long orderNumber, @Nullable String email, @Nullable BigDecimal total,
			@Nullable String currency, long items) {
	}

	/**
	 * A refund ({@code refunds/create}).
	 *
	 * @param id the refund id
	 * @param orderId the refunded order's id
	 * @param refunded the money refunded: successful {@code refund} transactions, or
	 * without any refund transaction the refunded line items' subtotals
	 */
	record Refund(String id, String orderId, BigDecimal refunded) {
	}

	static Order order(JsonNode order) {
		requireObject(order, "order");
		String id = id(order.get("id"), "id", "the order's id");
		Long orderNumber = null;
		JsonNode number = order.get("order_number");
		if (number != null && number.isIntegralNumber() && number.canConvertToLong()) {
			orderNumber = number.longValue();
		}
		String email = firstEmail(order.get("email"), order.get("contact_email"), order.path("customer").get("email"));
		BigDecimal total = money(order.get("total_price"), "total_price");
		String currency = null;
		JsonNode currencyNode = order.get("currency");
		if (currencyNode != null && currencyNode.isString() && !currencyNode.stringValue().isBlank()) {
			currency = clean(currencyNode.stringValue().strip(), 16);
		}
		long items = 0;
		JsonNode lines = order.get("line_items");
		if (lines != null && lines.isArray()) {
			for (JsonNode line : lines) {
				JsonNode quantity = line.get("quantity");
				if (quantity != null && quantity.isIntegralNumber() && quantity.canConvertToLong()
						&& quantity.longValue() > 0) {
					items = Math.min(MAX_ITEMS, items + Math.min(MAX_ITEMS, quantity.longValue()));
				}
			}
		}
		return new Order(id, orderNumber, email, total, currency, items);
	}

	static Refund refund(JsonNode refund) {
		requireObject(refund, "refund");
		String id = id(refund.get("id"), "id", "the refund's id");
		String orderId = id(refund.get("order_id"), "order_id", "the refunded order's id");
		BigDecimal refunded = BigDecimal.ZERO;
		boolean anyRefundTransaction = false;
		JsonNode transactions = refund.get("transactions");
		if (transactions != null && transactions.isArray()) {
			for (JsonNode transaction : transactions) {
				if (!"refund".equals(text(transaction.get("kind")))) {
					continue;
				}
				anyRefundTransaction = true;
				if ("success".equals(text(transaction.get("status")))) {
					BigDecimal amount = money(transaction.get("amount"), "transactions[].amount");
					if (amount != null && amount.signum() > 0) {
						refunded = refunded.add(amount);
					}
				}
			}
		}
		if (!anyRefundTransaction) {
			JsonNode lines = refund.get("refund_line_items");
			if (lines != null && lines.isArray()) {
				for (JsonNode line : lines) {
					BigDecimal subtotal = money(line.get("subtotal"), "refund_line_items[].subtotal");
					if (subtotal != null && subtotal.signum() > 0) {
						refunded = refunded.add(subtotal);
					}
				}
			}
		}
		return new Refund(id, orderId, refunded);
	}

	private static void requireObject(JsonNode node, String what) {
		if (!node.isObject()) {
			throw ApiException.invalidRequest("The body must be a JSON object: the " + what + " Shopify sends.");
		}
	}

	/** A Shopify id: a whole number, or a string of digits. */
	private static String id(@Nullable JsonNode node, String field, String what) {
		if (node != null && node.isIntegralNumber() && node.bigIntegerValue().signum() > 0
				&& node.bigIntegerValue().toString().length() <= 30) {
			return node.bigIntegerValue().toString();
		}
		if (node != null && node.isString() && ID.matcher(node.stringValue()).matches()) {
			return node.stringValue().replaceFirst("^0+(?=.)", "");
		}
		throw ApiException.invalidRequest(
				"'" + field + "' is required: " + what + ", a positive whole number (as Shopify sends it).");
	}

	/** Money: a decimal string ({@code "89.99"}) or a number; null or absent is none. */
	private static @Nullable BigDecimal money(@Nullable JsonNode node, String field) {
		if (node == null || node.isNull()) {
			return null;
		}
		// A number beyond a double's range (1e400) has no decimal value: refused below.
		if (node.isNumber()
				&& !(node.isFloatingPointNumber() && !node.isBigDecimal() && !Double.isFinite(node.doubleValue()))) {
			BigDecimal value = node.decimalValue();
			if (value.precision() - value.scale() <= 30 && value.scale() <= 30) {
				return value;
			}
		}
		else if (node.isString() && DECIMAL.matcher(node.stringValue().strip()).matches()) {
			return new BigDecimal(node.stringValue().strip());
		}
		throw ApiException.invalidRequest("'" + field + "' must be an amount of money such as \"89.99\".");
	}

	private static @Nullable String firstEmail(@Nullable JsonNode... candidates) {
		for (JsonNode candidate : candidates) {
			if (candidate != null && candidate.isString() && !candidate.stringValue().isBlank()) {
				// As sent: an address with a NUL or half a surrogate pair is no address,
				// not another one once cleaned.
				return candidate.stringValue().strip();
			}
		}
		return null;
	}

	private static @Nullable String text(@Nullable JsonNode node) {
		return (node != null && node.isString()) ? node.stringValue() : null;
	}

	private static String clean(String text, int max) {
		String clean = TextChecks.clean(text);
		return (clean.length() > max) ? clean.substring(0, max) : clean;
	}

}
