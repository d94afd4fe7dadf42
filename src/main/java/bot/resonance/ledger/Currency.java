package bot.resonance.ledger;

/**
 * A brand's currency.
 *
 * @param brandId the brand
 * @param code short upper-case code, unique per brand ({@code POINT})
 * @param kind point, on-chain currency or airdrop
 * @param decimals how many decimal places the smallest unit represents (amounts are
 * always whole numbers of the smallest unit)
 */
public record Currency(String brandId, String code, CurrencyKind kind, int decimals) {
}
