package bot.resonance.integrations.shopify;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the Shopify integration.
 *
 * @param webhookRetention how long received webhook ids are kept to recognise repeats
 * (Shopify retries a delivery for up to 48 hours)
 * @param pruneInterval how often older webhook ids are forgotten (once per interval
 * across all nodes)
 * @param heldRefundRetention how long a refund that came before its order's reward was
 * paid waits for it before it is given up
 * @param heldRefundInterval how often a held refund whose order's event is due but still
 * pending is looked at again
 */
@ConfigurationProperties("resonance.shopify")
record ShopifyProperties(@DefaultValue("30d") Duration webhookRetention, @DefaultValue("1h") Duration pruneInterval,
		@DefaultValue("30d") Duration heldRefundRetention, @DefaultValue("30s") Duration heldRefundInterval) {
}
