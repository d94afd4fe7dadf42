package bot.resonance.ledger;

/** The kinds of ledger account. */
public enum AccountKind {

	/**
	 * Where a currency comes from: funding a brand wallet debits it. The only account
	 * allowed to go negative; its balance is minus the total ever issued.
	 */
	ISSUANCE,

	/** A brand's funding wallet: rewards are paid from it. */
	BRAND_WALLET,

	/** A member's balance. */
	MEMBER;

	public String dbName() {
		return name().toLowerCase(java.util.Locale.ROOT);
	}

	public static AccountKind fromDbName(String name) {
		return valueOf(name.toUpperCase(java.util.Locale.ROOT));
	}

}
