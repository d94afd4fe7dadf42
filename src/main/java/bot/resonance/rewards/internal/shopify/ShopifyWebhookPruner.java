package bot.resonance.rewards.internal.shopify;

import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

	private static final int SLICE = 5_000;

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
		try {
			int total = 0;
			int deleted;
			do {
				deleted = this.repository.pruneWebhooks(this.clock.instant().minus(this.properties.webhookRetention()),
						SLICE);
				total += deleted;
			}
			while (deleted == SLICE);
			if (total > 0) {
				log.info("Pruned {} Shopify webhook ids older than {}", total, this.properties.webhookRetention());
			}
		}
		catch (RuntimeException ex) {
			log.warn("Pruning Shopify webhook ids failed; will retry", ex);
		}
	}

}
