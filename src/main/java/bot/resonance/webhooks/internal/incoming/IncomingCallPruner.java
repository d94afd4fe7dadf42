package bot.resonance.webhooks.internal.incoming;

import java.time.Clock;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import bot.resonance.webhooks.WebhookProperties;
import bot.resonance.platform.db.Pruning;
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
		Pruning.run(log, "incoming webhook calls older than " + this.properties.retention(),
				() -> pruneOlderThan(this.clock.instant().minus(this.properties.retention())));
	}

	int pruneOlderThan(Instant cutoff) {
		return Pruning.inSlices((slice) -> this.repository.pruneCalls(cutoff, slice));
	}

}
