package bot.resonance.webhooks.internal;

import java.time.Clock;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import bot.resonance.webhooks.WebhookProperties;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Forgets finished deliveries, their attempts and messages older than the retention
 * period ({@code resonance.webhooks.retention}), a slice at a time so no statement runs
 * long. Runs on every node; deleting twice is harmless.
 */
@Component
class WebhookPruner {

	private static final Logger log = LoggerFactory.getLogger(WebhookPruner.class);

	private static final int SLICE = 5_000;

	private final JdbcClient jdbc;

	private final WebhookProperties properties;

	private final Clock clock;

	WebhookPruner(JdbcClient jdbc, WebhookProperties properties, Clock clock) {
		this.jdbc = jdbc;
		this.properties = properties;
		this.clock = clock;
	}

	@Scheduled(fixedDelayString = "${resonance.webhooks.prune-interval:1h}", initialDelayString = "2m")
	void prune() {
		try {
			int pruned = pruneOlderThan(this.clock.instant().minus(this.properties.retention()));
			if (pruned > 0) {
				log.info("Pruned {} webhook deliveries older than {}", pruned, this.properties.retention());
			}
		}
		catch (RuntimeException ex) {
			log.warn("Pruning webhook history failed; will retry", ex);
		}
	}

	/**
	 * Deletes finished deliveries (with their attempts) and messages created before
	 * {@code cutoff}.
	 */
	int pruneOlderThan(Instant cutoff) {
		int total = 0;
		int deleted;
		do {
			deleted = this.jdbc.sql("""
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
					""").param("cutoff", EndpointRepository.utc(cutoff)).param("slice", SLICE).update();
			total += deleted;
		}
		while (deleted == SLICE);
		int messages;
		do {
			messages = this.jdbc.sql("""
					delete from webhook_messages m
					where (m.brand_id, m.id) in (
					    select m2.brand_id, m2.id from webhook_messages m2
					    where m2.created_at < :cutoff
					      and not exists (select 1 from webhook_deliveries d
					                      where d.brand_id = m2.brand_id and d.message_id = m2.id)
					    limit :slice)
					""").param("cutoff", EndpointRepository.utc(cutoff)).param("slice", SLICE).update();
		}
		while (messages == SLICE);
		return total;
	}

}
