package bot.resonance.ledger;

/** What became of a single {@link Ledger#transfer} call. */
public sealed interface TransferOutcome {

	/** Posted now. */
	record Posted(PostedTransfer transfer) implements TransferOutcome {
	}

	/** A transfer with this idempotency key was posted before; nothing moved now. */
	record AlreadyPosted(long transferId, long amount) implements TransferOutcome {
	}

	/** The debit account could not cover it; nothing moved. */
	record InsufficientFunds(long available) implements TransferOutcome {
	}

	/** A balance would have left the range of a 64-bit amount; nothing moved. */
	record OutOfRange() implements TransferOutcome {
	}

}
