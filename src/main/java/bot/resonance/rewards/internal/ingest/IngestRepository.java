package bot.resonance.rewards.internal.ingest;

import bot.resonance.rewards.PendingReason;
import bot.resonance.rewards.RejectionCode;
import bot.resonance.rewards.IngestOutcome;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import bot.resonance.platform.db.BrandLock;
import bot.resonance.platform.db.KeyedPlans;
import bot.resonance.platform.db.PipelinedQuery;
import bot.resonance.platform.db.StatementPipeline;
import bot.resonance.platform.jobs.IfScheduled;
import bot.resonance.platform.jobs.Job;
import bot.resonance.platform.jobs.JobKey;
import bot.resonance.platform.jobs.Jobs;
import bot.resonance.platform.jobs.NewJob;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.stereotype.Component;

/**
 * The ingest path's SQL. Every statement takes the whole batch as arrays
 * ({@code unnest}), so a batch costs the same dozen round trips whether it holds one
 * event or hundreds.
 */
@Component
class IngestRepository {

	private final JdbcClient jdbc;

	/** Brands whose rate-limit row this node has seen committed. */
	private final Set<String> knownRateLimits = ConcurrentHashMap.newKeySet();

	private final Jobs jobs;

	private final StatementPipeline pipeline;

	IngestRepository(JdbcClient jdbc, Jobs jobs, StatementPipeline pipeline) {
		this.jdbc = jdbc;
		this.jobs = jobs;
		this.pipeline = pipeline;
	}

	/**
	 * Starts a batch: locks the rate-limit rows of the brands (creating them if needed)
	 * in the order given and returns their buckets. Holding these locks serializes each
	 * brand's processing across nodes for the rest of the transaction. The queries
	 * {@code alongside} are sent in the same round trip, after the lock: each reads what
	 * is committed once the locks are held.
	 *
	 * <p>
	 * The same statement tells the planner to use the indexes for the rest of the
	 * transaction. Every statement of a batch looks rows up by key; left to itself, the
	 * planner may pick a hash join over a sequential scan when a table's statistics lag
	 * behind its growth (a new deployment filling up), and the cost of an event would
	 * then grow with the size of the tables. The plans are also kept (generic plans of
	 * the prepared statements) rather than made again for every batch.
	 */
	Map<String, TokenBucket> startBatch(List<String> sortedBrandIds, PipelinedQuery<?>... alongside) {
		List<String> unknown = sortedBrandIds.stream()
			.filter((brand) -> !this.knownRateLimits.contains(brand))
			.toList();
		if (!unknown.isEmpty()) {
			createRateLimits(unknown);
		}
		PipelinedQuery<Map<String, TokenBucket>> locking = lockingRateLimits(sortedBrandIds);
		PipelinedQuery<?>[] queries = new PipelinedQuery<?>[alongside.length + 1];
		queries[0] = locking;
		System.arraycopy(alongside, 0, queries, 1, alongside.length);
		this.pipeline.run(queries);
		KeyedPlans.applied();
		Map<String, TokenBucket> buckets = new HashMap<>(locking.result());
		if (buckets.size() < sortedBrandIds.size()) {
			// A row this node thought existed is gone (its creation rolled back): create
			// it.
			createRateLimits(sortedBrandIds.stream().filter((brand) -> !buckets.containsKey(brand)).toList());
			PipelinedQuery<Map<String, TokenBucket>> again = lockingRateLimits(sortedBrandIds);
			this.pipeline.run(again);
			buckets.putAll(again.result());
		}
		Set<String> locked = Set.copyOf(buckets.keySet());
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCommit() {
					if (IngestRepository.this.knownRateLimits.size() > 200_000) {
						IngestRepository.this.knownRateLimits.clear();
					}
					IngestRepository.this.knownRateLimits.addAll(locked);
				}
			});
		}
		return buckets;
	}

	private void createRateLimits(List<String> brandIds) {
		this.jdbc.sql("""
				insert into reward_rate_limits (brand_id)
				select brand_id from unnest(:brands::text[]) as t(brand_id) order by brand_id
				on conflict (brand_id) do nothing
				""").param("brands", brandIds.toArray(String[]::new)).update();
	}

	private PipelinedQuery<Map<String, TokenBucket>> lockingRateLimits(List<String> sortedBrandIds) {
		return PipelinedQuery.ofEntries("""
				with brand_locks as materialized (%s
				), planner as materialized (%s
				)
				select r.brand_id, r.tokens, r.updated_at
				from brand_locks, planner, reward_rate_limits r
				where r.brand_id = any(:brands::text[])
				order by r.brand_id
				for update of r
				""".formatted(BrandLock.LOCK_ALL_SQL, KeyedPlans.SETTINGS_SQL),
				Map.of("brands", sortedBrandIds.toArray(String[]::new)), (rs, row) -> {
					double tokens = rs.getDouble("tokens");
					boolean full = rs.wasNull();
					OffsetDateTime updatedAt = rs.getObject("updated_at", OffsetDateTime.class);
					return Map.entry(rs.getString("brand_id"),
							new TokenBucket(full ? null : tokens, (updatedAt != null) ? updatedAt.toInstant() : null));
				});
	}

	/**
	 * Responses stored under the given (brand, Idempotency-Key) pairs, as a query to send
	 * with the batch's lock ({@link #startBatch}).
	 */
	PipelinedQuery<Map<BrandKey, StoredResponse>> storedResponses(Collection<BrandKey> keys) {
		if (keys.isEmpty()) {
			return PipelinedQuery.known(Map.of());
		}
		return PipelinedQuery.ofEntries("""
				select e.brand_id, e.idempotency_key, e.request_hash, e.response_status, e.response_body, e.retry_after
				from unnest(:brands::text[], :keys::text[]) as t(brand_id, idempotency_key)
				join reward_events e on e.brand_id = t.brand_id and e.idempotency_key = t.idempotency_key
				where e.idempotency_key is not null
				""",
				Map.of("brands", keys.stream().map(BrandKey::brandId).toArray(String[]::new), "keys",
						keys.stream().map(BrandKey::key).toArray(String[]::new)),
				(rs, row) -> Map.entry(new BrandKey(rs.getString("brand_id"), rs.getString("idempotency_key")),
						new StoredResponse(rs.getBytes("request_hash"), rs.getInt("response_status"),
								rs.getString("response_body"),
								(rs.getObject("retry_after") != null) ? rs.getLong("retry_after") : null)));
	}

	/**
	 * Takes pending events off the deferral queue (their jobs), returning those this
	 * transaction took (an event another node already processed is simply absent).
	 */
	List<DueEventRow> takeDeferrals(Collection<BrandKey> events) {
		if (events.isEmpty()) {
			return List.of();
		}
		return dueEventRows(this.jobs.take(PendingEventQueue.QUEUE,
				events.stream().map((event) -> JobKey.of(event.brandId(), event.key())).toList()));
	}

	/**
	 * {@link #memberState}'s statement. Both parts look members up one by one (a lateral
	 * subquery cannot be flattened into a join): as plain joins, a plan made while a
	 * table held few rows read all of them once per batch (every member's rule state,
	 * every brand's pending events), and the pending events can grow from none to many
	 * between two analyzes of the whole table.
	 */
	static final String MEMBER_STATE = """
			select s.brand_id, s.member_id, s.event_type, s.last_awarded_at, s.day, s.day_count, null as pending_id
			from unnest(:brands::text[], :members::bigint[]) as t(brand_id, member_id)
			cross join lateral (
			    select * from reward_member_type_state s where s.brand_id = t.brand_id and s.member_id = t.member_id
			    offset 0
			) s
			union all
			select p.brand_id, p.member_id, null, null, null, null, p.id
			from unnest(:rBrands::text[], :rMembers::bigint[]) as t(brand_id, member_id)
			cross join lateral (
			    select e.brand_id, e.member_id, e.id from reward_events e
			    where e.brand_id = t.brand_id and e.member_id = t.member_id and e.outcome = 'pending'
			      and e.process_after <= :now
			    offset 0
			) p
			""";

	/**
	 * What a batch reads about its members, in one statement: the rule state of every
	 * event type of {@code members}, and the pending events of {@code rewarded} that are
	 * due at {@code now}, to take with {@link #takeDue} whether or not a node is running
	 * their jobs (its submission then finds nothing to do).
	 */
	MemberState memberState(Collection<MemberKey> members, Collection<MemberKey> rewarded, Instant now) {
		Map<MemberTypeKey, TypeState> states = new HashMap<>();
		List<JobKey> due = new ArrayList<>();
		if (members.isEmpty() && rewarded.isEmpty()) {
			return new MemberState(states, due);
		}
		this.jdbc.sql(MEMBER_STATE)
			.param("brands", members.stream().map(MemberKey::brandId).toArray(String[]::new))
			.param("members", members.stream().mapToLong(MemberKey::memberId).toArray())
			.param("rBrands", rewarded.stream().map(MemberKey::brandId).toArray(String[]::new))
			.param("rMembers", rewarded.stream().mapToLong(MemberKey::memberId).toArray())
			.param("now", now.atOffset(ZoneOffset.UTC))
			.query((rs, row) -> {
				String pendingId = rs.getString("pending_id");
				if (pendingId != null) {
					return due.add(JobKey.of(rs.getString("brand_id"), pendingId));
				}
				return states.put(
						new MemberTypeKey(rs.getString("brand_id"), rs.getLong("member_id"),
								rs.getString("event_type")),
						new TypeState(rs.getObject("last_awarded_at", OffsetDateTime.class).toInstant(),
								rs.getObject("day", LocalDate.class), rs.getInt("day_count")));
			})
			.list();
		return new MemberState(states, due);
	}

	/**
	 * Takes the due pending events found by {@link #memberState} off the deferral queue.
	 */
	List<DueEventRow> takeDue(List<JobKey> due) {
		if (due.isEmpty()) {
			return List.of();
		}
		return dueEventRows(this.jobs.takeDue(PendingEventQueue.QUEUE, due));
	}

	/**
	 * What {@link #memberState} read.
	 *
	 * @param typeStates the rule state of the members' event types
	 * @param due the rewarded members' pending events that are due, to take
	 */
	record MemberState(Map<MemberTypeKey, TypeState> typeStates, List<JobKey> due) {
	}

	/** The events of deferral jobs just taken, with each one's cap, by event id. */
	private List<DueEventRow> dueEventRows(List<Job> taken) {
		if (taken.isEmpty()) {
			return List.of();
		}
		Map<BrandKey, @Nullable Long> caps = new HashMap<>();
		taken.forEach((job) -> caps.put(new BrandKey(Objects.requireNonNull(job.brandId()), job.key()),
				(job.payload() != null) ? job.payloadAs(PendingEventQueue.Deferred.class).amountCap() : null));
		return this.jdbc.sql("""
				select e.brand_id, e.id, e.event_type, e.user_id, e.server_id, e.member_id, e.amount
				from unnest(:brands::text[], :ids::text[]) as t(brand_id, event_id)
				join reward_events e on e.brand_id = t.brand_id and e.id = t.event_id
				order by e.id
				""")
			.param("brands", caps.keySet().stream().map(BrandKey::brandId).toArray(String[]::new))
			.param("ids", caps.keySet().stream().map(BrandKey::key).toArray(String[]::new))
			.query((rs, row) -> dueEventRow(rs, caps.get(new BrandKey(rs.getString("brand_id"), rs.getString("id")))))
			.list();
	}

	/**
	 * The outcome recorded for an event, if it was recorded: after a commit whose result
	 * was lost with the connection, the event may well be.
	 */
	Optional<IngestOutcome> recordedOutcome(String brandId, String eventId) {
		return this.jdbc.sql("""
				select outcome, user_id, amount_awarded, balance_after, currency, error_code, error_message,
				       retry_after, pending_reason, process_after
				from reward_events where brand_id = :brand and id = :id
				""").param("brand", brandId).param("id", eventId).query((rs, row) -> {
			String userId = rs.getString("user_id");
			long balance = rs.getLong("balance_after");
			return switch (rs.getString("outcome")) {
				case "awarded" -> (IngestOutcome) new IngestOutcome.Awarded(eventId, userId,
						rs.getLong("amount_awarded"), balance, rs.getString("currency"));
				case "pending" -> new IngestOutcome.Pending(eventId, userId, balance,
						rs.getObject("process_after", OffsetDateTime.class).toInstant(),
						PendingReason.valueOf(rs.getString("pending_reason")));
				default -> new IngestOutcome.Rejected(eventId, RejectionCode.valueOf(rs.getString("error_code")),
						rs.getString("error_message"),
						(rs.getObject("retry_after") != null) ? rs.getLong("retry_after") : null);
			};
		}).optional();
	}

	private static DueEventRow dueEventRow(ResultSet rs, @Nullable Long amountCap) throws SQLException {
		return new DueEventRow(rs.getString("brand_id"), rs.getString("id"), rs.getString("event_type"),
				rs.getString("user_id"), rs.getString("server_id"), rs.getLong("member_id"), rs.getLong("amount"),
				amountCap);
	}

	/** The state of every event type of the given members. */
	Map<MemberTypeKey, TypeState> typeStates(Collection<MemberKey> members) {
		Map<MemberTypeKey, TypeState> found = new HashMap<>();
		if (members.isEmpty()) {
			return found;
		}
		this.jdbc.sql("""
				select s.brand_id, s.member_id, s.event_type, s.last_awarded_at, s.day, s.day_count
				from unnest(:brands::text[], :members::bigint[]) as t(brand_id, member_id)
				join reward_member_type_state s on s.brand_id = t.brand_id and s.member_id = t.member_id
				""")
			.param("brands", members.stream().map(MemberKey::brandId).toArray(String[]::new))
			.param("members", members.stream().mapToLong(MemberKey::memberId).toArray())
			.query((rs, row) -> found.put(
					new MemberTypeKey(rs.getString("brand_id"), rs.getLong("member_id"), rs.getString("event_type")),
					new TypeState(rs.getObject("last_awarded_at", OffsetDateTime.class).toInstant(),
							rs.getObject("day", LocalDate.class), rs.getInt("day_count"))))
			.list();
		return found;
	}

	/** The batch's new events, recorded. */
	private static final String WRITE_NEW_EVENTS = """
			with new_events as (
			    insert into reward_events
			        (brand_id, id, event_type, user_id, server_id, member_id, amount, amount_awarded, balance_after,
			         currency, outcome, error_code, error_message, retry_after, pending_reason, process_after, metadata,
			         idempotency_key, request_hash, response_status, response_body, source, received_at, processed_at)
			    select t.brand_id, t.id, t.event_type, t.user_id, t.server_id, t.member_id, t.amount, t.amount_awarded,
			           t.balance_after, t.currency, t.outcome, t.error_code, t.error_message, t.retry_after,
			           t.pending_reason, t.process_after, t.metadata::jsonb, t.idempotency_key, t.request_hash,
			           t.response_status, t.response_body, t.source, t.received_at, :processedAt
			    from unnest(:brands::text[], :ids::text[], :types::text[], :users::text[], :servers::text[],
			                :members::bigint[], :amounts::bigint[], :awarded::bigint[], :balances::bigint[],
			                :currencies::text[], :outcomes::text[], :codes::text[], :messages::text[], :retries::int[],
			                :reasons::text[], :processAfters::timestamptz[], :metadata::text[], :keys::text[],
			                :hashes::bytea[], :statuses::smallint[], :bodies::text[], :sources::text[],
			                :received::timestamptz[])
			         as t(brand_id, id, event_type, user_id, server_id, member_id, amount, amount_awarded,
			              balance_after, currency, outcome, error_code, error_message, retry_after, pending_reason,
			              process_after, metadata, idempotency_key, request_hash, response_status, response_body,
			              source, received_at)
			    returning brand_id, received_at, event_type, member_id, outcome, error_code, currency, amount_awarded
			""";

	/** The new outcome of pending events that came due. */
	private static final String WRITE_PROCESSED = """
			), processed as (
			    update reward_events e
			    set outcome = t.outcome, amount_awarded = t.amount_awarded, balance_after = t.balance_after,
			        currency = coalesce(t.currency, e.currency), error_code = t.error_code,
			        error_message = t.error_message, pending_reason = t.pending_reason, process_after = t.process_after,
			        processed_at = :processedAt
			    from unnest(:pBrands::text[], :pIds::text[], :pOutcomes::text[], :pAwarded::bigint[],
			                :pBalances::bigint[], :pCurrencies::text[], :pCodes::text[], :pMessages::text[],
			                :pReasons::text[], :pProcessAfters::timestamptz[])
			         as t(brand_id, id, outcome, amount_awarded, balance_after, currency, error_code, error_message,
			              pending_reason, process_after)
			    where e.brand_id = t.brand_id and e.id = t.id
			    returning e.brand_id, e.id, e.received_at, e.event_type, e.member_id, e.outcome, e.error_code,
			              e.currency, e.amount_awarded
			""";

	/** What the batch adds to the analytics, from its new events. */
	private static final String WRITE_STAT_CHANGES = """
			), stat_changes as (
			    -- What the batch adds to the analytics: its new events (and for events processed again,
			    -- below). Recorded for the statistics module, which folds them into the aggregates after
			    -- this commits.
			    select brand_id, received_at, event_type, member_id, outcome, error_code, currency, 1 as events,
			           amount_awarded as amount, false as reprocessed
			    from new_events
			""";

	/** What pending events that came due change in the analytics. */
	private static final String WRITE_STAT_CHANGES_PROCESSED = """
			    -- Pending events that came due: their new outcome instead of the one recorded before.
			    -- This statement reads reward_events as it was before it, so "before" is the old row.
			    union all
			    select before.brand_id, before.received_at, before.event_type, before.member_id, before.outcome,
			           before.error_code, before.currency, -1, -before.amount_awarded, true
			    from processed p join reward_events before on before.brand_id = p.brand_id and before.id = p.id
			    union all
			    select brand_id, received_at, event_type, member_id, outcome, error_code, currency, 1, amount_awarded,
			           true
			    from processed
			""";

	/** The analytics changes, rule state and rate limits. */
	private static final String WRITE_REST = """
			), statistics as (
			    insert into reward_stat_changes (brand_ids, received_at, event_types, member_ids, outcomes, error_codes,
			                                     currencies, events, amounts, reprocessed)
			    select array_agg(brand_id), array_agg(received_at), array_agg(event_type), array_agg(member_id),
			           array_agg(outcome), array_agg(error_code), array_agg(currency), array_agg(events),
			           array_agg(amount), array_agg(reprocessed)
			    from stat_changes
			    having count(*) > 0
			), states as (
			    insert into reward_member_type_state (brand_id, member_id, event_type, last_awarded_at, day, day_count)
			    select * from unnest(:sBrands::text[], :sMembers::bigint[], :sTypes::text[], :sLasts::timestamptz[],
			                         :sDays::date[], :sCounts::int[])
			    on conflict (brand_id, member_id, event_type) do update
			    set last_awarded_at = excluded.last_awarded_at, day = excluded.day, day_count = excluded.day_count
			), rate_limits as (
			    update reward_rate_limits r set tokens = t.tokens, updated_at = t.updated_at
			    from unnest(:rBrands::text[], :rTokens::float8[], :rUpdated::timestamptz[]) as t(brand_id, tokens, updated_at)
			    where r.brand_id = t.brand_id
			)
			select 1
			""";

	/** The batch's writes, when no pending event came due in it. */
	private static final String WRITE_SQL = WRITE_NEW_EVENTS + WRITE_STAT_CHANGES + WRITE_REST;

	/**
	 * The batch's writes with pending events that came due: a statement with a branch
	 * PostgreSQL would otherwise set up (the events' table and its indexes opened for an
	 * update) on every batch for nothing.
	 */
	private static final String WRITE_WITH_PROCESSED_SQL = WRITE_NEW_EVENTS + WRITE_PROCESSED + WRITE_STAT_CHANGES
			+ WRITE_STAT_CHANGES_PROCESSED + WRITE_REST;

	/**
	 * Writes everything a batch decided in one statement: new events, the new outcome of
	 * pending events that came due, what both add to the analytics (recorded in
	 * {@code reward_stat_changes}, folded into the aggregates after the commit by the
	 * statistics module), rule state, the deferral queue and the rate limits.
	 */
	void write(BatchWrites writes, Instant processedAt) {
		List<EventRow> rows = writes.newEvents();
		List<ProcessedRow> processed = writes.processed();
		List<MemberTypeKey> stateKeys = List.copyOf(writes.typeStates().keySet());
		Map<MemberTypeKey, TypeState> states = writes.typeStates();
		List<Map.Entry<String, TokenBucket>> buckets = writes.rateLimits()
			.entrySet()
			.stream()
			.filter((entry) -> entry.getValue().updatedAt() != null)
			.toList();
		this.jdbc.sql(processed.isEmpty() ? WRITE_SQL : WRITE_WITH_PROCESSED_SQL)
			.param("brands", map(rows, EventRow::brandId))
			.param("ids", map(rows, EventRow::id))
			.param("types", map(rows, EventRow::eventType))
			.param("users", map(rows, EventRow::userId))
			.param("servers", map(rows, EventRow::serverId))
			.param("members", rows.stream().map(EventRow::memberId).toArray(Long[]::new))
			.param("amounts", rows.stream().map(EventRow::amount).toArray(Long[]::new))
			.param("awarded", rows.stream().mapToLong(EventRow::amountAwarded).toArray())
			.param("balances", rows.stream().map(EventRow::balanceAfter).toArray(Long[]::new))
			.param("currencies", map(rows, EventRow::currency))
			.param("outcomes", map(rows, EventRow::outcome))
			.param("codes", map(rows, EventRow::errorCode))
			.param("messages", map(rows, EventRow::errorMessage))
			.param("retries", rows.stream().map(EventRow::retryAfter).toArray(Integer[]::new))
			.param("reasons", map(rows, EventRow::pendingReason))
			.param("processAfters", map(rows, (row) -> text(row.processAfter())))
			.param("metadata", map(rows, EventRow::metadata))
			.param("keys", map(rows, EventRow::idempotencyKey))
			.param("hashes", rows.stream().map(EventRow::requestHash).toArray(byte[][]::new))
			.param("statuses", rows.stream().map(EventRow::responseStatus).toArray(Integer[]::new))
			.param("bodies", map(rows, EventRow::responseBody))
			.param("sources", map(rows, EventRow::source))
			.param("received", map(rows, (row) -> text(row.receivedAt())))
			.param("pBrands", map(processed, ProcessedRow::brandId))
			.param("pIds", map(processed, ProcessedRow::id))
			.param("pOutcomes", map(processed, ProcessedRow::outcome))
			.param("pAwarded", processed.stream().mapToLong(ProcessedRow::amountAwarded).toArray())
			.param("pBalances", processed.stream().map(ProcessedRow::balanceAfter).toArray(Long[]::new))
			.param("pCurrencies", map(processed, ProcessedRow::currency))
			.param("pCodes", map(processed, ProcessedRow::errorCode))
			.param("pMessages", map(processed, ProcessedRow::errorMessage))
			.param("pReasons", map(processed, ProcessedRow::pendingReason))
			.param("pProcessAfters", map(processed, (row) -> text(row.processAfter())))
			.param("sBrands", stateKeys.stream().map(MemberTypeKey::brandId).toArray(String[]::new))
			.param("sMembers", stateKeys.stream().mapToLong(MemberTypeKey::memberId).toArray())
			.param("sTypes", stateKeys.stream().map(MemberTypeKey::eventType).toArray(String[]::new))
			.param("sLasts",
					stateKeys.stream().map((k) -> states.get(k).lastAwardedAt().toString()).toArray(String[]::new))
			.param("sDays", stateKeys.stream().map((k) -> states.get(k).day().toString()).toArray(String[]::new))
			.param("sCounts", stateKeys.stream().mapToInt((k) -> states.get(k).dayCount()).toArray())
			.param("rBrands", buckets.stream().map(Map.Entry::getKey).toArray(String[]::new))
			.param("rTokens", buckets.stream().map((entry) -> entry.getValue().tokens()).toArray(Double[]::new))
			.param("rUpdated",
					buckets.stream().map((entry) -> entry.getValue().updatedAt().toString()).toArray(String[]::new))
			.param("processedAt", utc(processedAt))
			.query()
			.listOfRows();
		// A re-deferred event's job was taken with it: it is scheduled anew.
		this.jobs.scheduleAll(PendingEventQueue.QUEUE,
				writes.deferrals()
					.stream()
					.map((d) -> new NewJob(JobKey.of(d.event().brandId(), d.event().key()), d.processAfter(),
							(d.amountCap() != null) ? new PendingEventQueue.Deferred(d.amountCap()) : null))
					.toList(),
				IfScheduled.REPLACE);
	}

	/** What one batch writes. */
	record BatchWrites(List<EventRow> newEvents, List<ProcessedRow> processed, Map<MemberTypeKey, TypeState> typeStates,
			List<Deferral> deferrals, Map<String, TokenBucket> rateLimits) {
	}

	/**
	 * A pending event's place on the deferral queue: a job of
	 * {@link PendingEventQueue#QUEUE}, due when it may be processed.
	 *
	 * @param amountCap the most it may move in all, if it came unsigned
	 */
	record Deferral(BrandKey event, Instant processAfter, @Nullable Long amountCap) {
	}

	private static <T> String[] map(List<T> rows, java.util.function.Function<T, @Nullable String> field) {
		String[] values = new String[rows.size()];
		for (int i = 0; i < values.length; i++) {
			values[i] = field.apply(rows.get(i));
		}
		return values;
	}

	private static @Nullable String text(@Nullable Instant instant) {
		return (instant != null) ? instant.toString() : null;
	}

	private static OffsetDateTime utc(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

	/** A brand and a key within it: an Idempotency-Key or an event id. */
	record BrandKey(String brandId, String key) {
	}

}
