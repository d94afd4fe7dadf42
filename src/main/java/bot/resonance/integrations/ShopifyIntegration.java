package bot.resonance.integrations;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import bot.resonance.platform.web.JsonPatch;

/**
 * A brand's Shopify settings, for every adapter (the management API's
 * {@code /v1/integrations/shopify}, the portal's integrations page). The webhook secret
 * is write-only: what is read back is its last four characters. Refusals are
 * {@link bot.resonance.platform.web.ApiException}s with the management API's codes and
 * messages ({@code invalid_request}).
 */
public interface ShopifyIntegration {

	/** The fields a change may carry. */
	Set<String> FIELDS = Set.of("webhook_secret", "order_topic", "event_type", "enabled");

	/** The order topics that may reward, the default first. */
	List<String> ORDER_TOPICS = List.of("orders/paid", "orders/create");

	/** Where Shopify sends a brand's webhooks (relative to the server's address). */
	String RECEIVER_PATH = "/v1/integrations/shopify/{brand_id}";

	/** The brand's settings, if Shopify is configured. */
	Optional<Settings> settings(String brandId);

	/**
	 * Configures Shopify with the fields {@code change} carries (one of {@link #FIELDS});
	 * the others keep their value, or take their default the first time, when
	 * {@code webhook_secret} is required.
	 */
	Saved configure(String brandId, JsonPatch change);

	/** Removes the settings; {@code false} if there were none. */
	boolean remove(String brandId);

	/**
	 * A brand's Shopify settings as they may be shown.
	 *
	 * @param brandId the brand
	 * @param enabled whether webhooks are acted on
	 * @param orderTopic the order webhook that rewards
	 * @param eventType the event type an order becomes
	 * @param webhookSecretLast4 the last four characters of the webhook secret
	 * @param topics the topics to subscribe the receiver to
	 * @param createdAt when it was configured
	 * @param updatedAt when it last changed
	 */
	record Settings(String brandId, boolean enabled, String orderTopic, String eventType, String webhookSecretLast4,
			List<String> topics, Instant createdAt, Instant updatedAt) {
	}

	/**
	 * The outcome of {@link #configure}.
	 *
	 * @param created whether Shopify was configured for the first time
	 */
	record Saved(Settings settings, boolean created) {
	}

}
