package bot.resonance.ledger.internal;

import bot.resonance.ledger.AccountBalance;
import bot.resonance.ledger.AccountKey;

import org.jspecify.annotations.Nullable;

/**
 * An account as stored.
 *
 * @param mergedInto the account its member's value went to in a merge, if its member was
 * merged into another
 */
public record AccountRow(long id, AccountKey key, long balance, long debitsPending, long creditsPending,
		boolean allowNegative, @Nullable Long mergedInto) {

	public AccountBalance balances() {
		return new AccountBalance(this.balance, this.debitsPending, this.creditsPending);
	}

	/** What it can pay now: its balance less what pending transfers reserve. */
	public long available() {
		return this.balance - this.debitsPending;
	}

}
