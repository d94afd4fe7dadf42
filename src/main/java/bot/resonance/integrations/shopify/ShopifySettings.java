package bot.resonance.integrations.shopify;

import java.time.Instant;
import java.util.Set;

/**
 * A brand's Shopify integration.
 *
 * @param brandId the brand
 * @param webhookSecret the secret Shopify signs webhooks with (shown in Shopify admin
 * under Settings → Notifications → Webhooks, or the app's client secret)
 * @param orderTopic the order webhook that rewards: {@code orders/paid} or
 * {@code orders/create}
 * @param eventType the event type an order becomes
 * @param enabled whether webhooks are acted on (when off they are acknowledged and
 * ignored)
 * @param createdAt when it was first configured
 * @param updatedAt when it last changed
 */
record ShopifySettings(String brandId, String webhookSecret, String orderTopic, String eventType, boolean enabled,
		Instant createdAt, Instant updatedAt) {

	static final String ORDERS_PAID = "orders/paid";

	static final String ORDERS_CREATE = "orders/create";

	static final String REFUNDS_CREATE = "refunds/create";

	static final Set<String> ORDER_TOPICS = Set.of(ORDERS_PAID, ORDERS_CREATE);

	static final String DEFAULT_EVENT_TYPE = "place_order";

	/** The last four characters of the secret, to recognise it by. */
	String secretHint() {
		return this.webhookSecret.substring(Math.max(0, this.webhookSecret.length() - 4));
	}

}
