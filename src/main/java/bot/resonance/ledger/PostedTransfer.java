package bot.resonance.ledger;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A transfer as just written to the ledger, with both accounts' balances right after it
 * (transfers posted together are applied in the order given).
 *
 * @param id the transfer's id, unique within the brand
 * @param code what it is for
 * @param phase posted at once, pending, or the posting or voiding of a pending transfer
 * @param debit the account that pays (or whose funds it reserves or releases)
 * @param credit the account that receives
 * @param amount what moved (pending: what is reserved; void: what was released)
 * @param reference what caused it
 * @param reverses the transfer it reverses, if any
 * @param pendingId the pending transfer it posts or voids, if any
 * @param expiresAt when a pending transfer expires, if ever
 * @param debitAfter the debit account right after it
 * @param creditAfter the credit account right after it
 * @param createdAt when
 * @param context who it is about and why, as the use case that posted it said (see
 * {@link TransferContext}); {@code null} if it said nothing
 */
public record PostedTransfer(long id, TransferCode code, TransferPhase phase, AccountKey debit, AccountKey credit,
		long amount, @Nullable String reference, @Nullable Long reverses, @Nullable Long pendingId,
		@Nullable Instant expiresAt, AccountBalance debitAfter, AccountBalance creditAfter, Instant createdAt,
		@Nullable TransferContext context) {

	public String brandId() {
		return this.debit.brandId();
	}

	/** The debit account's balance right after this transfer. */
	public long debitBalanceAfter() {
		return this.debitAfter.balance();
	}

	/** The credit account's balance right after this transfer. */
	public long creditBalanceAfter() {
		return this.creditAfter.balance();
	}

}
