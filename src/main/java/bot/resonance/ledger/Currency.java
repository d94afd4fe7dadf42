package bot.resonance.ledger;

import org.jspecify.annotations.Nullable;

/**
 * A brand's currency.
 *
 * @param brandId the brand
 * @param code short upper-case code, unique per brand ({@code POINT})
 * @param kind point, on-chain currency or airdrop
 * @param decimals how many decimal places the smallest unit represents (amounts are
 * always whole numbers of the smallest unit)
 * @param address for an on-chain currency, the token's address (contract, mint or issuer)
 * if the brand gave it; {@code null} otherwise
 * @param chainId for an on-chain currency, the chain the token lives on ({@code 8453},
 * {@code eip155:1}, {@code solana:mainnet}) if the brand gave it; {@code null} otherwise
 */
public record Currency(String brandId, String code, CurrencyKind kind, int decimals, @Nullable String address,
		@Nullable String chainId) {

	/** A currency without on-chain details: every point or airdrop currency. */
	public Currency(String brandId, String code, CurrencyKind kind, int decimals) {
		this(brandId, code, kind, decimals, null, null);
	}

}
