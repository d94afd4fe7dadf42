package bot.resonance.ledger;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import bot.resonance.ledger.internal.AccountRow;
import bot.resonance.ledger.internal.LedgerRepository;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The ledger's API. Balances are checked and moved in the caller's transaction: lock what
 * you will debit with {@link #lockBalances}, decide, then {@link #post} the transfers; a
 * posting that would overdraw any account fails the whole transaction.
 */
@Service
public class Ledger {

	private static final Comparator<AccountKey> KEY_ORDER = Comparator.comparing(AccountKey::brandId)
		.thenComparing(AccountKey::currency)
		.thenComparing(AccountKey::kind)
		.thenComparingLong(AccountKey::ownerId);

	private final LedgerRepository repository;

	private final Clock clock;

	Ledger(LedgerRepository repository, Clock clock) {
		this.repository = repository;
		this.clock = clock;
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
	}

	public List<Currency> currencies(String brandId) {
		return this.repository.currencies(brandId);
	}

	public Optional<Currency> currency(String brandId, String code) {
		return this.repository.currency(brandId, code);
	}

	/**
	 * Locks the given accounts until the current transaction ends and returns their
	 * balances (accounts not opened yet are absent). Locks are taken in id order, so
	 * concurrent callers cannot deadlock on them.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public Map<AccountKey, Long> lockBalances(Collection<AccountKey> keys) {
		return balancesOf(this.repository.accounts(keys, true));
	}

	/** Current balances, without locking; accounts not opened yet read as absent. */
	public Map<AccountKey, Long> balances(Collection<AccountKey> keys) {
		return balancesOf(this.repository.accounts(keys, false));
	}

	public long balance(AccountKey key) {
		return balances(List.of(key)).getOrDefault(key, 0L);
	}

	/**
	 * Posts transfers in the caller's transaction, in the order given, opening member
	 * accounts on first use. All or nothing.
	 * @throws InsufficientFundsException if any account would go below zero (the caller's
	 * transaction must then roll back)
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public List<PostedTransfer> post(List<TransferRequest> transfers) {
		if (transfers.isEmpty()) {
			return List.of();
		}
		Instant now = this.clock.instant();
		Set<AccountKey> memberAccounts = new LinkedHashSet<>();
		Map<AccountKey, Long> deltas = new HashMap<>();
		for (TransferRequest transfer : transfers) {
			for (AccountKey key : List.of(transfer.debit(), transfer.credit())) {
				if (key.kind() == AccountKind.MEMBER) {
					memberAccounts.add(key);
				}
			}
			deltas.merge(transfer.debit(), -transfer.amount(), Math::addExact);
			deltas.merge(transfer.credit(), transfer.amount(), Math::addExact);
		}
		this.repository.ensureMemberAccounts(memberAccounts, now);

		Map<AccountKey, Long> ordered = new LinkedHashMap<>();
		deltas.entrySet()
			.stream()
			.sorted(Map.Entry.comparingByKey(KEY_ORDER))
			.forEach((entry) -> ordered.put(entry.getKey(), entry.getValue()));
		Map<AccountKey, AccountRow> after;
		try {
			after = this.repository.applyDeltas(ordered);
		}
		catch (DataIntegrityViolationException ex) {
			if (String.valueOf(ex.getMessage()).contains("ledger_accounts_no_overdraft")) {
				throw new InsufficientFundsException("A transfer would overdraw an account", ex);
			}
			throw ex;
		}
		for (AccountKey key : ordered.keySet()) {
			if (!after.containsKey(key)) {
				throw new IllegalStateException("No ledger account " + key + "; define the currency first");
			}
		}
		long[] ids = this.repository.insertTransfers(transfers, after, now);

		// Balances right after each transfer: start from the balance before the batch and
		// replay the transfers in order.
		Map<AccountKey, Long> running = new HashMap<>();
		ordered.forEach((key, delta) -> running.put(key, after.get(key).balance() - delta));
		List<PostedTransfer> posted = new ArrayList<>(transfers.size());
		for (int i = 0; i < transfers.size(); i++) {
			TransferRequest transfer = transfers.get(i);
			long debitAfter = running.merge(transfer.debit(), -transfer.amount(), Long::sum);
			long creditAfter = running.merge(transfer.credit(), transfer.amount(), Long::sum);
			posted.add(new PostedTransfer(ids[i], transfer, debitAfter, creditAfter, now));
		}
		return posted;
	}

	/**
	 * Posts one transfer in its own transaction, exactly once per idempotency key: a
	 * repeated key moves nothing and reports the transfer posted before.
	 */
	@Transactional
	public TransferOutcome transfer(TransferRequest transfer) {
		// Locking the debit account first serializes every transfer that could share this
		// key.
		Map<AccountKey, AccountRow> locked = this.repository.accounts(List.of(transfer.debit()), true);
		AccountRow debit = locked.get(transfer.debit());
		if (debit == null) {
			throw new IllegalStateException("No ledger account " + transfer.debit() + "; define the currency first");
		}
		var existing = this.repository.transferByKey(transfer.debit().brandId(), transfer.idempotencyKey());
		if (existing.isPresent()) {
			return new TransferOutcome.AlreadyPosted(existing.get().id(), existing.get().amount());
		}
		if (!debit.allowNegative() && debit.balance() < transfer.amount()) {
			return new TransferOutcome.InsufficientFunds(debit.balance());
		}
		Map<AccountKey, AccountRow> credit = this.repository.accounts(List.of(transfer.credit()), false);
		if (credit.containsKey(transfer.credit())
				&& credit.get(transfer.credit()).balance() > Long.MAX_VALUE - transfer.amount()) {
			return new TransferOutcome.OutOfRange();
		}
		if (debit.balance() < Long.MIN_VALUE + transfer.amount()) {
			return new TransferOutcome.OutOfRange();
		}
		return new TransferOutcome.Posted(post(List.of(transfer)).getFirst());
	}

	/**
	 * Sum of balances per account kind for a currency. Because every transfer is
	 * balanced, the sum over all kinds is always zero: what members and the wallet hold
	 * is exactly what issuance gave out.
	 */
	public Map<AccountKind, Long> totals(String brandId, String currency) {
		return this.repository.totalsByKind(brandId, currency);
	}

	private static Map<AccountKey, Long> balancesOf(Map<AccountKey, AccountRow> rows) {
		Map<AccountKey, Long> balances = new HashMap<>();
		rows.forEach((key, row) -> balances.put(key, row.balance()));
		return balances;
	}

}
