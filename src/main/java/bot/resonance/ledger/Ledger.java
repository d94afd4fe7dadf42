package bot.resonance.ledger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import bot.resonance.ledger.internal.AccountRow;
import bot.resonance.ledger.internal.KnownAccounts;
import bot.resonance.ledger.internal.LedgerRepository;
import bot.resonance.ledger.internal.LedgerRepository.StoredTransfer;
import bot.resonance.ledger.internal.Line;
import bot.resonance.platform.Transactions;
import bot.resonance.platform.cluster.ClusterCache;
import bot.resonance.platform.cluster.ClusterSignals;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The ledger's API: the one path money moves through.
 *
 * <p>
 * {@link #transfer} moves money for one use case — an incoming webhook's credit, a
 * refund's reversal, an operator's funding, an escrow — in the caller's transaction: it
 * locks the transfer it reverses or the pending transfer it resolves, then both accounts
 * in id order, checks (the debit account can pay it, pending reserves counted; no balance
 * leaves the range of a {@code long}; a reversal undoes no more than is left of what it
 * reverses), posts, and answers with a {@link TransferOutcome} — a refusal is a value,
 * not an exception. When a member's account moves, hold the member first
 * ({@code identity.Members.hold}), so that a merge cannot move the balance away
 * meanwhile: members, then transfers, then accounts is the order every path takes locks
 * in.
 *
 * <p>
 * {@link #post} is the set-based path for callers that lock many accounts at once and
 * decide for themselves (the event pipeline): {@link #lockAvailable}, decide, post.
 *
 * <p>
 * Every posting publishes {@link TransfersPosted} inside its transaction.
 */
@Service
public class Ledger {

	static final String CURRENCIES_CHANNEL = "resonance_currencies_changed";

	private final LedgerRepository repository;

	private final KnownAccounts knownAccounts;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	/**
	 * Each brand's currencies as last read: a currency is never removed, and only an
	 * on-chain currency's token details change, so a copy goes stale only when one is
	 * defined or its token described, which forgets it on every node.
	 */
	private final ClusterCache<List<Currency>> currencies;

	Ledger(LedgerRepository repository, KnownAccounts knownAccounts, ApplicationEventPublisher events, Clock clock,
			ClusterSignals signals) {
		this.repository = repository;
		this.knownAccounts = knownAccounts;
		this.events = events;
		this.clock = clock;
		this.currencies = new ClusterCache<>(signals, CURRENCIES_CHANNEL, 100_000, Duration.ofMinutes(5));
	}

	/**
	 * Defines a currency for a brand and opens its issuance account and the brand's
	 * wallet. Defining it again changes nothing.
	 */
	@Transactional
	public void defineCurrency(Currency currency) {
		Instant now = this.clock.instant();
		this.repository.insertCurrency(currency, now);
		this.repository.openAccount(AccountKey.issuance(currency.brandId(), currency.code()), true, now);
		this.repository.openAccount(AccountKey.wallet(currency.brandId(), currency.code()), false, now);
		this.currencies.evictEverywhere(currency.brandId());
	}

	/**
	 * Says which token an on-chain currency is: its address and chain ({@code null}
	 * clears one), as reward webhooks and wallets show them from now on. Only a currency
	 * of kind onchain-currency has them.
	 * @return the currency as it is now, or empty if the brand has no on-chain currency
	 * of this code
	 */
	@Transactional
	public Optional<Currency> describeToken(String brandId, String code, @Nullable String address,
			@Nullable String chainId) {
		if (!this.repository.updateToken(brandId, code, address, chainId)) {
			return Optional.empty();
		}
		this.currencies.evictEverywhere(brandId);
		return this.repository.currency(brandId, code);
	}

	/** The brand's currencies, by code (read once, then kept until one is defined). */
	public List<Currency> currencies(String brandId) {
		return this.currencies.get(brandId, () -> List.copyOf(this.repository.currencies(brandId)));
	}

	/**
	 * One of the brand's currencies; one not among those kept is looked up (it may have
	 * been defined on another node a moment ago).
	 */
	public Optional<Currency> currency(String brandId, String code) {
		for (Currency currency : currencies(brandId)) {
			if (currency.code().equals(code)) {
				return Optional.of(currency);
			}
		}
		return this.repository.currency(brandId, code);
	}

	/**
	 * Locks the given accounts until the current transaction ends and returns what each
	 * can pay: its balance less what pending transfers reserve (accounts not opened yet
	 * are absent). Locks are taken in id order, so concurrent callers cannot deadlock on
	 * them.
	 */
	public Map<AccountKey, Long> lockAvailable(Collection<AccountKey> keys) {
		Transactions.requireActive("Locking balances");
		Map<AccountKey, AccountRow> rows = this.repository.accounts(keys, true);
		Map<AccountKey, Long> ids = new HashMap<>();
		Map<AccountKey, Long> available = new HashMap<>();
		rows.forEach((key, row) -> {
			ids.put(key, row.id());
			available.put(key, row.available());
		});
		this.knownAccounts.rememberInTransaction(ids);
		return available;
	}

	/**
	 * As {@link #lockAvailable(Collection)}, and in the same statement finds the member
	 * accounts among {@code payees}, reserving an id for each one not opened yet: the
	 * first posting to it in this transaction opens it with what it is paid. For a caller
	 * that locks its paying accounts and then credits members some of whom it sees for
	 * the first time (the event pipeline). A payee this transaction pays nothing stays
	 * unopened.
	 */
	public Map<AccountKey, Long> lockAvailable(Collection<AccountKey> keys, Collection<AccountKey> payees) {
		Transactions.requireActive("Locking balances");
		Map<AccountKey, Long> known = this.knownAccounts.lookup(payees);
		Map<AccountKey, Long> reserved = (known.size() < payees.size()) ? this.knownAccounts.reserved(payees)
				: Map.of();
		List<AccountKey> unknown = payees.stream()
			.filter((key) -> key.kind() == AccountKind.MEMBER && !known.containsKey(key) && !reserved.containsKey(key))
			.distinct()
			.toList();
		if (unknown.isEmpty()) {
			return lockAvailable(keys);
		}
		LedgerRepository.LockedAndFound done = this.repository.lockAndFind(keys, unknown);
		Map<AccountKey, Long> ids = new HashMap<>(done.found());
		Map<AccountKey, Long> available = new HashMap<>();
		done.locked().forEach((key, row) -> {
			ids.put(key, row.id());
			available.put(key, row.available());
		});
		this.knownAccounts.rememberInTransaction(ids);
		this.knownAccounts.reserveInTransaction(done.reserved());
		return available;
	}

	/** Current balances, without locking; accounts not opened yet read as absent. */
	public Map<AccountKey, Long> balances(Collection<AccountKey> keys) {
		Map<AccountKey, Long> balances = new HashMap<>();
		this.repository.accounts(keys, false).forEach((key, row) -> balances.put(key, row.balance()));
		return balances;
	}

	/**
	 * Current balances with what pending transfers reserve, without locking; accounts not
	 * opened yet read as absent.
	 */
	public Map<AccountKey, AccountBalance> accounts(Collection<AccountKey> keys) {
		Map<AccountKey, AccountBalance> balances = new HashMap<>();
		this.repository.accounts(keys, false).forEach((key, row) -> balances.put(key, row.balances()));
		return balances;
	}

	public long balance(AccountKey key) {
		return balances(List.of(key)).getOrDefault(key, 0L);
	}

	/** A transfer by id, with what later transfers did to it. */
	public Optional<Transfer> find(String brandId, long transferId) {
		return this.repository.transfer(brandId, transferId, null);
	}

	/** The transfer of a code with a key (see {@link TransferRequest#key}), if posted. */
	public Optional<Transfer> find(String brandId, TransferCode code, String key) {
		return this.repository.transfer(brandId, null, code.idempotencyKey(key));
	}

	/**
	 * An account's history: the transfers that debited or credited it, newest first,
	 * those with an id below {@code before} if given (the last id of the page before), of
	 * the given codes (all if empty), at most {@code limit}.
	 */
	public List<Transfer> transfers(AccountKey account, Collection<TransferCode> codes, @Nullable Long before,
			int limit) {
		return this.repository.transfersOf(account, codes, before, limit);
	}

	/**
	 * Posts transfers in the caller's transaction, in the order given, opening member
	 * accounts on first use, and publishes {@link TransfersPosted}. All or nothing. For
	 * callers that locked the accounts they debit ({@link #lockAvailable}) and checked
	 * that they can pay; a reversal or a pending transfer posted here is checked by the
	 * database only (see {@link #transfer}).
	 * @throws InsufficientFundsException if any account would go below what pending
	 * transfers reserve on it (the caller's transaction must then roll back)
	 */
	public List<PostedTransfer> post(List<TransferRequest> transfers) {
		Transactions.requireActive("Posting transfers");
		if (transfers.isEmpty()) {
			return List.of();
		}
		List<Line> lines = new ArrayList<>(transfers.size());
		for (TransferRequest transfer : transfers) {
			lines.add(Line.of(transfer));
		}
		return write(lines, this.clock.instant());
	}

	/**
	 * Moves money for one use case, exactly once per code and key, in the caller's
	 * transaction (or its own): locks, checks, posts (see the class comment). Pending
	 * transfers reserve the amount ({@link TransferRequest#pendingUntil}).
	 */
	@Transactional
	public TransferOutcome transfer(TransferRequest transfer) {
		return move(transfer, false);
	}

	/**
	 * As {@link #transfer}, but moves as much of the amount as can be moved: no more than
	 * the debit account can pay and, for a reversal, than is left of what it reverses.
	 * Refused only when nothing at all can move.
	 */
	@Transactional
	public TransferOutcome transferUpTo(TransferRequest transfer) {
		return move(transfer, true);
	}

	/** Posts all of a pending transfer: what it reserved moves now. */
	@Transactional
	public TransferOutcome postPending(String brandId, long pendingId) {
		return resolve(brandId, pendingId, TransferPhase.POST_PENDING, null);
	}

	/**
	 * Posts part of a pending transfer: {@code amount} (at most what it reserved) moves
	 * now, the rest of the reserve is released.
	 */
	@Transactional
	public TransferOutcome postPending(String brandId, long pendingId, long amount) {
		if (amount <= 0) {
			throw new IllegalArgumentException("A transfer amount must be positive, was " + amount);
		}
		return resolve(brandId, pendingId, TransferPhase.POST_PENDING, amount);
	}

	/** Voids a pending transfer: what it reserved is released, nothing moves. */
	@Transactional
	public TransferOutcome voidPending(String brandId, long pendingId) {
		return resolve(brandId, pendingId, TransferPhase.VOID_PENDING, null);
	}

	/**
	 * Voids up to {@code limit} pending transfers that expired at {@code now} (oldest
	 * first; those another transaction is resolving are left to it) and returns how many
	 * it voided. Call it until it returns less than {@code limit} to void every expired
	 * one.
	 */
	@Transactional
	public int voidExpired(Instant now, int limit) {
		List<StoredTransfer> expired = this.repository.lockExpiredPending(now, limit);
		if (expired.isEmpty()) {
			return 0;
		}
		List<AccountKey> keys = new ArrayList<>();
		List<Line> voids = new ArrayList<>();
		for (StoredTransfer pending : expired) {
			keys.add(pending.debit());
			keys.add(pending.credit());
			voids.add(resolution(pending, TransferPhase.VOID_PENDING, pending.amount()));
		}
		Map<AccountKey, AccountRow> accounts = this.repository.accounts(keys, true);
		List<PostedTransfer> posted = write(voids, this.clock.instant());
		forwardFromMergedAccounts(posted, accounts);
		return posted.size();
	}

	/**
	 * Sum of balances per account kind for a currency. Because every transfer is
	 * balanced, the sum over all kinds is always zero: what members and the wallet hold
	 * is exactly what issuance gave out.
	 */
	public Map<AccountKind, Long> totals(String brandId, String currency) {
		return this.repository.totalsByKind(brandId, currency);
	}

	/**
	 * The latest fundings ({@link TransferCode#FUNDING}: issuance → wallet) credited to
	 * these accounts, newest first.
	 * @param limit at most this many
	 */
	public List<Transfer> fundingsInto(Collection<AccountKey> accounts, int limit) {
		return this.repository.fundingsInto(accounts, limit);
	}

	private TransferOutcome move(TransferRequest transfer, boolean upTo) {
		String brandId = transfer.brandId();
		// Transfers before accounts: the reversed transfer is locked first, which
		// serializes its reversals.
		long reversible = Long.MAX_VALUE;
		LedgerRepository.ReversalState reversal = null;
		if (transfer.reverses() != null) {
			Optional<StoredTransfer> reversed = this.repository.lockTransfer(brandId, transfer.reverses());
			if (reversed.isEmpty()) {
				return new TransferOutcome.NotReversible("There is no transfer " + transfer.reverses() + ".");
			}
			StoredTransfer original = reversed.get();
			if (original.phase() != TransferPhase.POSTED && original.phase() != TransferPhase.POST_PENDING) {
				return new TransferOutcome.NotReversible(
						"Transfer " + original.id() + " is " + original.phase().dbName() + ": it moved nothing.");
			}
			if (!original.debit().equals(transfer.credit())) {
				return new TransferOutcome.NotReversible(
						"A reversal of transfer " + original.id() + " pays back " + original.debit() + ".");
			}
			reversal = this.repository.reversalState(original);
			reversible = original.amount() - reversal.reversed();
		}
		Map<AccountKey, AccountRow> locked = this.repository.accounts(List.of(transfer.debit(), transfer.credit()),
				true);
		var existing = this.repository.transferByKey(brandId, transfer.idempotencyKey());
		if (existing.isPresent()) {
			return new TransferOutcome.AlreadyPosted(existing.get().id(), existing.get().amount());
		}
		AccountRow debit = locked.get(transfer.debit());
		AccountRow credit = locked.get(transfer.credit());
		if (debit == null) {
			if (transfer.debit().kind() != AccountKind.MEMBER) {
				throw new IllegalStateException(
						"No ledger account " + transfer.debit() + "; define the currency first");
			}
			// A member never paid anything holds nothing.
			return (reversal != null)
					? new TransferOutcome.NotReversible(
							"The account " + transfer.debit() + " never received transfer " + transfer.reverses() + ".")
					: new TransferOutcome.InsufficientFunds(0);
		}
		if (reversal != null && !reversal.debitable().contains(debit.id())) {
			return new TransferOutcome.NotReversible("A reversal of transfer " + transfer.reverses()
					+ " takes back from the account it credited, not " + transfer.debit() + ".");
		}
		long available = debit.allowNegative() ? Long.MAX_VALUE : debit.available();
		long amount = transfer.amount();
		if (upTo) {
			amount = Math.min(amount, Math.min(available, reversible));
			if (amount <= 0) {
				return (reversible <= 0) ? new TransferOutcome.ReversalExceeded(Math.max(0, reversible))
						: new TransferOutcome.InsufficientFunds(Math.max(0, available));
			}
		}
		else if (amount > reversible) {
			return new TransferOutcome.ReversalExceeded(Math.max(0, reversible));
		}
		else if (amount > available) {
			return new TransferOutcome.InsufficientFunds(Math.max(0, available));
		}
		if (!inRange(debit, credit, amount)) {
			return new TransferOutcome.OutOfRange();
		}
		TransferRequest posted = (amount == transfer.amount()) ? transfer : transfer.withAmount(amount);
		return new TransferOutcome.Posted(write(List.of(Line.of(posted)), this.clock.instant()).getFirst());
	}

	private TransferOutcome resolve(String brandId, long pendingId, TransferPhase phase, @Nullable Long amount) {
		Optional<StoredTransfer> open = this.repository.lockOpenPending(brandId, pendingId);
		if (open.isEmpty()) {
			return this.repository.transfer(brandId, pendingId, null)
				.filter((transfer) -> transfer.phase() == TransferPhase.PENDING && transfer.resolvedBy() != null)
				.<TransferOutcome>map((transfer) -> {
					TransferPhase how = this.repository.transfer(brandId, transfer.resolvedBy(), null)
						.map(Transfer::phase)
						.orElse(phase);
					return new TransferOutcome.AlreadyResolved(transfer.resolvedBy(), how);
				})
				.orElseGet(TransferOutcome.NotPending::new);
		}
		StoredTransfer pending = open.get();
		Instant now = this.clock.instant();
		if (phase == TransferPhase.POST_PENDING && pending.expiresAt() != null && !now.isBefore(pending.expiresAt())) {
			return new TransferOutcome.Expired(pending.expiresAt());
		}
		long moved = (amount != null) ? amount : pending.amount();
		if (moved > pending.amount()) {
			return new TransferOutcome.ExceedsPending(pending.amount());
		}
		Map<AccountKey, AccountRow> accounts = this.repository.accounts(List.of(pending.debit(), pending.credit()),
				true);
		// Written at the instant the expiry was checked against.
		List<PostedTransfer> posted = write(List.of(resolution(pending, phase, moved)), now);
		forwardFromMergedAccounts(posted, accounts);
		return new TransferOutcome.Posted(posted.getFirst());
	}

	/**
	 * Whether every balance {@code amount} would touch stays within the range of a
	 * {@code long}, whether it is posted at once or first reserved.
	 */
	private static boolean inRange(AccountRow debit, @Nullable AccountRow credit, long amount) {
		try {
			Math.subtractExact(Math.subtractExact(debit.balance(), debit.debitsPending()), amount);
			Math.addExact(debit.debitsPending(), amount);
			if (credit != null) {
				Math.addExact(Math.addExact(credit.balance(), credit.creditsPending()), amount);
				Math.addExact(credit.balance(), amount);
				Math.addExact(credit.creditsPending(), amount);
			}
			return true;
		}
		catch (ArithmeticException ex) {
			return false;
		}
	}

	/** The transfer that posts ({@code amount} of) or voids a pending transfer. */
	private static Line resolution(StoredTransfer pending, TransferPhase phase, long amount) {
		// The key is the pending transfer's id, which no code's keys can be.
		return new Line(pending.code(), "resolves:" + pending.id(), pending.debit(), pending.credit(), amount,
				pending.reference(), null, phase, pending.id(), null, pending.amount(), null);
	}

	/**
	 * A pending transfer resolved after one of its members was merged into another gives
	 * back (or pays) to the account of the member that is gone: pass it on to the account
	 * the member's value went to, in the same transaction.
	 */
	private void forwardFromMergedAccounts(List<PostedTransfer> posted, Map<AccountKey, AccountRow> accounts) {
		Map<AccountKey, AccountBalance> after = new LinkedHashMap<>();
		Map<AccountKey, Long> resolvedBy = new HashMap<>();
		for (PostedTransfer transfer : posted) {
			after.put(transfer.debit(), transfer.debitAfter());
			after.put(transfer.credit(), transfer.creditAfter());
			resolvedBy.put(transfer.debit(), transfer.id());
			resolvedBy.put(transfer.credit(), transfer.id());
		}
		Map<String, Map<Long, AccountRow>> merged = new HashMap<>();
		after.forEach((key, balance) -> {
			AccountRow row = accounts.get(key);
			if (row != null && row.mergedInto() != null && !row.allowNegative() && balance.available() > 0) {
				merged.computeIfAbsent(key.brandId(), (brand) -> new HashMap<>()).put(row.id(), row);
			}
		});
		List<TransferRequest> forwards = new ArrayList<>();
		merged.forEach((brandId, rows) -> this.repository.lastSuccessors(brandId, rows.keySet())
			.forEach((accountId, successor) -> {
				AccountRow row = rows.get(accountId);
				forwards.add(new TransferRequest(TransferCode.MEMBER_MERGE,
						"returned:" + resolvedBy.get(row.key()) + ":" + accountId, row.key(), successor,
						after.get(row.key()).available(), "mem_" + row.key().ownerId(), null, false, null, null));
			}));
		if (!forwards.isEmpty()) {
			post(forwards);
		}
	}

	/**
	 * Writes the lines, opening member accounts on first use, and publishes
	 * {@link TransfersPosted}.
	 */
	private List<PostedTransfer> write(List<Line> lines, Instant now) {
		Map<AccountKey, long[]> deltas = new HashMap<>();
		for (Line line : lines) {
			long[] debit = deltas.computeIfAbsent(line.debit(), (key) -> new long[3]);
			debit[0] = Math.subtractExact(debit[0], line.balanceDelta());
			debit[1] = Math.addExact(debit[1], line.pendingDelta());
			long[] credit = deltas.computeIfAbsent(line.credit(), (key) -> new long[3]);
			credit[0] = Math.addExact(credit[0], line.balanceDelta());
			credit[2] = Math.addExact(credit[2], line.pendingDelta());
		}
		Map<AccountKey, Long> ids = new HashMap<>(this.knownAccounts.lookup(deltas.keySet()));
		Map<AccountKey, Long> reserved = (ids.size() < deltas.size()) ? this.knownAccounts.reserved(deltas.keySet())
				: Map.of();
		if (ids.size() + reserved.size() < deltas.size()) {
			List<AccountKey> unknown = deltas.keySet()
				.stream()
				.filter((key) -> !ids.containsKey(key) && !reserved.containsKey(key))
				.toList();
			Map<AccountKey, Long> opened = this.repository.openAccounts(unknown, now);
			for (AccountKey key : unknown) {
				if (!opened.containsKey(key)) {
					throw new IllegalStateException("No ledger account " + key + "; define the currency first");
				}
			}
			ids.putAll(opened);
			this.knownAccounts.rememberInTransaction(opened);
		}
		ids.putAll(reserved);

		// Accounts are updated in id order, so concurrent postings cannot deadlock on
		// them; reserved ones are opened with their first amounts.
		List<LedgerRepository.Delta> ordered = new ArrayList<>();
		List<LedgerRepository.Opening> openings = new ArrayList<>();
		deltas.entrySet()
			.stream()
			.sorted(Comparator.comparingLong((Map.Entry<AccountKey, long[]> entry) -> ids.get(entry.getKey())))
			.forEach((entry) -> {
				AccountKey key = entry.getKey();
				long[] delta = entry.getValue();
				if (reserved.containsKey(key)) {
					openings.add(new LedgerRepository.Opening(key, ids.get(key), delta[0], delta[1], delta[2]));
				}
				else {
					ordered.add(new LedgerRepository.Delta(key.brandId(), ids.get(key), delta[0], delta[1], delta[2]));
				}
			});
		LedgerRepository.Posting posting;
		try {
			posting = this.repository.post(ordered, openings, lines, ids, now);
		}
		catch (DataIntegrityViolationException ex) {
			if (String.valueOf(ex.getMessage()).contains("ledger_accounts_no_overdraft")) {
				throw new InsufficientFundsException("A transfer would overdraw an account", ex);
			}
			this.knownAccounts.clear();
			throw ex;
		}
		if (posting.balances().size() != deltas.size()) {
			this.knownAccounts.clear();
			throw new IllegalStateException("Ledger accounts went missing while posting; nothing was posted");
		}
		if (!reserved.isEmpty()) {
			// Opened now, or (if a concurrent transaction opened one first) found under
			// its own id.
			Map<AccountKey, Long> opened = new HashMap<>();
			reserved.forEach((key, id) -> opened.put(key, posting.reassigned().getOrDefault(id, id)));
			ids.putAll(opened);
			this.knownAccounts.rememberInTransaction(opened);
		}

		// Balances right after each transfer: start from the balances before the batch
		// and replay the transfers in order.
		Map<AccountKey, long[]> running = new HashMap<>();
		deltas.forEach((key, delta) -> {
			AccountBalance end = posting.balances().get(ids.get(key));
			running.put(key, new long[] { end.balance() - delta[0], end.debitsPending() - delta[1],
					end.creditsPending() - delta[2] });
		});
		List<PostedTransfer> posted = new ArrayList<>(lines.size());
		for (int i = 0; i < lines.size(); i++) {
			Line line = lines.get(i);
			long[] debit = running.get(line.debit());
			debit[0] -= line.balanceDelta();
			debit[1] += line.pendingDelta();
			long[] credit = running.get(line.credit());
			credit[0] += line.balanceDelta();
			credit[2] += line.pendingDelta();
			posted.add(new PostedTransfer(posting.transferIds()[i], line.code(), line.phase(), line.debit(),
					line.credit(), line.amount(), line.reference(), line.reverses(), line.pendingId(), line.expiresAt(),
					new AccountBalance(debit[0], debit[1], debit[2]),
					new AccountBalance(credit[0], credit[1], credit[2]), now, line.context()));
		}
		List<PostedTransfer> result = List.copyOf(posted);
		this.events.publishEvent(new TransfersPosted(result));
		return result;
	}

}
