package bot.resonance.ledger;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import bot.resonance.ledger.internal.AccountRow;
import bot.resonance.ledger.internal.KnownAccounts;
import bot.resonance.ledger.internal.LedgerRepository;
import org.springframework.dao.DataIntegrityViolationException;
import bot.resonance.platform.Transactions;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The ledger's API. Balances are checked and moved in the caller's transaction: lock what
 * you will debit with {@link #lockBalances}, decide, then {@link #post} the transfers; a
 * posting that would overdraw any account fails the whole transaction.
 */
@Service
public class Ledger {

	private final LedgerRepository repository;

	private final KnownAccounts knownAccounts;

	private final Clock clock;

	Ledger(LedgerRepository repository, KnownAccounts knownAccounts, Clock clock) {
		this.repository = repository;
		this.knownAccounts = knownAccounts;
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
	public Map<AccountKey, Long> lockBalances(Collection<AccountKey> keys) {
		Transactions.requireActive("Locking balances");
		Map<AccountKey, AccountRow> rows = this.repository.accounts(keys, true);
		Map<AccountKey, Long> ids = new HashMap<>();
		rows.forEach((key, row) -> ids.put(key, row.id()));
		this.knownAccounts.rememberAfterCommit(ids);
		return balancesOf(rows);
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
	public List<PostedTransfer> post(List<TransferRequest> transfers) {
		Transactions.requireActive("Posting transfers");
		if (transfers.isEmpty()) {
			return List.of();
		}
		Instant now = this.clock.instant();
		Map<AccountKey, Long> deltas = new HashMap<>();
		for (TransferRequest transfer : transfers) {
			deltas.merge(transfer.debit(), -transfer.amount(), Math::addExact);
			deltas.merge(transfer.credit(), transfer.amount(), Math::addExact);
		}
		Map<AccountKey, Long> ids = new HashMap<>(this.knownAccounts.lookup(deltas.keySet()));
		if (ids.size() < deltas.size()) {
			List<AccountKey> unknown = deltas.keySet().stream().filter((key) -> !ids.containsKey(key)).toList();
			Map<AccountKey, Long> opened = this.repository.openAccounts(unknown, now);
			for (AccountKey key : unknown) {
				if (!opened.containsKey(key)) {
					throw new IllegalStateException("No ledger account " + key + "; define the currency first");
				}
			}
			ids.putAll(opened);
			this.knownAccounts.rememberAfterCommit(opened);
		}

		// Accounts are updated in id order, so concurrent postings cannot deadlock on
		// them.
		List<Map.Entry<AccountKey, Long>> ordered = deltas.entrySet()
			.stream()
			.sorted(Comparator.comparingLong((Map.Entry<AccountKey, Long> entry) -> ids.get(entry.getKey())))
			.toList();
		String[] deltaBrands = new String[ordered.size()];
		long[] deltaIds = new long[ordered.size()];
		long[] deltaAmounts = new long[ordered.size()];
		for (int i = 0; i < ordered.size(); i++) {
			deltaBrands[i] = ordered.get(i).getKey().brandId();
			deltaIds[i] = ids.get(ordered.get(i).getKey());
			deltaAmounts[i] = ordered.get(i).getValue();
		}
		LedgerRepository.Posting posting;
		try {
			posting = this.repository.post(deltaBrands, deltaIds, deltaAmounts, transfers, ids, now);
		}
		catch (DataIntegrityViolationException ex) {
			if (String.valueOf(ex.getMessage()).contains("ledger_accounts_no_overdraft")) {
				throw new InsufficientFundsException("A transfer would overdraw an account", ex);
			}
			this.knownAccounts.clear();
			throw ex;
		}
		if (posting.balances().size() != ordered.size()) {
			this.knownAccounts.clear();
			throw new IllegalStateException("Ledger accounts went missing while posting; nothing was posted");
		}

		// Balances right after each transfer: start from the balance before the batch and
		// replay the transfers in order.
		Map<AccountKey, Long> running = new HashMap<>();
		deltas.forEach((key, delta) -> running.put(key, posting.balances().get(ids.get(key)) - delta));
		List<PostedTransfer> posted = new ArrayList<>(transfers.size());
		for (int i = 0; i < transfers.size(); i++) {
			TransferRequest transfer = transfers.get(i);
			long debitAfter = running.merge(transfer.debit(), -transfer.amount(), Long::sum);
			long creditAfter = running.merge(transfer.credit(), transfer.amount(), Long::sum);
			posted.add(new PostedTransfer(posting.transferIds()[i], transfer, debitAfter, creditAfter, now));
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
