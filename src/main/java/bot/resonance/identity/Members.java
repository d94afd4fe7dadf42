package bot.resonance.identity;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import bot.resonance.identity.internal.MemberRepository;
import bot.resonance.platform.Transactions;
import bot.resonance.platform.db.BrandLock;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Finds members by identity, creating them on first sight.
 */
@Service
public class Members {

	private final MemberRepository repository;

	private final IdentityProperties properties;

	private final BrandLock brandLock;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	Members(MemberRepository repository, IdentityProperties properties, BrandLock brandLock,
			ApplicationEventPublisher events, Clock clock) {
		this.repository = repository;
		this.properties = properties;
		this.brandLock = brandLock;
		this.events = events;
		this.clock = clock;
	}

	/**
	 * Gives the member behind {@code member} (created if never seen) the identity
	 * {@code added}. If {@code added} belongs to another member, the two are one person:
	 * the other member is merged into this one ({@link MembersMerged}, in this
	 * transaction, which holds the brand's lock so no event of the brand is decided while
	 * the two are half merged).
	 */
	@Transactional
	public Linked link(Identity member, Identity added) {
		this.brandLock.lock(member.brandId());
		Member survivor = resolveOrCreate(List.of(member)).get(member);
		long owner = attach(added, survivor);
		if (owner == survivor.id()) {
			return new Linked(survivor, null);
		}
		Member absorbed = findByIds(survivor.brandId(), List.of(owner)).get(owner);
		// Before anything reads its balances: a balance change outside the event pipeline
		// holds a shared lock on the member while it moves money.
		lock(absorbed, true);
		this.events.publishEvent(new MembersMerged(survivor.brandId(), survivor, absorbed, this.clock.instant()));
		absorb(survivor, absorbed);
		return new Linked(findByIds(survivor.brandId(), List.of(survivor.id())).get(survivor.id()), absorbed);
	}

	/**
	 * The member behind each identity, creating members for identities never seen before.
	 * Works on any number of identities and brands at once, in the caller's transaction.
	 * If another transaction creates the same identity concurrently, its member is used.
	 */
	public Map<Identity, Member> resolveOrCreate(Collection<Identity> identities) {
		Transactions.requireActive("Resolving members");
		Set<Identity> wanted = new LinkedHashSet<>(identities);
		Map<Identity, Member> found = new HashMap<>(this.repository.findByIdentities(wanted));
		List<Identity> missing = new ArrayList<>();
		for (Identity identity : wanted) {
			if (!found.containsKey(identity)) {
				missing.add(identity);
			}
		}
		if (missing.isEmpty()) {
			return found;
		}
		Instant now = this.clock.instant();
		List<String> orphanBrands = new ArrayList<>();
		List<Long> orphanIds = new ArrayList<>();
		List<Identity> lost = new ArrayList<>();
		for (MemberRepository.Created created : this.repository.create(missing, now)) {
			if (created.won()) {
				found.put(created.identity(),
						new Member(created.identity().brandId(), created.memberId(), MemberStatus.ACTIVE, now));
			}
			else {
				orphanBrands.add(created.identity().brandId());
				orphanIds.add(created.memberId());
				lost.add(created.identity());
			}
		}
		if (!lost.isEmpty()) {
			// Someone else created these identities first: drop our members, use theirs.
			this.repository.deleteMembers(orphanBrands.toArray(String[]::new),
					orphanIds.stream().mapToLong(Long::longValue).toArray());
			found.putAll(this.repository.findByIdentities(lost));
		}
		return found;
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

	/** The best identifier of each member that has an identity. */
	public Map<Long, UserIdentifier> bestIdentifiers(String brandId, Collection<Long> memberIds) {
		Map<Long, UserIdentifier> best = new HashMap<>();
		identities(brandId, memberIds).forEach((member, identities) -> UserIdentifier.best(identities, this.properties)
			.ifPresent((identifier) -> best.put(member, identifier)));
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
