package bot.resonance.integrations.shopify;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the Shopify integration.
 *
 * @param webhookRetention how long received webhook ids are kept to recognise repeats
 * (Shopify retries a delivery for up to 48 hours)
 * @param heldRefundRetention how long a refund that came before its order's reward was
 * paid waits for it before it is given up
 */
@ConfigurationProperties("resonance.shopify")
record ShopifyProperties(@DefaultValue("30d") Duration webhookRetention,
		@DefaultValue("30d") Duration heldRefundRetention) {
}
