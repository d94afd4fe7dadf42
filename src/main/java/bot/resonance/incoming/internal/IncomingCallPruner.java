package bot.resonance.incoming.internal;

import java.time.Clock;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import bot.resonance.platform.db.Pruning;
import bot.resonance.platform.jobs.Job;
import bot.resonance.platform.jobs.JobHandler;
import bot.resonance.platform.jobs.JobQueue;
import org.springframework.stereotype.Component;

/**
 * Forgets incoming webhook calls older than their retention
 * ({@code resonance.incoming-webhooks.retention}), a slice at a time. With them go their
 * idempotency keys: a key is replayed for as long as its call is kept. A call holding a
 * {@code webhook-id} is kept, whatever the retention, until its signed timestamp is twice
 * the signature tolerance old: until then a copy could pass the timestamp check (the
 * tolerance, plus as much again for clocks that differ between nodes), and must find the
 * id taken. A recurring job: once every
 * {@code resonance.incoming-webhooks.prune-interval} across all nodes, retried if it
 * fails.
 */
@Component
class IncomingCallPruner implements JobHandler {

	private static final Logger log = LoggerFactory.getLogger(IncomingCallPruner.class);

	private final IncomingWebhookRepository repository;

	private final IncomingWebhookProperties properties;

	private final Clock clock;

	IncomingCallPruner(IncomingWebhookRepository repository, IncomingWebhookProperties properties, Clock clock) {
		this.repository = repository;
		this.properties = properties;
		this.clock = clock;
	}

	@Override
	public JobQueue queue() {
		return Pruning.queue("incoming-call-pruning", this.properties.pruneInterval());
	}

	@Override
	public void handle(Job job) {
		Pruning.run(log, "incoming webhook calls older than " + this.properties.retention(),
				() -> pruneOlderThan(this.clock.instant().minus(this.properties.retention())));
	}

	/**
	 * Forgets calls received before {@code cutoff}, but not webhook-ids that a copy could
	 * still use.
	 */
	int pruneOlderThan(Instant cutoff) {
		Instant webhookIdCutoff = this.clock.instant().minus(this.properties.signatureTolerance().multipliedBy(2));
		return Pruning.inSlices((slice) -> this.repository.pruneCalls(cutoff, webhookIdCutoff, slice));
	}

}
