package bot.resonance.rewards.internal.retention;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.jspecify.annotations.Nullable;
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
		Instant now = this.clock.instant();
		this.properties.cutoff(now)
			.ifPresent((cutoff) -> Pruning.run(log, "recorded events older than " + this.properties.events(),
					() -> pruneOlderThan(cutoff)));
		this.properties.metadataCutoff(now)
			.ifPresent((cutoff) -> Pruning.run(log, "metadata of events older than " + this.properties.metadata(),
					() -> forEachBrand((brand) -> clearMetadataBefore(brand, cutoff))));
	}

	private int forEachBrand(java.util.function.ToIntFunction<String> pass) {
		List<String> brands = this.jdbc.sql("select brand_id from brands order by brand_id").query(String.class).list();
		int total = 0;
		for (String brand : brands) {
			total += pass.applyAsInt(brand);
		}
		return total;
	}

	/** Deletes every brand's processed events received before {@code cutoff}. */
	int pruneOlderThan(Instant cutoff) {
		return forEachBrand((brand) -> pruneOlderThan(brand, cutoff));
	}

	/**
	 * Deletes the brand's processed events received before {@code cutoff}, noting the
	 * days of each member's deleted events in {@code reward_pruned_member_days} in the
	 * same statement: a later merge of the member finds its analytics days there.
	 */
	int pruneOlderThan(String brandId, Instant cutoff) {
		String before = "evt_" + MonotonicUlidGenerator.lowestAt(cutoff.toEpochMilli());
		return Pruning.inSlices((slice) -> this.jdbc.sql("""
				with gone as (
				    delete from reward_events e
				    where e.brand_id = :brand and e.id in (
				        select id from reward_events
				        where brand_id = :brand and id like 'evt\\_%' and id < :before
				          and received_at < :cutoff and outcome <> 'pending'
				        order by id
				        limit :slice)
				    returning e.member_id, (e.received_at at time zone 'UTC')::date as day
				), noted as (
				    insert into reward_pruned_member_days as p (brand_id, member_id, days)
				    select :brand, member_id, array_agg(distinct day order by day)
				    from gone where member_id is not null
				    group by member_id
				    order by member_id
				    on conflict (brand_id, member_id) do update
				    set days = array(select distinct d from unnest(p.days || excluded.days) d order by d)
				)
				select count(*) from gone
				""")
			.param("brand", brandId)
			.param("before", before)
			.param("cutoff", cutoff.atOffset(ZoneOffset.UTC))
			.param("slice", slice)
			.query(Integer.class)
			.single());
	}

	/**
	 * Clears the metadata of the brand's processed events received before {@code cutoff},
	 * from where the last pass ended ({@code reward_event_pruning}), a slice at a time;
	 * returns how many events lost theirs. The next pass starts at the oldest event still
	 * pending, if one is, so its metadata is cleared once it has been processed.
	 */
	int clearMetadataBefore(String brandId, Instant cutoff) {
		String before = "evt_" + MonotonicUlidGenerator.lowestAt(cutoff.toEpochMilli());
		String from = this.jdbc.sql("select metadata_cleared_before from reward_event_pruning where brand_id = :brand")
			.param("brand", brandId)
			.query(String.class)
			.optional()
			.orElse("");
		if (from.compareTo(before) >= 0) {
			return 0;
		}
		int cleared = 0;
		String after = from;
		String operator = ">="; // the first slice starts at the bound, the others after
		while (true) {
			Slice slice = this.jdbc.sql("""
					with slice as (
					    select id from reward_events
					    where brand_id = :brand and id %s :after and id < :before
					    order by id
					    limit :slice
					), cleared as (
					    update reward_events e set metadata = null
					    from slice
					    where e.brand_id = :brand and e.id = slice.id and e.metadata is not null
					      and e.received_at < :cutoff and e.outcome <> 'pending'
					    returning 1
					)
					select (select count(*) from slice) as seen, (select max(id) from slice) as last,
					       (select count(*) from cleared) as cleared
					""".formatted(operator))
				.param("brand", brandId)
				.param("after", after)
				.param("before", before)
				.param("cutoff", cutoff.atOffset(ZoneOffset.UTC))
				.param("slice", Pruning.SLICE)
				.query((rs, row) -> new Slice(rs.getInt("seen"), rs.getString("last"), rs.getInt("cleared")))
				.single();
			cleared += slice.cleared();
			if (slice.seen() < Pruning.SLICE || slice.last() == null) {
				break;
			}
			after = slice.last();
			operator = ">";
		}
		String pending = this.jdbc.sql("""
				select coalesce(min(id), '') from reward_events
				where brand_id = :brand and outcome = 'pending' and id >= :from and id < :before
				""").param("brand", brandId).param("from", from).param("before", before).query(String.class).single();
		this.jdbc.sql("""
				insert into reward_event_pruning (brand_id, metadata_cleared_before) values (:brand, :upTo)
				on conflict (brand_id) do update set metadata_cleared_before = excluded.metadata_cleared_before
				""").param("brand", brandId).param("upTo", pending.isEmpty() ? before : pending).update();
		return cleared;
	}

	private record Slice(int seen, @Nullable String last, int cleared) {
	}

}
