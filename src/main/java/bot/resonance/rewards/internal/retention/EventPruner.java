package bot.resonance.rewards.internal.retention;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import bot.resonance.platform.db.Pruning;
import bot.resonance.platform.ids.MonotonicUlidGenerator;
import bot.resonance.platform.jobs.Job;
import bot.resonance.platform.jobs.JobHandler;
import bot.resonance.platform.jobs.JobQueue;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Forgets recorded events older than {@code resonance.rewards.retention.events} (by
 * default events are kept), a slice at a time so no statement runs long. Pending events
 * stay until they are processed; the ledger's transfers and the analytics' aggregates
 * (written with each event) are not touched, so balances and analytics totals do not
 * change. A recurring job: once every {@code resonance.rewards.retention.prune-interval}
 * across all nodes, retried if it fails.
 * <p>
 * Event ids are {@code evt_} ULIDs, which sort by the time they were made, so a brand's
 * old events are a range at the left of its primary key {@code (brand_id, id)}: each
 * slice reads that range through the primary key, without any index of its own that every
 * event would have to pay for.
 */
@Component
class EventPruner implements JobHandler {

	private static final Logger log = LoggerFactory.getLogger(EventPruner.class);

	private final JdbcClient jdbc;

	private final EventRetentionProperties properties;

	private final Clock clock;

	EventPruner(JdbcClient jdbc, EventRetentionProperties properties, Clock clock) {
		this.jdbc = jdbc;
		this.properties = properties;
		this.clock = clock;
	}

	@Override
	public JobQueue queue() {
		return Pruning.queue("event-pruning", this.properties.pruneInterval());
	}

	@Override
	public void handle(Job job) {
		this.properties.cutoff(this.clock.instant())
			.ifPresent((cutoff) -> Pruning.run(log, "recorded events older than " + this.properties.events(),
					() -> pruneOlderThan(cutoff)));
	}

	/** Deletes every brand's processed events received before {@code cutoff}. */
	int pruneOlderThan(Instant cutoff) {
		List<String> brands = this.jdbc.sql("select brand_id from brands order by brand_id").query(String.class).list();
		int total = 0;
		for (String brand : brands) {
			total += pruneOlderThan(brand, cutoff);
		}
		return total;
	}

	/** Deletes the brand's processed events received before {@code cutoff}. */
	int pruneOlderThan(String brandId, Instant cutoff) {
		String before = "evt_" + MonotonicUlidGenerator.lowestAt(cutoff.toEpochMilli());
		return Pruning.inSlices((slice) -> this.jdbc.sql("""
				delete from reward_events e
				where e.brand_id = :brand and e.id in (
				    select id from reward_events
				    where brand_id = :brand and id like 'evt\\_%' and id < :before
				      and received_at < :cutoff and outcome <> 'pending'
				    order by id
				    limit :slice)
				""")
			.param("brand", brandId)
			.param("before", before)
			.param("cutoff", cutoff.atOffset(ZoneOffset.UTC))
			.param("slice", slice)
			.update());
	}

}
