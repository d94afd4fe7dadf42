package bot.resonance.rewards.internal.ingest;

import bot.resonance.rewards.Submission;
import bot.resonance.rewards.RejectionCode;
import bot.resonance.rewards.IngestOutcome;
import bot.resonance.rewards.EventRequest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import bot.resonance.brands.Brand;
import bot.resonance.brands.Brands;
import bot.resonance.identity.Identity;
import bot.resonance.identity.Member;
import bot.resonance.identity.Members;
import bot.resonance.ledger.AccountKey;
import bot.resonance.platform.db.PipelinedQuery;
import bot.resonance.platform.jobs.JobKey;
import bot.resonance.ledger.Ledger;
import bot.resonance.ledger.NetworkCurrency;
import bot.resonance.ledger.PostedTransfer;
import bot.resonance.ledger.TransferCode;
import bot.resonance.ledger.TransferContext;
import bot.resonance.ledger.TransferRequest;
import bot.resonance.rewards.internal.types.AmountRules;
import bot.resonance.rewards.internal.types.EventType;
import bot.resonance.rewards.internal.types.EventTypeCatalog;
import bot.resonance.rewards.internal.ingest.BatchPhases.Phase;
import bot.resonance.rewards.internal.ingest.IngestRepository.BrandKey;
import bot.resonance.rewards.RewardMovement;
import bot.resonance.rewards.RewardsRecorded;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import bot.resonance.rewards.internal.types.BrandType;

/**
 * Processes one batch of submissions in the caller's transaction, with set-based SQL: a
 * handful of statements for the whole batch. Order of work:
 * <ol>
 * <li>lock the brands' rate-limit rows (this serializes each brand across nodes), and in
 * the same round trip read the answers stored under the batch's Idempotency-Keys and the
 * members its identities are already known as;</li>
 * <li>take due pending events off the queue; answer replays of an Idempotency-Key;</li>
 * <li>apply the rate limit, refuse invalid requests and disabled types;</li>
 * <li>create the members seen for the first time, load the rule state, lock the paying
 * wallets;</li>
 * <li>decide every event in order: {@link #decide}, a pure function of what was loaded
 * and the time (it applies {@link RewardRules});</li>
 * <li>write: post the awards to the ledger and write events, state and the deferral
 * queue.</li>
 * </ol>
 * Load, decide, write: the decision reads nothing and writes nothing, so it is tested
 * without a database. (Screening a new event, the step before, needs only the rate-limit
 * buckets and the types loaded for it, and decides which members to resolve.) Every
 * signed request is recorded, whatever its outcome.
 */
@Component
class IngestBatchProcessor {

	private final IngestRepository repository;

	private final EventTypeCatalog eventTypes;

	private final Members members;

	private final Ledger ledger;

	private final Brands brands;

	private final JsonMapper json;

	private final Clock clock;

	private final ApplicationEventPublisher events;

	private final NetworkCurrency network;

	IngestBatchProcessor(IngestRepository repository, EventTypeCatalog eventTypes, Members members, Ledger ledger,
			NetworkCurrency network, Brands brands, JsonMapper json, Clock clock, ApplicationEventPublisher events) {
		this.network = network;
		this.events = events;
		this.repository = repository;
		this.eventTypes = eventTypes;
		this.members = members;
		this.ledger = ledger;
		this.brands = brands;
		this.json = json;
		this.clock = clock;
	}

	/**
	 * Processes {@code batch} in the caller's transaction, ending each of {@code laps}'
	 * phases as it goes (all but the commit, which is the caller's).
	 */
	List<IngestOutcome> process(List<Submission> batch, BatchPhases.Laps laps) {
		return new Run(batch, laps).execute();
	}

	/** The state of processing one batch. */
	private final class Run {

		private final List<Submission> batch;

		private final BatchPhases.Laps laps;

		private final Instant now = IngestBatchProcessor.this.clock.instant();

		private final IngestOutcome[] outcomes;

		/** New events that reach the rules, by batch index. */
		private final Map<Integer, Candidate> candidates = new LinkedHashMap<>();

		/**
		 * Batch index of the first occurrence of each Idempotency-Key, for its
		 * duplicates.
		 */
		private final Map<Integer, Integer> followers = new HashMap<>();

		private final Map<Integer, EventRow> rows = new LinkedHashMap<>();

		private final List<ProcessedRow> processed = new ArrayList<>();

		private final List<IngestRepository.Deferral> deferrals = new ArrayList<>();

		/** The members whose rule state {@link #typeStates} holds. */
		private final Set<MemberKey> stateMembers = new HashSet<>();

		/** The rule state of the members concerned, as read. */
		private final Map<MemberTypeKey, TypeState> typeStates = new HashMap<>();

		/** The member's balance after each decided event, by event id. */
		private final Map<String, Long> balances = new HashMap<>();

		Run(List<Submission> batch, BatchPhases.Laps laps) {
			this.batch = batch;
			this.laps = laps;
			this.outcomes = new IngestOutcome[batch.size()];
		}

		List<IngestOutcome> execute() {
			Set<String> brandIds = new TreeSet<>();
			this.batch.forEach((submission) -> brandIds.add(submission.brandId()));
			// What the batch reads that needs only its requests goes with the lock, in
			// one round trip: the answers stored under its Idempotency-Keys, and the
			// members its identities are known as.
			PipelinedQuery<Map<BrandKey, StoredResponse>> stored = IngestBatchProcessor.this.repository
				.storedResponses(idempotencyKeys());
			Set<Identity> identities = new HashSet<>();
			for (Submission submission : this.batch) {
				if (submission instanceof Submission.NewEvent event && event.request().isValid()) {
					identityOf(event).ifPresent(identities::add);
				}
			}
			PipelinedQuery<Map<Identity, Member>> known = IngestBatchProcessor.this.members.findingKnown(identities);
			Map<String, TokenBucket> rateLimits = IngestBatchProcessor.this.repository.startBatch(List.copyOf(brandIds),
					stored, known);
			this.laps.end(Phase.LOCK);

			List<Due> due = takeDue();
			screenNewEvents(rateLimits, stored.result());

			Set<BrandType> typeKeys = new HashSet<>();
			this.candidates.values()
				.forEach((c) -> typeKeys.add(new BrandType(c.brand.brandId(), c.request.eventType())));
			Map<BrandType, EventType> types = new HashMap<>(IngestBatchProcessor.this.eventTypes.find(typeKeys));
			checkTypes(types);
			this.laps.end(Phase.SCREEN);

			// Members are created for the identities seen first, among the events that
			// passed the screening only.
			Map<Identity, Member> found = new HashMap<>(known.result());
			Set<Identity> unknown = new LinkedHashSet<>();
			this.candidates.values().forEach((c) -> {
				if (!found.containsKey(c.identity)) {
					unknown.add(c.identity);
				}
			});
			if (!unknown.isEmpty()) {
				found.putAll(IngestBatchProcessor.this.members.resolveOrCreate(unknown));
			}
			this.candidates.values().forEach((c) -> c.member = found.get(c.identity));
			this.laps.end(Phase.MEMBERS);
			// One statement reads the rule state of every member concerned and the due
			// pending events of the members rewarded now.
			Set<MemberKey> rewarded = new HashSet<>();
			this.candidates.values().forEach((c) -> rewarded.add(new MemberKey(c.brand.brandId(), c.member.id())));
			this.stateMembers.addAll(rewarded);
			due.forEach((d) -> this.stateMembers.add(new MemberKey(d.row.brandId(), d.row.memberId())));
			IngestRepository.MemberState memberState = IngestBatchProcessor.this.repository
				.memberState(this.stateMembers, rewarded, this.now);
			this.typeStates.putAll(memberState.typeStates());
			due.addAll(takeDueOfCandidates(due, memberState.due()));
			due.sort(Comparator.comparing((Due d) -> d.row.eventId()));

			Set<BrandType> dueTypeKeys = new HashSet<>();
			due.forEach((d) -> dueTypeKeys.add(new BrandType(d.row.brandId(), d.row.eventType())));
			dueTypeKeys.removeAll(types.keySet());
			types.putAll(IngestBatchProcessor.this.eventTypes.find(dueTypeKeys));
			resolveDueMembers(due);
			this.laps.end(Phase.STATE);

			decideAndWrite(due, types, rateLimits);
			return Arrays.asList(this.outcomes);
		}

		private List<Due> takeDue() {
			Map<BrandKey, Integer> indexes = new HashMap<>();
			for (int i = 0; i < this.batch.size(); i++) {
				if (this.batch.get(i) instanceof Submission.DueEvent dueEvent) {
					indexes.put(new BrandKey(dueEvent.brandId(), dueEvent.eventId()), i);
					this.outcomes[i] = new IngestOutcome.Skipped();
				}
			}
			List<Due> due = new ArrayList<>();
			for (DueEventRow row : IngestBatchProcessor.this.repository.takeDeferrals(indexes.keySet())) {
				Optional<Brand> brand = IngestBatchProcessor.this.brands.find(row.brandId());
				if (brand.isPresent()) {
					due.add(new Due(indexes.get(new BrandKey(row.brandId(), row.eventId())), row, brand.get()));
				}
			}
			return due;
		}

		/**
		 * Takes the due pending events of the members this batch rewards, wherever they
		 * are in the poller's queue: they arrived first, so they must use up a new day's
		 * allowance before today's events do, or a busy member's deferred events would
		 * wait forever.
		 */
		private List<Due> takeDueOfCandidates(List<Due> already, List<JobKey> dueOfRewarded) {
			Set<BrandKey> taken = new HashSet<>();
			already.forEach((d) -> taken.add(new BrandKey(d.row.brandId(), d.row.eventId())));
			List<Due> due = new ArrayList<>();
			for (DueEventRow row : IngestBatchProcessor.this.repository.takeDue(dueOfRewarded)) {
				Optional<Brand> brand = IngestBatchProcessor.this.brands.find(row.brandId());
				if (brand.isPresent() && !taken.contains(new BrandKey(row.brandId(), row.eventId()))) {
					due.add(new Due(-1, row, brand.get()));
				}
			}
			return due;
		}

		private Set<BrandKey> idempotencyKeys() {
			Set<BrandKey> keys = new LinkedHashSet<>();
			for (Submission submission : this.batch) {
				if (submission instanceof Submission.NewEvent event && event.idempotencyKey() != null) {
					keys.add(new BrandKey(event.brandId(), event.idempotencyKey()));
				}
			}
			return keys;
		}

		private void screenNewEvents(Map<String, TokenBucket> rateLimits, Map<BrandKey, StoredResponse> stored) {
			Map<BrandKey, Integer> firstWithKey = new HashMap<>();
			for (int i = 0; i < this.batch.size(); i++) {
				if (!(this.batch.get(i) instanceof Submission.NewEvent event)) {
					continue;
				}
				if (event.idempotencyKey() != null) {
					BrandKey key = new BrandKey(event.brandId(), event.idempotencyKey());
					StoredResponse previous = stored.get(key);
					if (previous != null) {
						this.outcomes[i] = Arrays.equals(previous.requestHash(), event.requestHash())
								? new IngestOutcome.Replayed(previous.status(), previous.body(),
										previous.retryAfterSeconds())
								: new IngestOutcome.KeyReused();
						continue;
					}
					Integer first = firstWithKey.putIfAbsent(key, i);
					if (first != null) {
						this.followers.put(i, first);
						continue;
					}
				}
				TokenBucket bucket = rateLimits.get(event.brandId());
				int limit = event.brand().rateLimitPerMinute();
				if (!bucket.tryAcquire(this.now, limit)) {
					reject(i, event, null, RejectionCode.RATE_LIMITED,
							"Rate limit exceeded: this brand may send " + limit + " requests per minute.",
							bucket.retryAfterSeconds(this.now, limit), false);
					continue;
				}
				if (!event.request().isValid()) {
					reject(i, event, null, RejectionCode.INVALID_REQUEST, event.request().invalidReason(), null, false);
					continue;
				}
				Optional<Identity> identity = identityOf(event);
				if (identity.isEmpty()) {
					reject(i, event, null, RejectionCode.INVALID_REQUEST, "user_id must be a Discord user id.", null,
							false);
					continue;
				}
				this.candidates.put(i, new Candidate(i, event, identity.get()));
			}
		}

		private void checkTypes(Map<BrandType, EventType> types) {
			var iterator = this.candidates.values().iterator();
			while (iterator.hasNext()) {
				Candidate candidate = iterator.next();
				String name = candidate.request.eventType();
				EventType type = types.get(new BrandType(candidate.brand.brandId(), name));
				if (type == null || !type.enabled()) {
					reject(candidate.index, candidate.event, null, RejectionCode.EVENT_DISABLED,
							(type == null)
									? "Event type '" + name
											+ "' is not configured for this brand. Create and enable it first."
									: "Event type '" + name + "' is disabled. Enable it for this brand first.",
							null, candidate.event.refusalsBindKey());
					iterator.remove();
					continue;
				}
				long amount;
				if (candidate.request.amount() != null) {
					amount = candidate.request.amount();
				}
				else if (type.hasAmountRule()) {
					// A rule's amount is capped by max_amount (a big order earns the most
					// the type pays); an amount the event asks for is refused above it.
					switch (AmountRules.amountOf(type, candidate.request.metadataJson())) {
						case AmountRules.Result.Amount rule -> amount = (type.maxAmount() != null)
								? Math.min(rule.amount(), type.maxAmount()) : rule.amount();
						case AmountRules.Result.Problem problem -> {
							reject(candidate.index, candidate.event, null, RejectionCode.INVALID_REQUEST,
									problem.message(), null, false);
							iterator.remove();
							continue;
						}
					}
				}
				else {
					amount = type.amount();
				}
				Long cap = candidate.request.amountCap();
				long affiliate = (type.affiliateAmount() != null) ? type.affiliateAmount() : 0;
				if (cap != null && amount + affiliate > cap) {
					// The cap bounds everything the event can move, the referrer's payout
					// included, whether or not this member has a referrer today.
					reject(candidate.index, candidate.event, null, RejectionCode.INVALID_REQUEST,
							"This event would move "
									+ ((affiliate > 0) ? amount + " to the member and " + affiliate
											+ " to their referrer (affiliate_amount), " + (amount + affiliate)
											+ " in all" : amount)
									+ ", more than the " + cap + " an unsigned manual event may move. Sign the "
									+ "request with X-Resonance-Signature, or raise unsigned_manual_event_max_amount.",
							null, false);
					iterator.remove();
					continue;
				}
				if (type.maxAmount() != null && amount > type.maxAmount()) {
					reject(candidate.index, candidate.event, null, RejectionCode.INVALID_REQUEST, "amount " + amount
							+ " is larger than the max_amount of event type '" + name + "' (" + type.maxAmount() + ").",
							null, false);
					iterator.remove();
					continue;
				}
				candidate.type = type;
				candidate.amount = amount;
				candidate.currency = type.currencyOr(candidate.brand.defaultCurrency());
			}
		}

		private void resolveDueMembers(List<Due> due) {
			Map<String, Set<Long>> idsByBrand = new HashMap<>();
			due.forEach(
					(d) -> idsByBrand.computeIfAbsent(d.row.brandId(), (b) -> new HashSet<>()).add(d.row.memberId()));
			Map<MemberKey, Member> found = new HashMap<>();
			idsByBrand.forEach((brandId, ids) -> IngestBatchProcessor.this.members.findByIds(brandId, ids)
				.forEach((id, member) -> found.put(new MemberKey(brandId, id), member)));
			due.forEach((d) -> d.member = found.get(new MemberKey(d.row.brandId(), d.row.memberId())));
		}

		private void decideAndWrite(List<Due> due, Map<BrandType, EventType> types,
				Map<String, TokenBucket> rateLimits) {
			RuleState state = loadRuleState(due, types);
			this.laps.end(Phase.WALLETS);
			Decisions decisions = decide(this.now, due, this.candidates.values(), types, state);
			this.laps.end(Phase.DECIDE);
			write(decisions, types, rateLimits);
		}

		/**
		 * Loads what the rules read: the rule state of every member concerned, and the
		 * paying wallets' balances, locked until the transaction ends.
		 */
		private RuleState loadRuleState(List<Due> due, Map<BrandType, EventType> types) {
			Set<MemberKey> memberKeys = new HashSet<>();
			Set<AccountKey> wallets = new HashSet<>();
			Set<Long> rsncPeople = new HashSet<>();
			NetworkCurrency network = IngestBatchProcessor.this.network;
			for (Candidate c : this.candidates.values()) {
				memberKeys.add(new MemberKey(c.brand.brandId(), c.member.id()));
				c.wallet = network.wallet(c.brand.brandId(), c.currency);
				wallets.add(c.wallet);
				if (NetworkCurrency.isNetwork(c.currency)) {
					rsncPeople.add(c.member.personId());
				}
			}
			for (Due d : due) {
				EventType type = types.get(new BrandType(d.row.brandId(), d.row.eventType()));
				if (d.member != null && type != null) {
					memberKeys.add(new MemberKey(d.row.brandId(), d.member.id()));
					String currency = type.currencyOr(d.brand.defaultCurrency());
					d.wallet = network.wallet(d.row.brandId(), currency);
					wallets.add(d.wallet);
					if (NetworkCurrency.isNetwork(currency)) {
						rsncPeople.add(d.member.personId());
					}
				}
			}
			if (!rsncPeople.isEmpty()) {
				// RSNC is paid to people: hold them (a merge of one waits), and pay the
				// person they are now.
				Map<Long, Long> live = IngestBatchProcessor.this.members.holdPeople(rsncPeople);
				this.candidates.values().forEach((c) -> c.member = livePerson(c.member, live));
				due.forEach((d) -> d.member = (d.member != null) ? livePerson(d.member, live) : null);
			}
			// Read with the batch's members already, but for members of pending events
			// that are not.
			memberKeys.removeAll(this.stateMembers);
			if (!memberKeys.isEmpty()) {
				this.typeStates.putAll(IngestBatchProcessor.this.repository.typeStates(memberKeys));
			}
			// The members' accounts an award would credit are found with the wallets'
			// locks; a first-seen member's gets an id there and is opened by the posting
			// with its award (no statement of its own, and one row written, not two).
			Set<AccountKey> payees = new HashSet<>();
			for (Candidate c : this.candidates.values()) {
				payees.add(NetworkCurrency.holder(c.brand.brandId(), c.currency, c.member.id(), c.member.personId()));
			}
			for (Due d : due) {
				EventType type = types.get(new BrandType(d.row.brandId(), d.row.eventType()));
				if (d.member != null && type != null) {
					payees.add(NetworkCurrency.holder(d.row.brandId(), type.currencyOr(d.brand.defaultCurrency()),
							d.member.id(), d.member.personId()));
				}
			}
			return new RuleState(this.typeStates, IngestBatchProcessor.this.ledger.lockAvailable(wallets, payees));
		}

		/**
		 * Whom a valid request is about: the identity it names, or its Discord user;
		 * empty if its user id is not one.
		 */
		private static Optional<Identity> identityOf(Submission.NewEvent event) {
			return (event.request().identity() != null) ? Optional.of(event.request().identity())
					: Identity.discord(event.brandId(), event.request().userId());
		}

		private static Member livePerson(Member member, Map<Long, Long> live) {
			Long person = live.get(member.personId());
			return (person == null || person == member.personId()) ? member
					: new Member(member.brandId(), member.id(), person, member.status(), member.createdAt());
		}

		/**
		 * Posts the awards, records every decision (events, answers, the deferral queue,
		 * the rule state that changed) and announces the movements.
		 */
		private void write(Decisions decisions, Map<BrandType, EventType> types, Map<String, TokenBucket> rateLimits) {
			List<Decided> decided = decisions.decided();
			Map<String, Long> balanceAfterAward = new HashMap<>();
			for (PostedTransfer posted : IngestBatchProcessor.this.ledger.post(decisions.transfers())) {
				balanceAfterAward.put(posted.reference(), posted.creditBalanceAfter());
			}
			Set<AccountKey> pendingAccounts = new HashSet<>();
			for (Decided d : decided) {
				if (d.decision instanceof Decision.Defer && d.member != null) {
					pendingAccounts.add(holder(d));
				}
			}
			Map<AccountKey, Long> pendingBalances = IngestBatchProcessor.this.ledger.balances(pendingAccounts);
			this.laps.end(Phase.POST);

			for (Decided d : decided) {
				long balance = switch (d.decision) {
					case Decision.Award award -> balanceAfterAward.get(d.eventId());
					case Decision.Defer defer -> pendingBalances.getOrDefault(holder(d), 0L);
					case Decision.Reject reject -> 0L;
				};
				this.balances.put(d.eventId(), balance);
				if (d.work instanceof Candidate c) {
					record(c, d.decision, balance);
				}
				else if (d.work instanceof Due due1) {
					recordDue(due1, d.decision, d.currency, balance);
				}
			}
			resolveFollowers();
			List<RewardMovement> movements = movements(decided, types);

			IngestBatchProcessor.this.repository.write(new IngestRepository.BatchWrites(List.copyOf(this.rows.values()),
					this.processed, decisions.changedStates(), this.deferrals, rateLimits), this.now);
			if (!movements.isEmpty()) {
				IngestBatchProcessor.this.events.publishEvent(new RewardsRecorded(movements));
			}
			this.laps.end(Phase.RECORD);
		}

		/**
		 * A rejection's message. Manual events (by email, from other systems) are told
		 * plainly that a repeat within the cooldown is a duplicate; event API answers
		 * keep the documented message.
		 */
		private String message(Candidate c, Decision.Reject reject) {
			if (reject.code() == RejectionCode.COOLDOWN_ACTIVE && !c.event.source().equals("api")) {
				return "Not rewarded twice: this member already earned '" + c.type.name()
						+ "' within its cooldown, so this event counts as a duplicate."
						+ ((reject.retryAfterSeconds() != null)
								? " It can be earned again in " + reject.retryAfterSeconds() + " s." : "");
			}
			return reject.message();
		}

		/**
		 * The reward movements of the batch: every reward paid, accepted as pending or
		 * refused although due (a disabled member, an empty wallet), and how pending
		 * events came out. Events the rules never considered due (in cooldown, invalid,
		 * of a disabled type) are not movements.
		 */
		private List<RewardMovement> movements(List<Decided> decided, Map<BrandType, EventType> types) {
			List<RewardMovement> movements = new ArrayList<>();
			for (Decided d : decided) {
				if (d.member == null) {
					continue;
				}
				boolean wasPending = d.work instanceof Due;
				RewardMovement.Status status;
				String details = null;
				switch (d.decision) {
					case Decision.Award award -> status = RewardMovement.Status.ACCEPTED;
					case Decision.Defer defer -> {
						if (wasPending) {
							continue; // still pending: nothing new to tell
						}
						status = RewardMovement.Status.PENDING;
						details = defer.reason().name();
					}
					case Decision.Reject reject -> {
						if (!wasPending && reject.code() == RejectionCode.COOLDOWN_ACTIVE) {
							continue;
						}
						status = RewardMovement.Status.REJECTED;
						details = reject.code().name();
					}
				}
				String userId;
				String guildId;
				String eventType;
				Long affiliateAmount;
				Long amountCap;
				switch (d.work) {
					case Candidate c -> {
						userId = c.request.userId();
						guildId = c.request.serverId();
						eventType = c.type.name();
						affiliateAmount = c.type.affiliateAmount();
						amountCap = c.request.amountCap();
					}
					case Due due -> {
						userId = due.row.userId();
						guildId = due.row.serverId();
						eventType = due.row.eventType();
						EventType type = types.get(new BrandType(due.row.brandId(), due.row.eventType()));
						affiliateAmount = (type != null) ? type.affiliateAmount() : null;
						amountCap = due.row.amountCap();
					}
				}
				movements.add(new RewardMovement(d.member.brandId(), d.eventId(), d.member.id(), userId, guildId,
						eventType, status, details, d.amount, (d.currency != null) ? d.currency : "",
						this.balances.getOrDefault(d.eventId(), 0L), this.now, RewardMovement.END_USER_PAYOUT,
						affiliateAmount, amountCap));
			}
			return movements;
		}

		private void record(Candidate c, Decision decision, long balance) {
			Submission.NewEvent event = c.event;
			switch (decision) {
				case Decision.Award award -> {
					this.outcomes[c.index] = new IngestOutcome.Awarded(event.eventId(), c.request.userId(),
							award.amount(), balance, c.currency);
					this.rows.put(c.index, row(c.index, event, c.member.id(), c.amount, award.amount(), balance,
							c.currency, "awarded", null, null, null, null, null, true));
				}
				case Decision.Defer defer -> {
					this.outcomes[c.index] = new IngestOutcome.Pending(event.eventId(), c.request.userId(), balance,
							defer.processAfter(), defer.reason());
					this.rows.put(c.index, row(c.index, event, c.member.id(), c.amount, 0, balance, c.currency,
							"pending", null, null, null, defer.reason().name(), defer.processAfter(), true));
					this.deferrals.add(new IngestRepository.Deferral(new BrandKey(event.brandId(), event.eventId()),
							defer.processAfter(), c.request.amountCap()));
				}
				case Decision.Reject reject -> reject(c.index, event, c.member.id(), reject.code(), message(c, reject),
						reject.retryAfterSeconds(), event.refusalsBindKey());
			}
		}

		private void recordDue(Due d, Decision decision, @Nullable String currency, long balance) {
			String brandId = d.row.brandId();
			String eventId = d.row.eventId();
			switch (decision) {
				case Decision.Award award -> {
					answer(d, new IngestOutcome.Awarded(eventId, d.row.userId(), award.amount(), balance, currency));
					this.processed.add(new ProcessedRow(brandId, eventId, "awarded", award.amount(), balance, currency,
							null, null, null, null));
				}
				case Decision.Defer defer -> {
					answer(d, new IngestOutcome.Pending(eventId, d.row.userId(), balance, defer.processAfter(),
							defer.reason()));
					this.processed.add(new ProcessedRow(brandId, eventId, "pending", 0, balance, currency, null, null,
							defer.reason().name(), defer.processAfter()));
					this.deferrals.add(new IngestRepository.Deferral(new BrandKey(brandId, eventId),
							defer.processAfter(), d.row.amountCap()));
				}
				case Decision.Reject reject -> {
					answer(d, new IngestOutcome.Rejected(eventId, reject.code(), reject.message(), null));
					this.processed.add(new ProcessedRow(brandId, eventId, "rejected", 0, null, currency,
							reject.code().name(), reject.message(), null, null));
				}
			}
		}

		/** Answers the poller's submission of a due event, if it came from one. */
		private void answer(Due d, IngestOutcome outcome) {
			if (d.index >= 0) {
				this.outcomes[d.index] = outcome;
			}
		}

		/**
		 * Records a rejection. Only outcomes of the rules bind the Idempotency-Key: a
		 * request refused before them (rate limit, invalid input) may be retried with the
		 * same key, and so may one refused by the rules when its submission says refusals
		 * do not bind ({@link Submission.NewEvent#refusalsBindKey()}).
		 */
		private void reject(int index, Submission.NewEvent event, @Nullable Long memberId, RejectionCode code,
				String message, @Nullable Long retryAfter, boolean bindKey) {
			this.outcomes[index] = new IngestOutcome.Rejected(event.eventId(), code, message, retryAfter);
			Long amount = event.request().amount();
			this.rows.put(index, row(index, event, memberId, amount, 0, null, null, "rejected", code.name(), message,
					(retryAfter != null) ? retryAfter.intValue() : null, null, null, bindKey));
		}

		private EventRow row(int index, Submission.NewEvent event, @Nullable Long memberId, @Nullable Long amount,
				long awarded, @Nullable Long balance, @Nullable String currency, String outcome, @Nullable String code,
				@Nullable String message, @Nullable Integer retryAfter, @Nullable String pendingReason,
				@Nullable Instant processAfter, boolean bindKey) {
			EventRequest request = event.request();
			String key = bindKey ? event.idempotencyKey() : null;
			Integer status = null;
			String body = null;
			if (key != null) {
				EventResponses.Response response = EventResponses.render(this.outcomes[index]);
				status = response.status();
				body = IngestBatchProcessor.this.json.writeValueAsString(response.body());
			}
			return new EventRow(event.brandId(), event.eventId(), request.eventType(), request.userId(),
					request.serverId(), memberId, amount, awarded, balance, currency, outcome, code, message,
					retryAfter, pendingReason, processAfter, request.metadataJson(), key,
					(key != null) ? event.requestHash() : null, status, body, event.source(), event.receivedAt());
		}

		/**
		 * Duplicates of an Idempotency-Key within the batch get the first one's answer.
		 */
		private void resolveFollowers() {
			this.followers.forEach((index, first) -> {
				Submission.NewEvent event = (Submission.NewEvent) this.batch.get(index);
				Submission.NewEvent original = (Submission.NewEvent) this.batch.get(first);
				if (!Arrays.equals(event.requestHash(), original.requestHash())) {
					this.outcomes[index] = new IngestOutcome.KeyReused();
					return;
				}
				EventResponses.Response response = EventResponses.render(this.outcomes[first]);
				this.outcomes[index] = new IngestOutcome.Replayed(response.status(),
						IngestBatchProcessor.this.json.writeValueAsString(response.body()),
						response.retryAfterSeconds());
			});
		}

	}

	/**
	 * Decides every event of the batch, in order: pending events that came due first
	 * (they arrived earlier), then the new ones. Pure: it reads only what it is given and
	 * the time, and changes nothing but the rules' in-memory copy of the state, so that
	 * later events of the batch see earlier rewards.
	 * @return each event's decision, the transfers the awards post, and the rule state
	 * they changed
	 */
	static Decisions decide(Instant now, List<Due> due, Collection<Candidate> candidates,
			Map<BrandType, EventType> types, RuleState state) {
		Map<MemberTypeKey, TypeState> typeStates = new HashMap<>(state.typeStates());
		RewardRules rules = new RewardRules(now, typeStates, new HashMap<>(state.walletBalances()));
		Set<MemberTypeKey> changedTypes = new HashSet<>();
		List<Decided> decided = new ArrayList<>();
		for (Due d : due) {
			EventType type = types.get(new BrandType(d.row.brandId(), d.row.eventType()));
			if (type == null || !type.enabled()) {
				decided.add(new Decided(d, d.member, d.row.amount(), d.brand.defaultCurrency(), new Decision.Reject(
						RejectionCode.EVENT_DISABLED,
						"Event type '" + d.row.eventType() + "' was disabled before this pending event came due.",
						null)));
				continue;
			}
			if (d.member == null) {
				decided.add(new Decided(d, null, 0, null,
						new Decision.Reject(RejectionCode.USER_DISABLED, "The member no longer exists.", null)));
				continue;
			}
			String currency = type.currencyOr(d.brand.defaultCurrency());
			Decision decision = rules.decide(d.member, type, d.row.amount(), d.brand.dailyEventLimit(),
					(d.wallet != null) ? d.wallet : AccountKey.wallet(d.row.brandId(), currency), true);
			track(decision, d.member, type, changedTypes);
			decided.add(new Decided(d, d.member, d.row.amount(), currency, decision));
		}
		for (Candidate c : candidates) {
			Decision decision = rules.decide(c.member, c.type, c.amount, c.brand.dailyEventLimit(),
					(c.wallet != null) ? c.wallet : AccountKey.wallet(c.brand.brandId(), c.currency), false);
			track(decision, c.member, c.type, changedTypes);
			decided.add(new Decided(c, c.member, c.amount, c.currency, decision));
		}

		List<TransferRequest> transfers = new ArrayList<>();
		for (Decided d : decided) {
			if (d.decision instanceof Decision.Award award) {
				String brandId = d.member.brandId();
				TransferContext context = switch (d.work) {
					case Candidate c -> new TransferContext(c.request.userId(), c.request.serverId(), "REWARD");
					case Due pending -> new TransferContext(pending.row.userId(), pending.row.serverId(), "REWARD");
				};
				AccountKey wallet = switch (d.work) {
					case Candidate c -> c.wallet;
					case Due pending -> pending.wallet;
				};
				transfers.add(TransferRequest.of(TransferCode.AWARD, d.eventId(),
						(wallet != null) ? wallet : AccountKey.wallet(brandId, d.currency), holder(d), award.amount())
					.withReference(d.eventId())
					.about(context));
			}
		}
		return new Decisions(List.copyOf(decided), List.copyOf(transfers), subset(typeStates, changedTypes));
	}

	/** Where the member of a decision keeps the decision's currency. */
	static AccountKey holder(Decided d) {
		return NetworkCurrency.holder(d.member.brandId(), d.currency, d.member.id(), d.member.personId());
	}

	private static void track(Decision decision, Member member, EventType type, Set<MemberTypeKey> changedTypes) {
		if (decision instanceof Decision.Award) {
			changedTypes.add(new MemberTypeKey(member.brandId(), member.id(), type.name()));
		}
	}

	/**
	 * What the rules read, loaded (the wallets locked) for one batch.
	 *
	 * @param typeStates the rule state of every member concerned, across all their types
	 * @param walletBalances what each paying wallet can pay
	 */
	record RuleState(Map<MemberTypeKey, TypeState> typeStates, Map<AccountKey, Long> walletBalances) {

	}

	/**
	 * What the rules decided for a batch.
	 *
	 * @param decided every event's decision, in the order decided
	 * @param transfers the awards to post, in the same order
	 * @param changedStates the rule state the awards changed, as it is after them
	 */
	record Decisions(List<Decided> decided, List<TransferRequest> transfers,
			Map<MemberTypeKey, TypeState> changedStates) {

	}

	private static <K, V> Map<K, V> subset(Map<K, V> map, Set<K> keys) {
		Map<K, V> subset = new HashMap<>();
		keys.forEach((key) -> subset.put(key, map.get(key)));
		return subset;
	}

	/** Something the rules decide. */
	sealed interface Work permits Candidate, Due {

	}

	/** A new event that passed the screening. */
	static final class Candidate implements Work {

		final int index;

		final Submission.NewEvent event;

		final EventRequest request;

		final Brand brand;

		final Identity identity;

		Member member;

		EventType type;

		long amount;

		String currency;

		/** The wallet that pays it, once known. */
		@Nullable AccountKey wallet;

		Candidate(int index, Submission.NewEvent event, Identity identity) {
			this.index = index;
			this.event = event;
			this.request = event.request();
			this.brand = event.brand();
			this.identity = identity;
		}

	}

	/** A pending event that came due. */
	static final class Due implements Work {

		/** Its submission's index in the batch, or -1 if taken for its member. */
		final int index;

		final DueEventRow row;

		final Brand brand;

		@Nullable Member member;

		/** The wallet that pays it, once known. */
		@Nullable AccountKey wallet;

		Due(int index, DueEventRow row, Brand brand) {
			this.index = index;
			this.row = row;
			this.brand = brand;
		}

	}

	record Decided(Work work, @Nullable Member member, long amount, @Nullable String currency, Decision decision) {

		String eventId() {
			return switch (this.work) {
				case Candidate c -> c.event.eventId();
				case Due d -> d.row.eventId();
			};
		}

	}

}
