package bot.resonance.ledger.internal;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import bot.resonance.ledger.AccountKey;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The ids of accounts this node knows to exist. Accounts are never deleted and never
 * change id, so once an account is committed its id can be remembered; an award to a
 * known member then needs no lookup. Ids a transaction saw are known to that transaction
 * at once, and to every other only once it commits, so an account created by a
 * transaction that rolled back is never remembered.
 */
@Component
public class KnownAccounts {

	private static final int MAX_ENTRIES = 1_000_000;

	private final ConcurrentHashMap<AccountKey, Long> ids = new ConcurrentHashMap<>();

	/**
	 * The known ids among {@code keys}: those committed, and those the current
	 * transaction opened or found ({@link #rememberInTransaction}).
	 */
	public Map<AccountKey, Long> lookup(Collection<AccountKey> keys) {
		Map<AccountKey, Long> found = new HashMap<>();
		InTransaction inTransaction = TransactionSynchronizationManager.isSynchronizationActive()
				? (InTransaction) TransactionSynchronizationManager.getResource(this) : null;
		for (AccountKey key : keys) {
			Long id = this.ids.get(key);
			if (id == null && inTransaction != null) {
				id = inTransaction.seen.get(key);
			}
			if (id != null) {
				found.put(key, id);
			}
		}
		return found;
	}

	/**
	 * The ids the current transaction reserved among {@code keys} for accounts it has not
	 * opened yet ({@link #reserveInTransaction}).
	 */
	public Map<AccountKey, Long> reserved(Collection<AccountKey> keys) {
		InTransaction inTransaction = TransactionSynchronizationManager.isSynchronizationActive()
				? (InTransaction) TransactionSynchronizationManager.getResource(this) : null;
		if (inTransaction == null || inTransaction.reserved.isEmpty()) {
			return Map.of();
		}
		Map<AccountKey, Long> found = new HashMap<>();
		for (AccountKey key : keys) {
			Long id = inTransaction.reserved.get(key);
			if (id != null) {
				found.put(key, id);
			}
		}
		return found;
	}

	/**
	 * Remembers ids for the rest of the current transaction (the accounts may have been
	 * opened by it), and for good once it commits (at once without one): an account a
	 * transaction that rolled back opened is never remembered.
	 */
	public void rememberInTransaction(Map<AccountKey, Long> accounts) {
		if (accounts.isEmpty()) {
			return;
		}
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			remember(accounts);
			return;
		}
		InTransaction bound = inTransaction();
		bound.seen.putAll(accounts);
		bound.reserved.keySet().removeAll(accounts.keySet());
	}

	/**
	 * Keeps, for the rest of the current transaction only, the ids reserved for accounts
	 * not opened yet: they are remembered once opened ({@link #rememberInTransaction}),
	 * and never if they are not.
	 */
	public void reserveInTransaction(Map<AccountKey, Long> accounts) {
		if (!accounts.isEmpty()) {
			inTransaction().reserved.putAll(accounts);
		}
	}

	private InTransaction inTransaction() {
		InTransaction bound = (InTransaction) TransactionSynchronizationManager.getResource(this);
		if (bound == null) {
			InTransaction created = new InTransaction();
			TransactionSynchronizationManager.bindResource(this, created);
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCommit() {
					remember(created.seen);
				}

				@Override
				public void afterCompletion(int status) {
					TransactionSynchronizationManager.unbindResourceIfPossible(KnownAccounts.this);
				}
			});
			bound = created;
		}
		return bound;
	}

	/** Forgets everything, after anything unexpected. */
	public void clear() {
		this.ids.clear();
	}

	private void remember(Map<AccountKey, Long> accounts) {
		if (this.ids.size() + accounts.size() > MAX_ENTRIES) {
			this.ids.clear();
		}
		this.ids.putAll(accounts);
	}

	/** What the current transaction saw and reserved. */
	private static final class InTransaction {

		private final Map<AccountKey, Long> seen = new HashMap<>();

		private final Map<AccountKey, Long> reserved = new HashMap<>();

	}

}
