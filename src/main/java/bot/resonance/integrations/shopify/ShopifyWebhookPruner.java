package bot.resonance.integrations.shopify;

import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import bot.resonance.platform.db.Pruning;
import bot.resonance.platform.jobs.Job;
import bot.resonance.platform.jobs.JobHandler;
import bot.resonance.platform.jobs.JobQueue;
import org.springframework.stereotype.Component;

/**
 * Forgets received Shopify webhook ids older than
 * {@code resonance.shopify.webhook-retention}, a slice at a time. Orders stay
 * deduplicated by their order id and refunds by their refund id whatever is pruned here.
 * A recurring job: once every {@code resonance.shopify.prune-interval} across all nodes,
 * retried if it fails.
 */
@Component
class ShopifyWebhookPruner implements JobHandler {

	private static final Logger log = LoggerFactory.getLogger(ShopifyWebhookPruner.class);

	private final ShopifyRepository repository;

	private final ShopifyProperties properties;

	private final Clock clock;

	ShopifyWebhookPruner(ShopifyRepository repository, ShopifyProperties properties, Clock clock) {
		this.repository = repository;
		this.properties = properties;
		this.clock = clock;
	}

	@Override
	public JobQueue queue() {
		return Pruning.queue("shopify-webhook-pruning", this.properties.pruneInterval());
	}

	@Override
	public void handle(Job job) {
		Pruning.run(log, "Shopify webhook ids older than " + this.properties.webhookRetention(),
				() -> Pruning.inSlices((slice) -> this.repository
					.pruneWebhooks(this.clock.instant().minus(this.properties.webhookRetention()), slice)));
	}

}
