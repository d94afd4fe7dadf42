package bot.resonance.network;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A person redeemed RSNC at a brand: it moved from their network balance to the brand's
 * RSNC wallet. Published in the redeeming transaction.
 *
 * @param redemption the redemption
 * @param userId the member's Discord user id at the brand, if the brand knows one
 * @param userIdentifier how the brand names the member (a wallet it linked, else the
 * network wallet)
 * @param userIdentifierType {@code evm_address}, {@code solana_address} or
 * {@code xrpl_address}
 */
public record RsncRedeemed(Redemption redemption, @Nullable String userId, String userIdentifier,
		String userIdentifierType) {

	/** When it happened. */
	public Instant at() {
		return this.redemption.createdAt();
	}

}
