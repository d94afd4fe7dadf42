package bot.resonance.ledger;

import java.time.Instant;

/**
 * What became of a {@link Ledger#transfer}, {@link Ledger#postPending} or
 * {@link Ledger#voidPending} call: posted now, posted before, or refused — a refusal is a
 * value, nothing moved, and the caller's transaction may go on.
 */
public sealed interface TransferOutcome {

	/** Posted now. */
	record Posted(PostedTransfer transfer) implements TransferOutcome {
	}

	/** A transfer with this code and key was posted before; nothing moved now. */
	record AlreadyPosted(long transferId, long amount) implements TransferOutcome {
	}

	/** Nothing moved, for the reason the record names. */
	sealed interface Refused extends TransferOutcome {

	}

	/** The debit account could not cover it (pending reserves count); nothing moved. */
	record InsufficientFunds(long available) implements Refused {
	}

	/** A balance would have left the range of a 64-bit amount; nothing moved. */
	record OutOfRange() implements Refused {
	}

	/**
	 * The transfer named as reversed does not exist, is not a posted transfer, or is not
	 * undone by this one (another currency, or other accounts).
	 */
	record NotReversible(String reason) implements Refused {
	}

	/** The reversals of the transfer would add up to more than it moved. */
	record ReversalExceeded(long reversible) implements Refused {
	}

	/** There is no pending transfer with this id. */
	record NotPending() implements Refused {
	}

	/**
	 * The pending transfer was posted or voided before, by transfer {@code resolvedBy}.
	 */
	record AlreadyResolved(long resolvedBy, TransferPhase phase) implements Refused {
	}

	/** The pending transfer expired: it can only be voided now. */
	record Expired(Instant expiresAt) implements Refused {
	}

	/** More than the pending transfer reserves was to be posted. */
	record ExceedsPending(long pendingAmount) implements Refused {
	}

}
