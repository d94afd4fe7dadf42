package bot.resonance.identity;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import bot.resonance.identity.internal.MemberRepository;
import bot.resonance.identity.internal.PeopleRepository;
import org.springframework.beans.factory.ObjectProvider;
import bot.resonance.platform.Transactions;
import bot.resonance.platform.db.BrandLock;
import bot.resonance.platform.db.PipelinedQuery;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Finds members by identity, creating them (and the people behind them) on first sight,
 * and links identities, merging members and people that turn out to be one.
 */
@Service
public class Members {

	private final MemberRepository repository;

	private final IdentityProperties properties;

	private final BrandLock brandLock;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	private final PeopleRepository people;

	private final ObjectProvider<PersonHoldings> holdings;

	Members(MemberRepository repository, PeopleRepository people, ObjectProvider<PersonHoldings> holdings,
			IdentityProperties properties, BrandLock brandLock, ApplicationEventPublisher events, Clock clock) {
		this.repository = repository;
		this.people = people;
		this.holdings = holdings;
		this.properties = properties;
		this.brandLock = brandLock;
		this.events = events;
		this.clock = clock;
	}

	/**
	 * Gives the member behind {@code member} (created if never seen) the identity
	 * {@code added}. If {@code added} belongs to another member of the brand, or to
	 * another person, they are one person: the other is merged into this one
	 * ({@link MembersMerged}, {@link PeopleMerged}, in this transaction, which holds the
	 * brands' locks so no event of theirs is decided while the two are half merged).
	 * @throws IdentityHeldElsewhere if {@code added} belongs to another person that other
	 * brands know or that holds something of the network's: only that person's
	 * confirmation links it ({@link #linkConfirmed})
	 */
	@Transactional
	public Linked link(Identity member, Identity added) {
		return link(member, added, false);
	}

	/**
	 * As {@link #link}, with the confirmation of the person who holds {@code added} (they
	 * proved they control it): merges that person into the member's whichever brands know
	 * them.
	 */
	@Transactional
	public Linked linkConfirmed(Identity member, Identity added) {
		return link(member, added, true);
	}

	private Linked link(Identity memberIdentity, Identity added, boolean confirmed) {
		if (!added.brandId().equals(memberIdentity.brandId())) {
			throw new IllegalArgumentException("An identity links to a member of its own brand");
		}
		String brandId = memberIdentity.brandId();
		// Every brand lock the link may need, in one sorted statement before any other
		// lock: brands, then members, then people, then accounts is the order of every
		// path, so links, events and payments cannot deadlock.
		Set<String> locked = brandsToLock(memberIdentity, added);
		this.brandLock.lockAll(locked);
		Member survivor = resolveOrCreate(List.of(memberIdentity)).get(memberIdentity);
		Instant now = this.clock.instant();
		PeopleRepository.Held held = PeopleRepository.Held.of(added);
		Long holder = this.people.holders(List.of(held)).get(held);
		if (holder == null) {
			this.people.attach(List.of(added), new long[] { survivor.id() }, new long[] { survivor.personId() }, now);
			holder = this.people.holders(List.of(held)).get(held);
		}
		Member mergedHere = null;
		if (holder != null && holder != survivor.personId()) {
			mergedHere = mergePeople(memberIdentity, added, survivor, holder, confirmed, locked);
			survivor = findByIds(brandId, List.of(survivor.id())).get(survivor.id());
		}
		long owner = attach(added, survivor);
		if (owner == survivor.id()) {
			return new Linked(survivor, mergedHere);
		}
		// Another member of this brand, the same person: two members merge.
		Member absorbed = findByIds(brandId, List.of(owner)).get(owner);
		mergeMembers(survivor, absorbed, now);
		return new Linked(findByIds(brandId, List.of(survivor.id())).get(survivor.id()), absorbed);
	}

	/**
	 * Merges the person {@code holder} into the survivor's person: where both are members
	 * of a brand, the members merge; everything else of the absorbed person follows.
	 * @return the member of the survivor's brand merged into the survivor, if there was
	 * one
	 */
	private @Nullable Member mergePeople(Identity memberIdentity, Identity added, Member survivor, long holder,
			boolean confirmed, Set<String> lockedBrands) {
		long person = survivor.personId();
		// The members that merge, locked before the people (a payment holds its member,
		// then its person).
		Map<String, Long> before = this.people.membershipsOf(holder);
		before.keySet().retainAll(this.people.membershipsOf(person).keySet());
		before.values().stream().sorted().forEach((member) -> this.repository.lockById(member));
		Map<Long, @Nullable Long> merged = this.people.lockExclusive(List.of(person, holder));
		if (merged.get(person) != null || merged.get(holder) != null) {
			throw new ConcurrentMerge();
		}
		if (!confirmed && (this.people.memberElsewhere(holder, survivor.brandId())
				|| this.holdings.getIfAvailable(() -> (id) -> false).holdsAnything(holder))) {
			throw new IdentityHeldElsewhere(memberIdentity, added, holder);
		}
		Instant now = this.clock.instant();
		Map<String, Long> absorbedMemberships = this.people.membershipsOf(holder);
		Map<String, Long> survivorMemberships = this.people.membershipsOf(person);
		// Identities and members follow first (the absorbed person's identities are found
		// through its members); then the members of the brands both belong to merge.
		this.people.absorb(person, holder, now);
		Member mergedHere = null;
		for (Map.Entry<String, Long> membership : absorbedMemberships.entrySet()) {
			Long kept = survivorMemberships.get(membership.getKey());
			if (kept == null) {
				continue;
			}
			if (!lockedBrands.contains(membership.getKey()) || !before.containsKey(membership.getKey())) {
				// A membership appeared since the locks were chosen: try again.
				throw new ConcurrentMerge();
			}
			String brand = membership.getKey();
			Map<Long, Member> both = findByIds(brand, List.of(kept, membership.getValue()));
			Member absorbed = both.get(membership.getValue());
			mergeMembers(both.get(kept), absorbed, now);
			if (brand.equals(survivor.brandId())) {
				mergedHere = absorbed;
			}
		}
		this.events.publishEvent(new PeopleMerged(person, holder, now));
		return mergedHere;
	}

	/**
	 * The brands whose locks a link needs: its own, and those where the member's person
	 * and the identity's holder are both members (their members merge). Read without
	 * locks; the merge checks it still holds once everything is locked.
	 */
	private Set<String> brandsToLock(Identity memberIdentity, Identity added) {
		Set<String> brands = new java.util.TreeSet<>();
		brands.add(memberIdentity.brandId());
		Optional<Member> member = find(memberIdentity);
		Optional<Long> holder = holderOf(added);
		if (member.isPresent() && holder.isPresent() && holder.get() != member.get().personId()) {
			Set<String> shared = new HashSet<>(this.people.membershipsOf(holder.get()).keySet());
			shared.retainAll(this.people.membershipsOf(member.get().personId()).keySet());
			brands.addAll(shared);
		}
		return brands;
	}

	/**
	 * The person this one is now: itself, or the person it was merged into. Reads without
	 * locking (to name someone, not to move their balance: see {@link #holdPeople}).
	 */
	public long currentPerson(long personId) {
		return this.people.current(personId);
	}

	/** Merges a member of a brand into another of the same brand. */
	private void mergeMembers(Member survivor, Member absorbed, Instant now) {
		// Before anything reads its balances: a balance change outside the event pipeline
		// holds a shared lock on the member while it moves money.
		lock(absorbed, true);
		this.events.publishEvent(new MembersMerged(survivor.brandId(), survivor, absorbed, now));
		absorb(survivor, absorbed);
	}

	/**
	 * Another transaction merged one of the two people meanwhile; the caller may retry.
	 */
	public static final class ConcurrentMerge extends RuntimeException {

		ConcurrentMerge() {
			super("Another link merged one of these people at the same time; try again.");
		}

	}

	/**
	 * The member behind each identity, creating members (and people) for identities never
	 * seen before. An identity a brand sees first that belongs to a person another brand
	 * knows reaches that person: the brand's member of them (created if needed). Works on
	 * any number of identities and brands at once, in the caller's transaction. If
	 * another transaction creates the same identity concurrently, its member is used.
	 */
	public Map<Identity, Member> resolveOrCreate(Collection<Identity> identities) {
		Transactions.requireActive("Resolving members");
		Set<Identity> wanted = new LinkedHashSet<>(identities);
		if (wanted.isEmpty()) {
			return new HashMap<>();
		}
		Instant now = this.clock.instant();
		// The usual cases in one statement: identities the brand knows, identities nobody
		// holds (first sight: person, member and identity created), and identities that
		// other brands know (their people locked, for the statement that joins them).
		PeopleRepository.Resolved resolved = this.people.findOrCreateFresh(List.copyOf(wanted), now);
		Map<Identity, Member> found = new HashMap<>(resolved.found());
		Map<Identity, PeopleRepository.Created> fresh = resolved.created();
		fresh.forEach((identity, created) -> found.put(identity,
				new Member(identity.brandId(), created.memberId(), created.personId(), MemberStatus.ACTIVE, now)));
		found.putAll(this.people.joinLocked(resolved.held(), now));
		List<Identity> missing = new ArrayList<>();
		for (Identity identity : wanted) {
			if (!found.containsKey(identity)) {
				missing.add(identity);
			}
		}
		if (missing.isEmpty()) {
			return found;
		}
		// Identities claimed at the same time by another transaction, or by the first
		// statement for another brand of the same batch (the same person seen at another
		// brand first).
		Map<Identity, Member> joined = this.people.joinHeld(missing, now);
		found.putAll(joined);
		missing.removeIf(joined::containsKey);
		if (missing.isEmpty()) {
			return found;
		}
		Set<PeopleRepository.Held> held = new LinkedHashSet<>();
		missing.forEach((identity) -> held.add(PeopleRepository.Held.of(identity)));
		Map<PeopleRepository.Held, Long> persons = livePeople(this.people.claim(held, now));
		Set<PeopleRepository.Membership> wantedMemberships = new LinkedHashSet<>();
		for (Identity identity : missing) {
			wantedMemberships.add(new PeopleRepository.Membership(identity.brandId(),
					persons.get(PeopleRepository.Held.of(identity))));
		}
		Map<PeopleRepository.Membership, Long> memberships = this.people.memberships(wantedMemberships, now);
		long[] memberIds = new long[missing.size()];
		long[] personIds = new long[missing.size()];
		for (int i = 0; i < missing.size(); i++) {
			Identity identity = missing.get(i);
			personIds[i] = persons.get(PeopleRepository.Held.of(identity));
			memberIds[i] = memberships.get(new PeopleRepository.Membership(identity.brandId(), personIds[i]));
		}
		this.people.attach(missing, memberIds, personIds, now);
		found.putAll(this.repository.findByIdentities(missing));
		return found;
	}

	/**
	 * Holds the people identities belong to (shared locks, until the transaction ends),
	 * following merges that committed before the locks were granted.
	 */
	private Map<PeopleRepository.Held, Long> livePeople(Map<PeopleRepository.Held, Long> persons) {
		Map<PeopleRepository.Held, Long> live = new HashMap<>(persons);
		for (int round = 0; round < 100; round++) {
			Map<Long, @Nullable Long> locked = this.people.lockShared(live.values());
			List<PeopleRepository.Held> stale = new ArrayList<>();
			live.forEach((identity, person) -> {
				if (!locked.containsKey(person) || locked.get(person) != null) {
					stale.add(identity);
				}
			});
			if (stale.isEmpty()) {
				return live;
			}
			live.putAll(this.people.holders(stale));
		}
		throw new ConcurrentMerge();
	}

	/**
	 * Holds people for a change of their network balance until the transaction ends
	 * (shared: changes do not wait for each other, only for a merge of the person) and
	 * returns, for each, the person it is now: itself, or the person it was merged into.
	 * Hold people before locking their accounts.
	 */
	public Map<Long, Long> holdPeople(Collection<Long> personIds) {
		Transactions.requireActive("Holding people");
		Map<Long, Long> live = new HashMap<>();
		personIds.forEach((id) -> live.put(id, id));
		for (int hops = 0; hops < 1_000; hops++) {
			Map<Long, @Nullable Long> locked = this.people.lockShared(new HashSet<>(live.values()));
			boolean moved = false;
			for (Map.Entry<Long, Long> entry : live.entrySet()) {
				Long into = locked.get(entry.getValue());
				if (into != null) {
					entry.setValue(into);
					moved = true;
				}
			}
			if (!moved) {
				return live;
			}
		}
		throw new IllegalStateException("People were merged in a loop");
	}

	/** As {@link #holdPeople}, for one person: the person they are now, held. */
	public long holdPerson(long personId) {
		return holdPeople(List.of(personId)).get(personId);
	}

	/** A person, if they exist. */
	public Optional<Person> person(long personId) {
		return this.people.find(personId);
	}

	/** People by id. */
	public Map<Long, Person> people(Collection<Long> personIds) {
		return this.people.findAll(personIds);
	}

	/**
	 * The brand's member for a person (created if the person is not a member of the brand
	 * yet), in the caller's transaction.
	 */
	public Member membership(String brandId, long personId) {
		Transactions.requireActive("Joining a brand");
		long member = this.people
			.memberships(List.of(new PeopleRepository.Membership(brandId, personId)), this.clock.instant())
			.get(new PeopleRepository.Membership(brandId, personId));
		return findByIds(brandId, List.of(member)).get(member);
	}

	/** The person an identity belongs to, whichever brand attached it, if anyone's. */
	public Optional<Long> holderOf(Identity identity) {
		PeopleRepository.Held held = PeopleRepository.Held.of(identity);
		return Optional.ofNullable(this.people.holders(List.of(held)).get(held));
	}

	/** The person's email addresses, oldest first, whichever brand attached them. */
	public List<String> emailsOf(long personId) {
		return this.people.identitiesOf(personId, IdentityKind.EMAIL);
	}

	/** The person's Discord user ids, oldest first, whichever brand attached them. */
	public List<String> discordIdsOf(long personId) {
		return this.people.identitiesOf(personId, IdentityKind.DISCORD);
	}

	/**
	 * The members the identities' brands know them as (identities never seen are absent),
	 * as a query to send with others in one round trip
	 * ({@link bot.resonance.platform.db.StatementPipeline}). Only reads: a caller that
	 * finds some identities unknown creates their members with {@link #resolveOrCreate}.
	 */
	public PipelinedQuery<Map<Identity, Member>> findingKnown(Collection<Identity> identities) {
		return this.repository.findingByIdentities(identities);
	}

	/** The member behind an identity, if it was ever seen. */
	public Optional<Member> find(Identity identity) {
		return Optional.ofNullable(this.repository.findByIdentities(List.of(identity)).get(identity));
	}

	public Map<Long, Member> findByIds(String brandId, Collection<Long> memberIds) {
		if (memberIds.isEmpty()) {
			return Map.of();
		}
		return this.repository.findByIds(brandId, memberIds);
	}

	/**
	 * How many members of a brand were first seen in [{@code from}, {@code to}), per UTC
	 * hour or day ({@code unit}), keyed by the start of the hour or day. Members since
	 * merged into another are not counted: the person is counted once, as the survivor.
	 */
	public Map<Instant, Long> newMembers(String brandId, Instant from, Instant to, ChronoUnit unit) {
		String bucket = switch (unit) {
			case HOURS -> "hour";
			case DAYS -> "day";
			default -> throw new IllegalArgumentException("New members are counted per hour or day, not " + unit);
		};
		return this.repository.createdPerBucket(brandId, from, to, bucket);
	}

	/** The identities of members, oldest first, per member. */
	public Map<Long, List<Identity>> identities(String brandId, Collection<Long> memberIds) {
		if (memberIds.isEmpty()) {
			return Map.of();
		}
		return this.repository.identities(brandId, memberIds);
	}

	/**
	 * How each member is named to the brand ({@link UserIdentifier#of}): a wallet the
	 * brand linked, else the person's network wallet.
	 */
	public Map<Long, UserIdentifier> bestIdentifiers(String brandId, Collection<Long> memberIds) {
		Map<Long, UserIdentifier> best = new HashMap<>();
		if (memberIds.isEmpty()) {
			return best;
		}
		Map<Long, Member> found = findByIds(brandId, memberIds);
		Map<Long, Person> persons = this.people
			.findAll(found.values().stream().map(Member::personId).collect(java.util.stream.Collectors.toSet()));
		Map<Long, List<Identity>> identities = identities(brandId, memberIds);
		found.forEach((id, member) -> {
			Person person = persons.get(member.personId());
			if (person != null) {
				best.put(id, UserIdentifier.of(identities.getOrDefault(id, List.of()), person));
			}
		});
		return best;
	}

	/**
	 * Gives a member an identity in the caller's transaction, unless it belongs to a
	 * member already; returns the member it belongs to now.
	 */
	private long attach(Identity identity, Member member) {
		Transactions.requireActive("Linking an identity");
		if (!identity.brandId().equals(member.brandId())) {
			throw new IllegalArgumentException("An identity links to a member of its own brand");
		}
		return this.repository.attach(identity, member.id(), this.clock.instant());
	}

	/**
	 * Locks a member until the transaction ends: {@code exclusive} for a merge, shared
	 * for anything that moves the member's balance outside the event pipeline. A balance
	 * change that takes the shared lock and then re-reads the member behind its identity
	 * cannot land on a member merged away meanwhile.
	 */
	public void lock(Member member, boolean exclusive) {
		Transactions.requireActive("Locking a member");
		this.repository.lock(member.brandId(), member.id(), exclusive);
	}

	/**
	 * Holds a member for a change of its balance until the transaction ends, and returns
	 * it as it is then — or, if it was merged into another member (before, or by a merge
	 * that committed while this waited), that member, held. The hold is shared: balance
	 * changes do not wait for each other, only for a merge ({@link #link} locks the
	 * member it absorbs exclusively before anything moves its balance), so a change that
	 * holds its member first never lands on a member merged away. Hold members before
	 * locking their accounts ({@code ledger.Ledger#transfer}).
	 */
	public Member hold(Member member) {
		Transactions.requireActive("Holding a member");
		long id = member.id();
		// Merges of merges form a chain; each step is one locked read.
		for (int hops = 0; hops < 1_000; hops++) {
			MemberRepository.Locked locked = this.repository.lockShared(member.brandId(), id)
				.orElseThrow(() -> new IllegalStateException("Member " + member.id() + " does not exist"));
			if (locked.mergedInto() == null) {
				return locked.member();
			}
			id = locked.mergedInto();
		}
		throw new IllegalStateException("Member " + member.id() + " was merged in a loop");
	}

	/**
	 * As {@link #hold(Member)}, for the member behind an identity, if it was ever seen.
	 */
	public Optional<Member> hold(Identity identity) {
		return find(identity).map(this::hold);
	}

	/**
	 * Moves every identity of {@code absorbed} to {@code survivor} and marks it merged,
	 * in the caller's transaction; the survivor is disabled if either was.
	 */
	private void absorb(Member survivor, Member absorbed) {
		Transactions.requireActive("Merging members");
		if (!survivor.brandId().equals(absorbed.brandId()) || survivor.id() == absorbed.id()) {
			throw new IllegalArgumentException("Only two different members of one brand can be merged");
		}
		this.repository.absorb(survivor.brandId(), survivor.id(), absorbed.id(), this.clock.instant());
	}

	/**
	 * A link made.
	 *
	 * @param member the member, after the link (and merge)
	 * @param mergedFrom the member merged into it, if the identity belonged to one
	 */
	public record Linked(Member member, @Nullable Member mergedFrom) {
	}

	/**
	 * Sets a member's status, creating the member if the identity was never seen (so a
	 * brand can disable someone before their first event).
	 */
	@Transactional
	public Member setStatus(Identity identity, MemberStatus status) {
		Member member = resolveOrCreate(List.of(identity)).get(identity);
		return this.repository.updateStatus(member.brandId(), member.id(), status, this.clock.instant()).orElseThrow();
	}

}
