package bot.resonance.ledger;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A balanced movement to post: {@code amount} leaves {@code debit} and arrives in
 * {@code credit} — at once, or, if {@code pending}, reserved until it is posted or voided
 * ({@link Ledger#postPending}, {@link Ledger#voidPending}).
 *
 * @param code what the transfer is for
 * @param key what identifies it among the transfers of its code (an event id, a call id,
 * an operator's key): the ledger derives the idempotency key from code and key, so
 * posting the same code and key twice is refused, on every retry and replay
 * @param debit the account that pays
 * @param credit the account that receives
 * @param amount a positive whole number in the currency's smallest unit
 * @param reference what caused it (an event id, an order id), if anything
 * @param reverses the transfer this one undoes in whole or in part, if any: it must move
 * the same currency back, from the account the reversed transfer credited (or the one
 * that account's member was merged into) to the one it debited, and all reversals of a
 * transfer together never exceed it
 * @param pending whether it only reserves the amount (a pending transfer)
 * @param expiresAt when a pending transfer may no longer be posted (and is voided by
 * {@link Ledger#voidExpired}); {@code null}: never
 * @param context who the transfer is about and why, passed on to the listeners of
 * {@link TransfersPosted} and not stored; {@code null} for transfers no member is told of
 */
public record TransferRequest(TransferCode code, String key, AccountKey debit, AccountKey credit, long amount,
		@Nullable String reference, @Nullable Long reverses, boolean pending, @Nullable Instant expiresAt,
		@Nullable TransferContext context) {

	public TransferRequest {
		if (amount <= 0) {
			throw new IllegalArgumentException("A transfer amount must be positive, was " + amount);
		}
		if (!debit.brandId().equals(credit.brandId()) || !debit.currency().equals(credit.currency())) {
			throw new IllegalArgumentException("A transfer moves one currency within one brand");
		}
		if (debit.equals(credit)) {
			throw new IllegalArgumentException("A transfer needs two different accounts");
		}
		if (code.idempotencyKey(key).isEmpty()) {
			throw new IllegalArgumentException("A transfer needs a key");
		}
		if (expiresAt != null && !pending) {
			throw new IllegalArgumentException("Only a pending transfer expires");
		}
		if (reverses != null && pending) {
			throw new IllegalArgumentException("A reversal is posted at once");
		}
	}

	/** A transfer posted at once, with no reference. */
	public static TransferRequest of(TransferCode code, String key, AccountKey debit, AccountKey credit, long amount) {
		return new TransferRequest(code, key, debit, credit, amount, null, null, false, null, null);
	}

	/** This transfer, caused by {@code reference}. */
	public TransferRequest withReference(@Nullable String reference) {
		return new TransferRequest(this.code, this.key, this.debit, this.credit, this.amount, reference, this.reverses,
				this.pending, this.expiresAt, this.context);
	}

	/** This transfer, undoing (part of) transfer {@code transferId}. */
	public TransferRequest reversing(@Nullable Long transferId) {
		return new TransferRequest(this.code, this.key, this.debit, this.credit, this.amount, this.reference,
				transferId, this.pending, this.expiresAt, this.context);
	}

	/**
	 * This transfer as a pending one: it reserves the amount until posted or voided, or
	 * until {@code expiresAt} (if not null) after which it can only be voided.
	 */
	public TransferRequest pendingUntil(@Nullable Instant expiresAt) {
		return new TransferRequest(this.code, this.key, this.debit, this.credit, this.amount, this.reference,
				this.reverses, true, expiresAt, this.context);
	}

	/**
	 * This transfer, about a member as {@code context} says (see
	 * {@link TransferContext}).
	 */
	public TransferRequest about(@Nullable TransferContext context) {
		return new TransferRequest(this.code, this.key, this.debit, this.credit, this.amount, this.reference,
				this.reverses, this.pending, this.expiresAt, context);
	}

	/** This transfer with another amount. */
	public TransferRequest withAmount(long amount) {
		return new TransferRequest(this.code, this.key, this.debit, this.credit, amount, this.reference, this.reverses,
				this.pending, this.expiresAt, this.context);
	}

	/** The idempotency key the ledger stores: unique per brand. */
	public String idempotencyKey() {
		return this.code.idempotencyKey(this.key);
	}

	public String brandId() {
		return this.debit.brandId();
	}

	public TransferPhase phase() {
		return this.pending ? TransferPhase.PENDING : TransferPhase.POSTED;
	}

}
