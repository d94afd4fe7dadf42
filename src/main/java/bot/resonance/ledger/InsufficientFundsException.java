package bot.resonance.ledger;

/**
 * Posting would have taken an account below zero. The transaction that tried it must roll
 * back; callers that check balances first under {@link Ledger#lockBalances} never see
 * this.
 */
public class InsufficientFundsException extends RuntimeException {

	public InsufficientFundsException(String message, Throwable cause) {
		super(message, cause);
	}

}
