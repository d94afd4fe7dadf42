package bot.resonance.webhooks.internal;

import java.time.Clock;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import bot.resonance.webhooks.WebhookProperties;
import bot.resonance.platform.db.Pruning;
import bot.resonance.platform.jobs.Job;
import bot.resonance.platform.jobs.JobHandler;
import bot.resonance.platform.jobs.JobQueue;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Forgets finished deliveries, their attempts and messages older than the retention
 * period ({@code resonance.webhooks.retention}), a slice at a time so no statement runs
 * long. A recurring job: once every {@code resonance.webhooks.prune-interval} across all
 * nodes, retried if it fails.
 */
@Component
class WebhookPruner implements JobHandler {

	private static final Logger log = LoggerFactory.getLogger(WebhookPruner.class);

	private final JdbcClient jdbc;

	private final WebhookProperties properties;

	private final Clock clock;

	WebhookPruner(JdbcClient jdbc, WebhookProperties properties, Clock clock) {
		this.jdbc = jdbc;
		this.properties = properties;
		this.clock = clock;
	}

	@Override
	public JobQueue queue() {
		return Pruning.queue("webhook-pruning", this.properties.pruneInterval());
	}

	@Override
	public void handle(Job job) {
		Pruning.run(log, "webhook deliveries older than " + this.properties.retention(),
				() -> pruneOlderThan(this.clock.instant().minus(this.properties.retention())));
	}

	/**
	 * Deletes finished deliveries (with their attempts) and messages created before
	 * {@code cutoff}.
	 */
	int pruneOlderThan(Instant cutoff) {
		int total = Pruning.inSlices((slice) -> this.jdbc.sql("""
				with old as (
				    select brand_id, id from webhook_deliveries
				    where created_at < :cutoff and status in ('succeeded', 'dead')
				    order by created_at
				    limit :slice
				), attempts as (
				    delete from webhook_attempts a using old
				    where a.brand_id = old.brand_id and a.delivery_id = old.id
				)
				delete from webhook_deliveries d using old where d.brand_id = old.brand_id and d.id = old.id
				""").param("cutoff", EndpointRepository.utc(cutoff)).param("slice", slice).update());
		Pruning.inSlices((slice) -> this.jdbc.sql("""
				delete from webhook_messages m
				where (m.brand_id, m.id) in (
				    select m2.brand_id, m2.id from webhook_messages m2
				    where m2.created_at < :cutoff
				      and not exists (select 1 from webhook_deliveries d
				                      where d.brand_id = m2.brand_id and d.message_id = m2.id)
				    limit :slice)
				""").param("cutoff", EndpointRepository.utc(cutoff)).param("slice", slice).update());
		return total;
	}

}
