package bot.resonance.rewards.internal.shopify;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the Shopify integration.
 *
 * @param maxBodySize the largest webhook body accepted ({@code 413} beyond); Shopify's
 * order payloads are a few kilobytes to a few hundred
 * @param webhookRetention how long received webhook ids are kept to recognise repeats
 * (Shopify retries a delivery for up to 48 hours)
 */
@ConfigurationProperties("resonance.shopify")
record ShopifyProperties(@DefaultValue("1MB") DataSize maxBodySize, @DefaultValue("30d") Duration webhookRetention) {
}
