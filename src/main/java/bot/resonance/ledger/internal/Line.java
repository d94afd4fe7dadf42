package bot.resonance.ledger.internal;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

import bot.resonance.ledger.AccountKey;
import bot.resonance.ledger.TransferCode;
import bot.resonance.ledger.TransferContext;
import bot.resonance.ledger.TransferPhase;
import bot.resonance.ledger.TransferRequest;

/**
 * One transfer to write, in any phase, and what it does to its accounts.
 *
 * @param released for the posting or voiding of a pending transfer, the amount the
 * pending transfer reserved (released now); 0 otherwise
 * @param context who it is about, passed on and not stored
 */
public record Line(TransferCode code, String idempotencyKey, AccountKey debit, AccountKey credit, long amount,
		@Nullable String reference, @Nullable Long reverses, TransferPhase phase, @Nullable Long pendingId,
		@Nullable Instant expiresAt, long released, @Nullable TransferContext context) {

	public static Line of(TransferRequest request) {
		return new Line(request.code(), request.idempotencyKey(), request.debit(), request.credit(), request.amount(),
				request.reference(), request.reverses(), request.phase(), null, request.expiresAt(), 0,
				request.context());
	}

	/** What the debit account's balance loses and the credit account's gains. */
	public long balanceDelta() {
		return switch (this.phase) {
			case POSTED, POST_PENDING -> this.amount;
			case PENDING, VOID_PENDING -> 0;
		};
	}

	/**
	 * What the debit account's pending debits and the credit account's pending credits
	 * gain (negative: lose).
	 */
	public long pendingDelta() {
		return switch (this.phase) {
			case POSTED -> 0;
			case PENDING -> this.amount;
			case POST_PENDING, VOID_PENDING -> -this.released;
		};
	}

}
