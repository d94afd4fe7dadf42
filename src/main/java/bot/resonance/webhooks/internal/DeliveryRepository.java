package bot.resonance.webhooks.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The delivery queue as the workers use it: claiming due deliveries and recording
 * attempts.
 */
@Component
public class DeliveryRepository {

	/** The most endpoints one claim looks at. */
	static final int MAX_VISITS = 1_000;

	/** The advisory locks of endpoints' deliveries: their first key. */
	private static final int LOCK_SPACE = 0x57484b51;

	private static final int LOCK_STRIPES = 64;

	private final JdbcClient jdbc;

	DeliveryRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Claims up to {@code limit} due deliveries until {@code claimedUntil} for a node
	 * that has {@code room} for them, fairly across brands and endpoints. Deliveries
	 * whose claim lapsed (the node sending them died) are due again. Each claim counts as
	 * an attempt.
	 *
	 * <p>
	 * While few deliveries are due (no more than twice the limit, at least 100), it sees
	 * all of them through the due-time index and takes every endpoint's oldest first,
	 * then every brand's endpoints in turn, each brand and endpoint up to its room. With
	 * a backlog, the oldest due deliveries may all be one brand's, so it walks the
	 * endpoints that have queued deliveries instead, in (brand, endpoint) order from
	 * {@code after} (where the node's previous claim stopped), wrapping around: from each
	 * endpoint its oldest due deliveries up to the endpoint's and its brand's room, each
	 * brand's endpoints in turn; a brand with no room is passed over in one index lookup.
	 * It stops once it has {@code limit}, or after {@value #MAX_VISITS} endpoints, and
	 * says where, so the next claim goes on from there and every brand gets its turn
	 * whatever the others have due.
	 */
	public ClaimRound claim(Instant now, Instant claimedUntil, int limit, Room room, Cursor after, Cursor stopAt) {
		// Planned for this claim's own values: a plan cached while the queue was small
		// walked the backlog many times slower once it grew (deliveries fell to a few
		// hundred per second under event load).
		preferIndexes("force_custom_plan");
		List<Map.Entry<String, Integer>> brands = List.copyOf(room.brands().entrySet());
		List<Map.Entry<UUID, Integer>> endpoints = List.copyOf(room.endpoints().entrySet());
		List<Claimed> claimed = new ArrayList<>();
		Map<MessageKey, String> bodies = new HashMap<>();
		Cursor[] next = { after };
		boolean[] more = { false };
		this.jdbc
			.sql("""
					with recursive room as materialized (
					    select (select coalesce(jsonb_object_agg(b.brand_id, b.room), '{}')
					            from unnest(:brandIds::text[], :brandRooms::int[]) as b(brand_id, room)) as brands,
					           (select coalesce(jsonb_object_agg(e.endpoint_id, e.room), '{}')
					            from unnest(:endpointIds::text[], :endpointRooms::int[]) as e(endpoint_id, room)) as endpoints
					), due as materialized (
					    -- the oldest due deliveries: every one, unless there are more than this holds
					    select q.brand_id, q.delivery_id, q.endpoint_id, q.due_at
					    from webhook_queue q
					    where q.due_at <= :now
					    order by q.due_at
					    limit :window
					), backlog as materialized (
					    select count(*) >= :window as walk from due
					), walk (brand_id, endpoint_id, first_due, step, wrapped, ids, brand_room, brand_found, brand_start, total) as (
					    -- with a backlog, from where the previous claim stopped, on to the endpoint after it
					    select :afterBrand::text, :afterEndpoint::uuid, null::timestamptz, 0, false, '{}'::text[], 1, 0, 0, 0
					    where (select b.walk from backlog b)
					    union all
					    select n.brand_id, n.endpoint_id, n.due_at, w.step + 1, n.wrapped, t.ids, t.brand_room,
					           (case when n.brand_id = w.brand_id then w.brand_found else 0 end) + cardinality(t.ids),
					           case when n.brand_id = w.brand_id then w.brand_start else w.total end,
					           (case when n.brand_id = w.brand_id then w.brand_start else w.total end)
					               + least((case when n.brand_id = w.brand_id then w.brand_found else 0 end) + cardinality(t.ids),
					                       t.brand_room)
					    from walk w
					    -- the next endpoint with queued deliveries, and its earliest due time (a brand
					    -- with no room is skipped whole); after the last one, the first one again
					    cross join lateral (
					        (select q.brand_id, q.endpoint_id, q.due_at, w.wrapped as wrapped
					         from webhook_queue q
					         where (q.brand_id collate "C", q.endpoint_id) > (w.brand_id,
					               case when w.brand_room > 0 then w.endpoint_id else 'ffffffff-ffff-ffff-ffff-ffffffffffff'::uuid end)
					         order by q.brand_id collate "C", q.endpoint_id, q.due_at
					         limit 1)
					        union all
					        (select q.brand_id, q.endpoint_id, q.due_at, true
					         from webhook_queue q
					         where not w.wrapped
					         order by q.brand_id collate "C", q.endpoint_id, q.due_at
					         limit 1)
					        limit 1
					    ) n
					    -- its oldest due deliveries, as many as it and its brand have room for
					    cross join lateral (
					        select r.brand_room,
					               case when n.due_at <= :now and r.brand_room > 0 then array(
					                   select q.delivery_id from webhook_queue q
					                   where q.brand_id collate "C" = n.brand_id and q.endpoint_id = n.endpoint_id and q.due_at <= :now
					                   order by q.due_at
					                   limit least(r.endpoint_room, r.brand_room)) else '{}'::text[] end as ids
					        from (select coalesce((room.brands ->> n.brand_id)::int, :perBrand) as brand_room,
					                     coalesce((room.endpoints ->> n.endpoint_id::text)::int, :perEndpoint) as endpoint_room
					              from room) r
					        offset 0
					    ) t
					    where w.step < :visits and w.total < :limit
					      -- up to where the walk began (or the unproductive claims before it)
					      and case when (:stopBrand::text collate "C", :stopEndpoint::uuid) <= (:afterBrand::text, :afterEndpoint::uuid)
					               then not n.wrapped or (n.brand_id collate "C", n.endpoint_id) <= (:stopBrand::text, :stopEndpoint::uuid)
					               else not n.wrapped and (n.brand_id collate "C", n.endpoint_id) <= (:stopBrand::text, :stopEndpoint::uuid) end
					), found as (
					    -- without a backlog, every due delivery, up to its endpoint's room
					    select e.brand_id, e.delivery_id, e.due_at as first_due, 0 as step, e.position, e.brand_room
					    from (select d.brand_id, d.delivery_id, d.due_at,
					                 row_number() over (partition by d.endpoint_id order by d.due_at, d.delivery_id) as position,
					                 coalesce((room.brands ->> d.brand_id)::int, :perBrand) as brand_room,
					                 coalesce((room.endpoints ->> d.endpoint_id::text)::int, :perEndpoint) as endpoint_room
					          from due d
					          cross join room
					          where not (select b.walk from backlog b)) e
					    where e.position <= e.endpoint_room
					    union all
					    -- with one, what the walk found
					    select w.brand_id, u.delivery_id, w.first_due, w.step, u.position, w.brand_room
					    from walk w
					    cross join lateral unnest(w.ids) with ordinality as u(delivery_id, position)
					), ranked as (
					    select f.brand_id, f.delivery_id, f.first_due, f.step, f.brand_room,
					           row_number() over (partition by f.brand_id order by f.position, f.first_due, f.step) as brand_rank
					    from found f
					), chosen as (
					    -- each brand's endpoints in turn, up to the brand's room
					    select r.brand_id, r.delivery_id
					    from ranked r
					    where r.brand_rank <= r.brand_room
					    order by r.brand_rank, r.first_due, r.step
					    limit :limit
					), locked as (
					    -- Each chosen delivery looked up by its key, through the primary key only (the
					    -- due time is compared as an expression, so the due-time index cannot serve it):
					    -- with statistics that say the queue is empty (see V40), a join here read every
					    -- due delivery once per chosen one.
					    select q.ctid, q.brand_id, q.delivery_id, q.due_at
					    from chosen c
					    cross join lateral (
					        select q.ctid, q.brand_id, q.delivery_id, q.due_at from webhook_queue q
					        where q.brand_id = c.brand_id and q.delivery_id = c.delivery_id
					          and q.due_at + interval '0 s' <= :now
					        for update of q skip locked
					    ) q
					), claimed as (
					    -- the rows locked above, by place: with such statistics a join read the
					    -- whole queue; one another node changed since this statement began is
					    -- not visible at its new place, and waits for the next claim
					    update webhook_queue q set due_at = :claimedUntil
					    from locked
					    where q.ctid = any (array(select l.ctid from locked l)) and q.ctid = locked.ctid
					    returning q.brand_id, q.delivery_id, locked.due_at
					), delivered as (
					    update webhook_deliveries d
					    set status = 'sending', attempts = d.attempts + 1, updated_at = :now
					    from claimed
					    where d.brand_id = claimed.brand_id and d.id = claimed.delivery_id
					    returning d.brand_id, d.id, d.endpoint_id, d.message_id, d.event, d.attempts, d.attempts_base,
					              claimed.due_at
					), stopped as (
					    select w.brand_id, w.endpoint_id, w.step >= :visits or w.total >= :limit as more
					    from walk w
					    order by w.step desc
					    limit 1
					)
					-- a message's body once, with the first of its deliveries (its other endpoints'
					-- deliveries share it)
					select d.brand_id, d.id, d.endpoint_id, d.message_id, d.event, d.attempts, d.attempts_base,
					       case when d.first then (select m.body from webhook_messages m
					                               where m.brand_id = d.brand_id and m.id = d.message_id) end as body,
					       d.due_at, null::boolean as more
					from (select d.*, row_number() over (partition by d.brand_id, d.message_id order by d.id) = 1 as first
					      from delivered d) d
					union all
					select s.brand_id, null, s.endpoint_id, null, null, null, null, null, null, s.more
					from stopped s
					""")
			.param("brandIds", brands.stream().map(Map.Entry::getKey).toArray(String[]::new))
			.param("brandRooms", brands.stream().mapToInt(Map.Entry::getValue).toArray())
			.param("endpointIds", endpoints.stream().map((e) -> e.getKey().toString()).toArray(String[]::new))
			.param("endpointRooms", endpoints.stream().mapToInt(Map.Entry::getValue).toArray())
			.param("perBrand", room.perBrand())
			.param("perEndpoint", room.perEndpoint())
			.param("afterBrand", after.brandId())
			.param("afterEndpoint", after.endpointId())
			.param("stopBrand", stopAt.brandId())
			.param("stopEndpoint", stopAt.endpointId())
			.param("visits", MAX_VISITS)
			.param("window", Math.max(limit * 2, 100))
			.param("limit", limit)
			.param("now", EndpointRepository.utc(now))
			.param("claimedUntil", EndpointRepository.utc(claimedUntil))
			.query((RowCallbackHandler) (rs) -> {
				if (rs.getString("id") == null) {
					next[0] = new Cursor(rs.getString("brand_id"), rs.getObject("endpoint_id", UUID.class));
					more[0] = rs.getBoolean("more");
				}
				else {
					String brandId = rs.getString("brand_id");
					String messageId = rs.getString("message_id");
					String body = rs.getString("body");
					if (body != null) {
						bodies.put(new MessageKey(brandId, messageId), body);
					}
					claimed.add(new Claimed(brandId, rs.getString("id"), rs.getObject("endpoint_id", UUID.class),
							messageId, rs.getString("event"), rs.getInt("attempts"), rs.getInt("attempts_base"), body,
							rs.getObject("due_at", OffsetDateTime.class).toInstant()));
				}
			});
		// Each message's body came with one of its deliveries; the others get it here.
		claimed.replaceAll((delivery) -> (delivery.body() != null) ? delivery
				: delivery.withBody(bodies.get(new MessageKey(delivery.brandId(), delivery.messageId()))));
		return new ClaimRound(claimed, next[0], more[0]);
	}

	/**
	 * Holds, until the transaction ends, the deliveries of these endpoints against the
	 * endpoints' management, shared with other writers: see {@link #lockForChange}.
	 */
	public void lockForRecording(Collection<UUID> endpointIds) {
		int[] stripes = endpointIds.stream().mapToInt(DeliveryRepository::stripe).distinct().sorted().toArray();
		this.jdbc.sql("select count(pg_advisory_xact_lock_shared(:space, s)) from unnest(:stripes::int[]) as s")
			.param("space", LOCK_SPACE)
			.param("stripes", stripes)
			.query()
			.singleRow();
	}

	/**
	 * Holds, until the transaction ends, the endpoint's deliveries against the workers
	 * recording attempts ({@link #lockForRecording}). Taken before any row lock by
	 * whatever changes an endpoint's deliveries (deleting, pausing, disabling the
	 * endpoint), and by the writers before they record, it keeps the two from
	 * deadlocking: a writer locks delivery, queue and then endpoint rows, management the
	 * endpoint row first. The endpoints share {@value #LOCK_STRIPES} locks.
	 */
	public void lockForChange(UUID endpointId) {
		this.jdbc.sql("select pg_advisory_xact_lock(:space, :stripe)")
			.param("space", LOCK_SPACE)
			.param("stripe", stripe(endpointId))
			.query()
			.singleRow();
	}

	private static int stripe(UUID endpointId) {
		return Math.floorMod(endpointId.hashCode(), LOCK_STRIPES);
	}

	/**
	 * Records attempts and moves their deliveries on. A result is only applied if the
	 * delivery is still held by the attempt that produced it (a claim that lapsed may
	 * have been taken over by another node).
	 */
	public void complete(List<Completion> completions, Instant now) {
		if (completions.isEmpty()) {
			return;
		}
		List<Completion> attempted = completions.stream().filter(Completion::attempted).toList();
		preferIndexes();
		// The deliveries' queue rows first, as a claim takes them (queue row, then
		// delivery): a claim that lapsed and is taken over while its attempt is recorded
		// then waits for, or skips, this one instead of deadlocking with it.
		// Each row is looked up by its key, which only the primary key serves (V40);
		// a join read the queue once per row when statistics said it was empty.
		this.jdbc.sql("""
				select 1
				from (select * from unnest(:brands::text[], :ids::text[]) as t(brand_id, delivery_id) order by 1, 2) t
				cross join lateral (
				    select 1 from webhook_queue q
				    where q.brand_id = t.brand_id and q.delivery_id = t.delivery_id
				    for update of q
				) q
				""")
			.param("brands", completions.stream().map(Completion::brandId).toArray(String[]::new))
			.param("ids", completions.stream().map(Completion::deliveryId).toArray(String[]::new))
			.query()
			.listOfRows();
		this.jdbc
			.sql("""
					with moved as (
					    update webhook_deliveries d
					    set status = t.status, attempts = t.attempts, next_attempt_at = coalesce(t.next_attempt_at, d.next_attempt_at),
					        last_status = t.last_status, last_error = t.last_error, updated_at = :now
					    from unnest(:brands::text[], :ids::text[], :claims::int[], :statuses::text[], :attempts::int[],
					                :nexts::timestamptz[], :lastStatuses::int[], :lastErrors::text[])
					         as t(brand_id, id, claim, status, attempts, next_attempt_at, last_status, last_error)
					    where d.brand_id = t.brand_id and d.id = t.id and d.status = 'sending' and d.attempts = t.claim
					    returning d.brand_id, d.id, d.endpoint_id, d.status, d.next_attempt_at
					), requeued as (
					    insert into webhook_queue (brand_id, delivery_id, endpoint_id, due_at)
					    select brand_id, id, endpoint_id, next_attempt_at from moved where status = 'pending'
					    on conflict (brand_id, delivery_id) do update set due_at = excluded.due_at
					), dequeued as (
					    -- each row found by its key (only the primary key serves it, see V40) and
					    -- deleted by its place: a join here could scan the queue once per row; the rows
					    -- are locked above, so the place found is the version to delete
					    delete from webhook_queue q
					    where q.ctid = any (array(
					        select x.ctid from moved m
					        cross join lateral (
					            select x.ctid from webhook_queue x where x.brand_id = m.brand_id and x.delivery_id = m.id
					            offset 0 -- kept a lookup: as a join it could read the whole queue
					        ) x
					        where m.status <> 'pending'))
					)
					insert into webhook_attempts
					    (brand_id, delivery_id, attempt, started_at, duration_ms, status_code, error, response_excerpt)
					select * from unnest(:aBrands::text[], :aIds::text[], :aAttempts::int[], :aStarted::timestamptz[],
					                     :aDurations::int[], :aStatuses::int[], :aErrors::text[], :aExcerpts::text[])
					on conflict do nothing
					""")
			.param("brands", completions.stream().map(Completion::brandId).toArray(String[]::new))
			.param("ids", completions.stream().map(Completion::deliveryId).toArray(String[]::new))
			.param("claims", completions.stream().mapToInt(Completion::claim).toArray())
			.param("statuses", completions.stream().map(Completion::status).toArray(String[]::new))
			.param("attempts", completions.stream().mapToInt(Completion::attempts).toArray())
			.param("nexts",
					completions.stream()
						.map((c) -> (c.nextAttemptAt() != null) ? c.nextAttemptAt().toString() : null)
						.toArray(String[]::new))
			.param("lastStatuses", completions.stream().map(Completion::statusCode).toArray(Integer[]::new))
			.param("lastErrors", completions.stream().map(Completion::error).toArray(String[]::new))
			.param("aBrands", attempted.stream().map(Completion::brandId).toArray(String[]::new))
			.param("aIds", attempted.stream().map(Completion::deliveryId).toArray(String[]::new))
			.param("aAttempts", attempted.stream().mapToInt(Completion::claim).toArray())
			.param("aStarted", attempted.stream().map((c) -> c.startedAt().toString()).toArray(String[]::new))
			.param("aDurations", attempted.stream().mapToInt(Completion::durationMillis).toArray())
			.param("aStatuses", attempted.stream().map(Completion::statusCode).toArray(Integer[]::new))
			.param("aErrors", attempted.stream().map(Completion::error).toArray(String[]::new))
			.param("aExcerpts", attempted.stream().map(Completion::excerpt).toArray(String[]::new))
			.param("now", EndpointRepository.utc(now))
			.update();
	}

	/**
	 * Tracks whether endpoints are failing: clears {@code failing_since} of endpoints
	 * that just succeeded, sets it for those that just failed, and returns the endpoints
	 * (among those) that have been failing since before {@code disableBefore}.
	 */
	public List<EndpointKey> trackFailures(List<EndpointKey> succeeded, List<EndpointKey> failed, Instant now,
			Instant disableBefore) {
		if (!succeeded.isEmpty()) {
			this.jdbc.sql("""
					update webhook_endpoints e set failing_since = null
					from unnest(:brands::text[], :ids::uuid[]) as t(brand_id, id)
					where e.brand_id = t.brand_id and e.id = t.id and e.failing_since is not null
					""")
				.param("brands", succeeded.stream().map(EndpointKey::brandId).toArray(String[]::new))
				.param("ids", succeeded.stream().map((k) -> k.id().toString()).toArray(String[]::new))
				.update();
		}
		if (failed.isEmpty()) {
			return List.of();
		}
		return this.jdbc.sql("""
				update webhook_endpoints e set failing_since = coalesce(e.failing_since, :now)
				from unnest(:brands::text[], :ids::uuid[]) as t(brand_id, id)
				where e.brand_id = t.brand_id and e.id = t.id
				returning e.brand_id, e.id, e.failing_since < :disableBefore and e.enabled as overdue
				""")
			.param("now", EndpointRepository.utc(now))
			.param("brands", failed.stream().map(EndpointKey::brandId).toArray(String[]::new))
			.param("ids", failed.stream().map((k) -> k.id().toString()).toArray(String[]::new))
			.param("disableBefore", EndpointRepository.utc(disableBefore))
			.query((rs, row) -> rs.getBoolean("overdue")
					? new EndpointKey(rs.getString("brand_id"), rs.getObject("id", UUID.class)) : null)
			.list()
			.stream()
			.filter(java.util.Objects::nonNull)
			.toList();
	}

	/**
	 * Disables an endpoint that is still enabled and holds its pending deliveries;
	 * returns its URL, or null if it was disabled already.
	 */
	public @Nullable String disable(EndpointKey endpoint, String reason, Instant now) {
		List<String> urls = this.jdbc.sql("""
				update webhook_endpoints set enabled = false, disabled_reason = :reason, updated_at = :now
				where brand_id = :brand and id = :id and enabled
				returning url
				""")
			.param("reason", reason)
			.param("now", EndpointRepository.utc(now))
			.param("brand", endpoint.brandId())
			.param("id", endpoint.id())
			.query(String.class)
			.list();
		if (urls.isEmpty()) {
			return null;
		}
		hold(endpoint.brandId(), endpoint.id(), now);
		return urls.getFirst();
	}

	/** Holds the endpoint's pending deliveries (it is paused or disabled). */
	public int hold(String brandId, UUID endpointId, Instant now) {
		return this.jdbc.sql("""
				with pending as materialized (
				    select d.id from webhook_deliveries d
				    where d.brand_id = :brand and d.endpoint_id = :id and d.status = 'pending'
				), queued as materialized (
				    -- the deliveries' queue rows first, as a claim takes them (queue row, then
				    -- delivery): a claim under way is waited for, or skips them, instead of
				    -- deadlocking with this; each row looked up by its key (V40)
				    select count(*) as n
				    from (select id from pending order by id) p
				    cross join lateral (
				        select 1 from webhook_queue q
				        where q.brand_id = :brand and q.delivery_id = p.id
				        for update of q
				    ) q
				), held as (
				    update webhook_deliveries set status = 'held', updated_at = :now
				    where brand_id = :brand and endpoint_id = :id and status = 'pending'
				      and (select n from queued) >= 0
				    returning brand_id, id
				), dequeued as (
				    -- by key, not as a join: with statistics that say the queue is empty a join
				    -- could compare every queued row with every held one
				    delete from webhook_queue q
				    where q.brand_id = :brand and q.delivery_id = any (array(select held.id from held))
				)
				select count(*) from held
				""")
			.param("now", EndpointRepository.utc(now))
			.param("brand", brandId)
			.param("id", endpointId)
			.query(Integer.class)
			.single();
	}

	/** Releases the endpoint's held deliveries to be sent now. */
	public int release(String brandId, UUID endpointId, Instant now) {
		return this.jdbc.sql("""
				with released as (
				    update webhook_deliveries set status = 'pending', next_attempt_at = :now, updated_at = :now
				    where brand_id = :brand and endpoint_id = :id and status = 'held'
				    returning brand_id, id, endpoint_id
				), queued as (
				    insert into webhook_queue (brand_id, delivery_id, endpoint_id, due_at)
				    select brand_id, id, endpoint_id, :now from released
				    on conflict (brand_id, delivery_id) do update set due_at = excluded.due_at
				)
				select count(*) from released
				""")
			.param("now", EndpointRepository.utc(now))
			.param("brand", brandId)
			.param("id", endpointId)
			.query(Integer.class)
			.single();
	}

	/**
	 * Makes the rest of the transaction look rows up by index: the claim and completion
	 * statements touch a few hundred rows of a table that can hold millions, and with
	 * statistics that lag behind a fast-growing queue the planner would otherwise scan
	 * and sort the whole table (as it did, at a few hundred deliveries per second).
	 */
	private void preferIndexes() {
		preferIndexes("auto");
	}

	/** The same, and how this transaction's prepared statements are planned. */
	private void preferIndexes(String planCacheMode) {
		this.jdbc.sql("""
				select set_config('enable_seqscan', 'off', true), set_config('enable_bitmapscan', 'off', true),
				       set_config('enable_hashjoin', 'off', true), set_config('enable_mergejoin', 'off', true),
				       set_config('plan_cache_mode', :planCacheMode, true)
				""").param("planCacheMode", planCacheMode).query().singleRow();
	}

	/** An endpoint of a brand. */
	public record EndpointKey(String brandId, UUID id) {
	}

	/**
	 * How many more deliveries a claim may take.
	 *
	 * @param perBrand for a brand not in {@code brands}
	 * @param brands brands that may take fewer than {@code perBrand} (by brand id)
	 * @param perEndpoint for an endpoint not in {@code endpoints}
	 * @param endpoints endpoints that may take fewer than {@code perEndpoint} (by
	 * endpoint id)
	 */
	public record Room(int perBrand, Map<String, Integer> brands, int perEndpoint, Map<UUID, Integer> endpoints) {

		public Room {
			brands = Map.copyOf(brands);
			endpoints = Map.copyOf(endpoints);
		}

	}

	/**
	 * A place in the walk over the queue's endpoints, in (brand, endpoint) order.
	 */
	public record Cursor(String brandId, UUID endpointId) {

		/** Before the first endpoint. */
		public static final Cursor START = new Cursor("", new UUID(0, 0));

	}

	/** A message of a brand, whose body its deliveries share. */
	private record MessageKey(String brandId, String messageId) {
	}

	/**
	 * What a claim took.
	 *
	 * @param deliveries the deliveries claimed
	 * @param next where the next claim goes on from
	 * @param more whether the claim stopped before it came round to where it was to stop
	 * (it had taken its limit, or looked at as many endpoints as it may): there may be
	 * more due
	 */
	public record ClaimRound(List<Claimed> deliveries, Cursor next, boolean more) {
	}

	/**
	 * A delivery a worker claimed, with the message body to send.
	 *
	 * @param attempt the number of this attempt ({@code X-Attempt})
	 * @param base the attempts made before the delivery was last re-queued by hand; the
	 * retry schedule starts over from there
	 * @param dueAt when it became due (the claim took it then or later)
	 */
	public record Claimed(String brandId, String id, UUID endpointId, String messageId, String event, int attempt,
			int base, String body, Instant dueAt) {

		/**
		 * The number of this attempt since the delivery was queued (1 to the maximum).
		 */
		public int attemptInRound() {
			return this.attempt - this.base;
		}

		Claimed withBody(String body) {
			return new Claimed(this.brandId, this.id, this.endpointId, this.messageId, this.event, this.attempt,
					this.base, body, this.dueAt);
		}

	}

	/**
	 * What became of a claimed delivery.
	 *
	 * @param claim the attempt number the claim had (the delivery is only updated if it
	 * still has it)
	 * @param status the delivery's new status
	 * @param attempts the delivery's new attempt count
	 * @param nextAttemptAt when it is due again, if pending
	 * @param attempted whether an HTTP attempt was made (and is recorded)
	 */
	public record Completion(String brandId, String deliveryId, int claim, String status, int attempts,
			@Nullable Instant nextAttemptAt, @Nullable Integer statusCode, @Nullable String error,
			@Nullable String excerpt, Instant startedAt, int durationMillis, boolean attempted) {
	}

}
