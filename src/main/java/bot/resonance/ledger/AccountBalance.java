package bot.resonance.ledger;

/**
 * An account's balances: what it holds, and what pending transfers reserve on it.
 *
 * @param balance what it holds (posted transfers only)
 * @param debitsPending what pending transfers reserve to debit from it
 * @param creditsPending what pending transfers may credit to it
 */
public record AccountBalance(long balance, long debitsPending, long creditsPending) {

	public static final AccountBalance ZERO = new AccountBalance(0, 0, 0);

	/**
	 * What the account can pay now: its balance less what pending transfers reserve. An
	 * account that may not go negative never has less than zero available.
	 */
	public long available() {
		return this.balance - this.debitsPending;
	}

}
