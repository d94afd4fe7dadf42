package bot.resonance.webhooks.internal.incoming;

import java.time.Clock;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import bot.resonance.webhooks.WebhookProperties;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Forgets incoming webhook calls older than the webhook retention
 * ({@code resonance.webhooks.retention}), a slice at a time. With them go their
 * idempotency keys: a key is replayed for as long as its call is kept. Runs on every
 * node; deleting twice is harmless.
 */
@Component
class IncomingCallPruner {

	private static final Logger log = LoggerFactory.getLogger(IncomingCallPruner.class);

	private static final int SLICE = 5_000;

	private final IncomingWebhookRepository repository;

	private final WebhookProperties properties;

	private final Clock clock;

	IncomingCallPruner(IncomingWebhookRepository repository, WebhookProperties properties, Clock clock) {
		this.repository = repository;
		this.properties = properties;
		this.clock = clock;
	}

	@Scheduled(fixedDelayString = "${resonance.webhooks.prune-interval:1h}", initialDelayString = "3m")
	void prune() {
		try {
			int pruned = pruneOlderThan(this.clock.instant().minus(this.properties.retention()));
			if (pruned > 0) {
				log.info("Pruned {} incoming webhook calls older than {}", pruned, this.properties.retention());
			}
		}
		catch (RuntimeException ex) {
			log.warn("Pruning incoming webhook calls failed; will retry", ex);
		}
	}

	int pruneOlderThan(Instant cutoff) {
		int total = 0;
		int deleted;
		do {
			deleted = this.repository.pruneCalls(cutoff, SLICE);
			total += deleted;
		}
		while (deleted == SLICE);
		return total;
	}

}
