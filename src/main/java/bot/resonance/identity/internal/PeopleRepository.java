package bot.resonance.identity.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import bot.resonance.identity.Identity;
import bot.resonance.identity.IdentityKind;
import bot.resonance.identity.Member;
import bot.resonance.identity.MemberStatus;
import bot.resonance.identity.Person;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The SQL of people (network-wide), their identities and their memberships of brands.
 * Statements that create rows race safely with each other: rows are claimed with
 * {@code on conflict do nothing}, and the losers' rows are removed.
 */
@Component
public class PeopleRepository {

	/** The statement of {@link #findOrCreateFresh}. */
	private static final String FIND_OR_CREATE_FRESH_SQL = """
			with wanted as materialized (
			    select distinct * from unnest(:brands::text[], :kinds::text[], :values::text[]) as u(brand_id, kind, value)
			), looked_up as materialized (
			    -- the identity's holder is probed only for identities the brand does not know
			    select w.brand_id, w.kind, w.value, m.id, m.person_id, m.status, m.created_at,
			           case when i.member_id is null then
			               (select p.person_id from person_identities p where p.kind = w.kind and p.value = w.value)
			           end as holder
			    from wanted w
			    left join member_identities i on i.brand_id = w.brand_id and i.kind = w.kind and i.value = w.value
			    left join members m on m.brand_id = i.brand_id and m.id = i.member_id
			), input as materialized (
			    select t.brand_id, t.kind, t.value,
			           nextval('people_id_seq') as person_id,
			           nextval('members_id_seq') as member_id
			    from (select distinct on (kind, value) * from looked_up where id is null and holder is null
			          order by kind, value) as t
			), claimed as (
			    insert into person_identities (kind, value, person_id, created_at)
			    select kind, value, person_id, :now from input
			    on conflict (kind, value) do nothing
			    returning person_id
			), fresh as materialized (
			    select i.* from input i where i.person_id = any (array(select person_id from claimed))
			), new_members as (
			    insert into members (brand_id, id, person_id, status, created_at, updated_at)
			    select brand_id, member_id, person_id, 'active', :now, :now from fresh
			), new_identities as (
			    insert into member_identities (brand_id, kind, value, member_id, created_at)
			    select brand_id, kind, value, member_id, :now from fresh
			), held as materialized (
			    select brand_id, kind, value, holder as person_id from looked_up where id is null and holder is not null
			), """
			// The holders' locks after this statement's claims (counting
			// them needs them done): the order of a statement of their own.
			+ holderLocks("held", "(select count(*) as n from fresh)") + """
					select 'known' as outcome, kind, value, brand_id, id, person_id, status, created_at from looked_up
					where id is not null
					union all
					select 'created', kind, value, brand_id, member_id, person_id, null, null from fresh
					union all
					select 'held', h.kind, h.value, h.brand_id, null, h.person_id, null, null
					from held h, memberships_locked l where l.n >= 0
					""";

	/** The statement of {@link #lockHolders}. */
	private static final String LOCK_HOLDERS_SQL = """
			with input as materialized (
			    select t.brand_id, t.kind, t.value, p.person_id
			    from unnest(:brands::text[], :kinds::text[], :values::text[]) as t(brand_id, kind, value)
			    join person_identities p on p.kind = t.kind and p.value = t.value
			), """ + holderLocks("input", "(select 1)") + """
			select brand_id, kind, value, person_id from input, memberships_locked where memberships_locked.n >= 0
			""";

	private final JdbcClient jdbc;

	private final PersonAddresses addresses;

	PeopleRepository(JdbcClient jdbc, PersonAddresses addresses) {
		this.jdbc = jdbc;
		this.addresses = addresses;
	}

	/**
	 * The common table expressions {@code people_locked} and {@code memberships_locked}
	 * that lock the people of {@code rows} (with {@code brand_id} and {@code person_id}):
	 * each person shared, then each person's membership of the brand exclusive, both in
	 * the keys' order, so that every statement taking them takes them in one order. The
	 * locks are taken only once {@code after} (a query of one row) has run: what the
	 * statement must have done before them.
	 */
	private static String holderLocks(String rows, String after) {
		return """
				people_locked as materialized (
				    select count(pg_advisory_xact_lock_shared(k)) as n
				    from (select distinct hashtextextended('resonance:person:' || person_id, 0) as k
				          from %1$s order by 1) as sorted,
				         %2$s as before_locks
				), memberships_locked as materialized (
				    select count(pg_advisory_xact_lock(k)) as n
				    from (select distinct hashtextextended('resonance:membership:' || brand_id || ':' || person_id, 0) as k
				          from %1$s order by 1) as sorted, people_locked
				)
				"""
			.formatted(rows, after);
	}

	/** The person each identity belongs to, for those that belong to one. */
	public Map<Held, Long> holders(Collection<Held> identities) {
		Map<Held, Long> found = new HashMap<>();
		if (identities.isEmpty()) {
			return found;
		}
		this.jdbc.sql("""
				select p.kind, p.value, p.person_id
				from unnest(:kinds::text[], :values::text[]) as t(kind, value)
				join person_identities p on p.kind = t.kind and p.value = t.value
				""")
			.param("kinds", identities.stream().map(Held::kind).toArray(String[]::new))
			.param("values", identities.stream().map(Held::value).toArray(String[]::new))
			.query((rs, row) -> found.put(new Held(rs.getString("kind"), rs.getString("value")),
					rs.getLong("person_id")))
			.list();
		return found;
	}

	/**
	 * The common cases in one statement: the member of each identity its brand knows
	 * already; for each identity nobody holds, a new person holding it, a member of its
	 * brand for them and the brand's identity row; and for each identity another brand's
	 * member holds, its person, locked as {@link #lockHolders} locks it (after this
	 * statement's claims), for {@link #joinLocked}. Identities claimed concurrently, or
	 * claimed by this statement for another brand of the same batch, are in none of the
	 * maps, for {@link #joinHeld}, {@link #claim} and {@link #memberships}.
	 */
	public Resolved findOrCreateFresh(List<Identity> identities, Instant now) {
		Map<Identity, Member> found = new HashMap<>();
		Map<Identity, Created> created = new HashMap<>();
		Map<Identity, Long> held = new HashMap<>();
		if (identities.isEmpty()) {
			return new Resolved(found, created, held);
		}
		// Every join below probes an index or compares ids, so the statement's work grows
		// with the batch, not with its square (the ingest transaction plans without hash
		// joins).
		this.jdbc.sql(FIND_OR_CREATE_FRESH_SQL)
			.param("brands", identities.stream().map(Identity::brandId).toArray(String[]::new))
			.param("kinds", identities.stream().map((i) -> i.kind().wireName()).toArray(String[]::new))
			.param("values", identities.stream().map(Identity::value).toArray(String[]::new))
			.param("now", utc(now))
			.query((rs, row) -> {
				Identity identity = new Identity(rs.getString("brand_id"),
						IdentityKind.fromWireName(rs.getString("kind")).orElseThrow(), rs.getString("value"));
				switch (rs.getString("outcome")) {
					case "known" -> found.put(identity,
							new Member(identity.brandId(), rs.getLong("id"), rs.getLong("person_id"),
									MemberStatus.fromWireName(rs.getString("status")).orElseThrow(),
									rs.getObject("created_at", OffsetDateTime.class).toInstant()));
					case "created" -> created.put(identity, new Created(rs.getLong("person_id"), rs.getLong("id")));
					default -> held.put(identity, rs.getLong("person_id"));
				}
				return null;
			})
			.list();
		return new Resolved(found, created, held);
	}

	/**
	 * What {@link #findOrCreateFresh} found, created and locked.
	 *
	 * @param found the members of identities their brand knew
	 * @param created the person and member created for each identity nobody held
	 * @param held the person holding each identity another brand's member holds, locked
	 * for {@link #joinLocked}
	 */
	public record Resolved(Map<Identity, Member> found, Map<Identity, Created> created, Map<Identity, Long> held) {
	}

	/**
	 * A brand's first sight of identities another brand knows, in two statements:
	 * {@link #lockHolders} and {@link #joinLocked}. Returns the member per identity it
	 * handled; identities nobody holds, or whose holder was merged meanwhile, are left
	 * out.
	 */
	public Map<Identity, Member> joinHeld(List<Identity> identities, Instant now) {
		return joinLocked(lockHolders(identities), now);
	}

	/**
	 * The person holding each identity, locked: the person shared, the person's
	 * membership of the identity's brand exclusive, in a fixed order, until the
	 * transaction ends. Identities nobody holds are left out.
	 */
	private Map<Identity, Long> lockHolders(List<Identity> identities) {
		Map<Identity, Long> holders = new HashMap<>();
		if (identities.isEmpty()) {
			return holders;
		}
		this.jdbc.sql(LOCK_HOLDERS_SQL)
			.param("brands", identities.stream().map(Identity::brandId).toArray(String[]::new))
			.param("kinds", identities.stream().map((i) -> i.kind().wireName()).toArray(String[]::new))
			.param("values", identities.stream().map(Identity::value).toArray(String[]::new))
			.query((rs,
					row) -> holders.put(new Identity(rs.getString("brand_id"),
							IdentityKind.fromWireName(rs.getString("kind")).orElseThrow(), rs.getString("value")),
							rs.getLong("person_id")))
			.list();
		return holders;
	}

	/**
	 * Given identities and the people holding them, locked (by {@link #lockHolders} or
	 * {@link #findOrCreateFresh}), and reading after the locks: the person's member at
	 * the identity's brand (created if none), given the identity. Returns the member per
	 * identity; identities whose holder was merged meanwhile are left out.
	 */
	public Map<Identity, Member> joinLocked(Map<Identity, Long> holders, Instant now) {
		Map<Identity, Member> joined = new HashMap<>();
		if (holders.isEmpty()) {
			return joined;
		}
		List<Identity> identities = List.copyOf(holders.keySet());
		this.jdbc.sql("""
				with input as materialized (
				    select t.* from unnest(:brands::text[], :kinds::text[], :values::text[], :persons::bigint[])
				        as t(brand_id, kind, value, person_id)
				    where not exists (select 1 from people_merges m where m.person_id = t.person_id)
				), pairs as materialized (
				    select distinct brand_id, person_id from input
				), looked_up as materialized (
				    -- one index probe per pair for the person's member at the brand, if any
				    select p.brand_id, p.person_id, e.member_id, e.status, e.created_at
				    from pairs p
				    left join lateral (
				        select m.id as member_id, m.status, m.created_at from members m
				        where m.person_id = p.person_id and m.brand_id = p.brand_id and m.merged_into is null
				        order by m.id limit 1
				    ) e on true
				), fresh as materialized (
				    select brand_id, person_id, nextval('members_id_seq') as member_id
				    from looked_up where member_id is null
				), created as (
				    insert into members (brand_id, id, person_id, status, created_at, updated_at)
				    select brand_id, member_id, person_id, 'active', :now, :now from fresh
				), chosen as materialized (
				    select brand_id, person_id, member_id, status, created_at from looked_up where member_id is not null
				    union all
				    select brand_id, person_id, member_id, 'active', cast(:now as timestamptz) from fresh
				), attached as (
				    insert into member_identities (brand_id, kind, value, member_id, created_at)
				    select i.brand_id, i.kind, i.value, c.member_id, :now
				    from input i join chosen c on c.person_id = i.person_id and c.brand_id = i.brand_id
				    order by i.brand_id, i.kind, i.value
				    on conflict (brand_id, kind, value) do nothing
				)
				select i.brand_id, i.kind, i.value, c.member_id, c.person_id, c.status, c.created_at
				from input i join chosen c on c.person_id = i.person_id and c.brand_id = i.brand_id
				""")
			.param("brands", identities.stream().map(Identity::brandId).toArray(String[]::new))
			.param("kinds", identities.stream().map((i) -> i.kind().wireName()).toArray(String[]::new))
			.param("values", identities.stream().map(Identity::value).toArray(String[]::new))
			.param("persons", identities.stream().mapToLong(holders::get).toArray())
			.param("now", utc(now))
			.query((rs,
					row) -> joined.put(new Identity(rs.getString("brand_id"),
							IdentityKind.fromWireName(rs.getString("kind")).orElseThrow(), rs.getString("value")),
							new Member(rs.getString("brand_id"), rs.getLong("member_id"), rs.getLong("person_id"),
									MemberStatus.fromWireName(rs.getString("status")).orElseThrow(),
									rs.getObject("created_at", OffsetDateTime.class).toInstant())))
			.list();
		return joined;
	}

	/** A person and member created for a fresh identity. */
	public record Created(long personId, long memberId) {
	}

	/**
	 * Creates a person for each identity that belongs to none, then returns the person
	 * every identity belongs to (another transaction's, if it created one first).
	 */
	public Map<Held, Long> claim(Collection<Held> identities, Instant now) {
		if (identities.isEmpty()) {
			return Map.of();
		}
		this.jdbc.sql("""
				insert into person_identities (kind, value, person_id, created_at)
				select distinct on (t.kind, t.value) t.kind, t.value, nextval('people_id_seq'), :now
				from unnest(:kinds::text[], :values::text[]) as t(kind, value)
				where not exists (select 1 from person_identities p where p.kind = t.kind and p.value = t.value)
				order by t.kind, t.value
				on conflict (kind, value) do nothing
				""")
			.param("kinds", identities.stream().map(Held::kind).toArray(String[]::new))
			.param("values", identities.stream().map(Held::value).toArray(String[]::new))
			.param("now", utc(now))
			.update();
		return holders(identities);
	}

	/**
	 * Locks people shared until the transaction ends (in id order) and returns, for each,
	 * the person it was merged into, if it was.
	 */
	public Map<Long, @Nullable Long> lockShared(Collection<Long> personIds) {
		return lock(personIds, "share");
	}

	/** As {@link #lockShared}, exclusive: for merging people. */
	public Map<Long, @Nullable Long> lockExclusive(Collection<Long> personIds) {
		return lock(personIds, "update");
	}

	private Map<Long, @Nullable Long> lock(Collection<Long> personIds, String mode) {
		Map<Long, @Nullable Long> found = new HashMap<>();
		if (personIds.isEmpty()) {
			return found;
		}
		long[] ids = personIds.stream().mapToLong(Long::longValue).distinct().sorted().toArray();
		// The locks first, in id order; then, in a statement of its own (whose snapshot
		// follows the locks), what became of the people.
		this.jdbc.sql("""
				select count(pg_advisory_xact_lock%s(hashtextextended('resonance:person:' || id, 0)))
				from (select unnest(:ids::bigint[]) as id order by 1) as sorted
				""".formatted(mode.equals("share") ? "_shared" : "")).param("ids", ids).query(Long.class).single();
		for (long id : ids) {
			found.put(id, null);
		}
		this.jdbc.sql("select person_id, merged_into from people_merges where person_id = any(:ids::bigint[])")
			.param("ids", ids)
			.query((rs, row) -> found.put(rs.getLong("person_id"), rs.getLong("merged_into")))
			.list();
		return found;
	}

	/**
	 * The member of each person at each brand that new identities attach to (the oldest
	 * live one), creating a member where the person has none yet. Creation is serialised
	 * per brand and person (a transaction-scoped advisory lock), so a person gets one.
	 */
	public Map<Membership, Long> memberships(Collection<Membership> wanted, Instant now) {
		if (wanted.isEmpty()) {
			return Map.of();
		}
		String[] brands = wanted.stream().map(Membership::brandId).toArray(String[]::new);
		long[] persons = wanted.stream().mapToLong(Membership::personId).toArray();
		Map<Membership, Long> found = new HashMap<>();
		// The locks in a statement of their own: the next one's snapshot then sees every
		// member created by whoever held them before.
		this.jdbc.sql("""
				select count(pg_advisory_xact_lock(k))
				from (select distinct hashtextextended('resonance:membership:' || b || ':' || p, 0) as k
				      from unnest(:brands::text[], :persons::bigint[]) as t(b, p) order by 1) as sorted
				""").param("brands", brands).param("persons", persons).query(Long.class).single();
		this.jdbc
			.sql("""
					with input as materialized (
					    select distinct t.brand_id, t.person_id
					    from unnest(:brands::text[], :persons::bigint[]) as t(brand_id, person_id)
					), existing as materialized (
					    select distinct on (i.brand_id, i.person_id) i.brand_id, i.person_id, m.id as member_id
					    from input i
					    join members m on m.person_id = i.person_id and m.brand_id = i.brand_id and m.merged_into is null
					    order by i.brand_id, i.person_id, m.id
					), fresh as materialized (
					    select i.brand_id, i.person_id, nextval('members_id_seq') as member_id
					    from input i
					    where not exists (select 1 from existing e where e.brand_id = i.brand_id and e.person_id = i.person_id)
					), created as (
					    insert into members (brand_id, id, person_id, status, created_at, updated_at)
					    select brand_id, member_id, person_id, 'active', :now, :now from fresh
					)
					select brand_id, person_id, member_id from existing
					union all
					select brand_id, person_id, member_id from fresh
					""")
			.param("brands", brands)
			.param("persons", persons)
			.param("now", utc(now))
			.query((rs, row) -> found.put(new Membership(rs.getString("brand_id"), rs.getLong("person_id")),
					rs.getLong("member_id")))
			.list();
		return found;
	}

	/**
	 * Attaches identities to members of their brand (unless the brand attached them
	 * already) and gives each identity to the person, unless it has one.
	 */
	public void attach(List<Identity> identities, long[] memberIds, long[] personIds, Instant now) {
		String[] brands = identities.stream().map(Identity::brandId).toArray(String[]::new);
		String[] kinds = identities.stream().map((i) -> i.kind().wireName()).toArray(String[]::new);
		String[] values = identities.stream().map(Identity::value).toArray(String[]::new);
		this.jdbc.sql("""
				with people_side as (
				    insert into person_identities (kind, value, person_id, created_at)
				    select kind, value, person_id, :now
				    from unnest(:kinds::text[], :values::text[], :persons::bigint[]) as t(kind, value, person_id)
				    order by kind, value
				    on conflict (kind, value) do nothing
				)
				insert into member_identities (brand_id, kind, value, member_id, created_at)
				select brand_id, kind, value, member_id, :now
				from unnest(:brands::text[], :kinds::text[], :values::text[], :members::bigint[])
				     as t(brand_id, kind, value, member_id)
				order by brand_id, kind, value
				on conflict (brand_id, kind, value) do nothing
				""")
			.param("brands", brands)
			.param("kinds", kinds)
			.param("values", values)
			.param("members", memberIds)
			.param("persons", personIds)
			.param("now", utc(now))
			.update();
	}

	public Optional<Person> find(long personId) {
		return Optional.of(new Person(personId, this.addresses.address(personId)));
	}

	public Map<Long, Person> findAll(Collection<Long> personIds) {
		Map<Long, Person> found = new HashMap<>();
		personIds.forEach((id) -> found.put(id, new Person(id, this.addresses.address(id))));
		return found;
	}

	/** The person this one is now, following merges, without locking. */
	public long current(long personId) {
		return this.jdbc.sql("""
				with recursive chain (id, depth) as (
				    select cast(:id as bigint), 0
				    union all
				    select m.merged_into, c.depth + 1 from people_merges m join chain c on m.person_id = c.id
				    where c.depth < 1000
				)
				select id from chain order by depth desc limit 1
				""").param("id", personId).query(Long.class).optional().orElse(personId);
	}

	/** The brands a person is a member of, with the member new identities attach to. */
	public Map<String, Long> membershipsOf(long personId) {
		Map<String, Long> found = new HashMap<>();
		this.jdbc.sql("""
				select distinct on (brand_id) brand_id, id from members
				where person_id = :person and merged_into is null
				order by brand_id, id
				""")
			.param("person", personId)
			.query((rs, row) -> found.put(rs.getString("brand_id"), rs.getLong("id")))
			.list();
		return found;
	}

	/** Whether any member of the person belongs to a brand other than this one. */
	public boolean memberElsewhere(long personId, String brandId) {
		return this.jdbc.sql("select exists (select 1 from members where person_id = :person and brand_id <> :brand)")
			.param("person", personId)
			.param("brand", brandId)
			.query(Boolean.class)
			.single();
	}

	/** The person's identities of one kind, oldest first. */
	public List<String> identitiesOf(long personId, IdentityKind kind) {
		return this.jdbc.sql("""
				select p.value from members m
				join member_identities i on i.brand_id = m.brand_id and i.member_id = m.id and i.kind = :kind
				join person_identities p on p.kind = i.kind and p.value = i.value and p.person_id = :person
				where m.person_id = :person
				group by p.value, p.created_at
				order by p.created_at, p.value
				""").param("person", personId).param("kind", kind.wireName()).query(String.class).list();
	}

	/**
	 * Moves what belongs to {@code absorbed} to {@code survivor}, before their members of
	 * the same brands merge: the identities (found through the absorbed person's members)
	 * and the members, and marks {@code absorbed} merged.
	 */
	public void absorb(long survivor, long absorbed, Instant now) {
		this.jdbc.sql("""
				with identities as (
				    select distinct i.kind, i.value from members m
				    join member_identities i on i.brand_id = m.brand_id and i.member_id = m.id
				    where m.person_id = :absorbed
				), moved_identities as (
				    update person_identities p set person_id = :survivor
				    from identities i where p.kind = i.kind and p.value = i.value and p.person_id = :absorbed
				), moved_members as (
				    update members set person_id = :survivor where person_id = :absorbed
				)
				insert into people_merges (person_id, merged_into, merged_at) values (:absorbed, :survivor, :now)
				""").param("survivor", survivor).param("absorbed", absorbed).param("now", utc(now)).update();
	}

	private static OffsetDateTime utc(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

	/** An identity as the network holds it: kind and value, without a brand. */
	public record Held(String kind, String value) {

		public static Held of(Identity identity) {
			return new Held(identity.kind().wireName(), identity.value());
		}

	}

	/** A person at a brand. */
	public record Membership(String brandId, long personId) {
	}

}
