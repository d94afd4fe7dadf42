package bot.resonance.ledger;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A transfer as recorded, with what later transfers did to it.
 *
 * @param id the transfer's id, unique within the brand
 * @param code what it is for
 * @param phase posted at once, pending, or the posting or voiding of a pending transfer
 * @param debit the account that paid
 * @param credit the account that received
 * @param amount what it moved (or reserved)
 * @param reference what caused it
 * @param reverses the transfer it reverses, if any
 * @param pendingId the pending transfer it posts or voids, if any
 * @param expiresAt when a pending transfer expires, if ever
 * @param createdAt when
 * @param reversed how much of it later transfers reversed
 * @param resolvedBy for a pending transfer, the transfer that posted or voided it, if one
 * did
 */
public record Transfer(long id, TransferCode code, TransferPhase phase, AccountKey debit, AccountKey credit,
		long amount, @Nullable String reference, @Nullable Long reverses, @Nullable Long pendingId,
		@Nullable Instant expiresAt, Instant createdAt, long reversed, @Nullable Long resolvedBy) {

	public String brandId() {
		return this.debit.brandId();
	}

}
