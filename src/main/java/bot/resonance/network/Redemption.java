package bot.resonance.network;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * RSNC a person redeemed at a brand.
 *
 * @param id {@code rdm_…}
 * @param brandId the brand that received it
 * @param memberId the brand's member for the person ({@code mem_…})
 * @param walletAddress the person's network wallet
 * @param amount RSNC moved to the brand's RSNC wallet
 * @param balance the person's RSNC balance after it
 * @param reference the brand's reference (an order id), if given
 * @param transferId the ledger transfer
 * @param createdAt when
 */
public record Redemption(String id, String brandId, String memberId, String walletAddress, long amount, long balance,
		@Nullable String reference, long transferId, Instant createdAt) {
}
