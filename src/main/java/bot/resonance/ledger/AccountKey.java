package bot.resonance.ledger;

/**
 * Names an account by what it is rather than by its id.
 *
 * @param brandId the brand
 * @param currency the currency code
 * @param kind issuance, brand wallet or member
 * @param ownerId the member id for member accounts, 0 otherwise
 */
public record AccountKey(String brandId, String currency, AccountKind kind, long ownerId) {

	public static AccountKey issuance(String brandId, String currency) {
		return new AccountKey(brandId, currency, AccountKind.ISSUANCE, 0);
	}

	public static AccountKey wallet(String brandId, String currency) {
		return new AccountKey(brandId, currency, AccountKind.BRAND_WALLET, 0);
	}

	public static AccountKey member(String brandId, String currency, long memberId) {
		return new AccountKey(brandId, currency, AccountKind.MEMBER, memberId);
	}

	/** The kind as stored in the database. */
	public String kindName() {
		return this.kind.dbName();
	}

}
