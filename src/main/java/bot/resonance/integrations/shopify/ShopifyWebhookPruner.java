package bot.resonance.integrations.shopify;

import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import bot.resonance.platform.db.Pruning;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Forgets received Shopify webhook ids older than
 * {@code resonance.shopify.webhook-retention}, a slice at a time. Orders stay
 * deduplicated by their order id and refunds by their refund id whatever is pruned here.
 * Runs on every node; deleting twice is harmless.
 */
@Component
class ShopifyWebhookPruner {

	private static final Logger log = LoggerFactory.getLogger(ShopifyWebhookPruner.class);

	private final ShopifyRepository repository;

	private final ShopifyProperties properties;

	private final Clock clock;

	ShopifyWebhookPruner(ShopifyRepository repository, ShopifyProperties properties, Clock clock) {
		this.repository = repository;
		this.properties = properties;
		this.clock = clock;
	}

	@Scheduled(fixedDelayString = "${resonance.shopify.prune-interval:1h}", initialDelayString = "4m")
	void prune() {
		Pruning.run(log, "Shopify webhook ids older than " + this.properties.webhookRetention(),
				() -> Pruning.inSlices((slice) -> this.repository
					.pruneWebhooks(this.clock.instant().minus(this.properties.webhookRetention()), slice)));
	}

}
