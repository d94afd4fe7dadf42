package bot.resonance.ledger;

import java.util.Locale;

/**
 * A transfer's part in TigerBeetle's two-phase model. A {@link #POSTED} transfer moves
 * value at once. A {@link #PENDING} one reserves it: the debit account can pay that much
 * less, nothing is credited yet. It is later resolved exactly once, by a new transfer
 * linked to it: {@link #POST_PENDING} moves all or part of the reserve,
 * {@link #VOID_PENDING} releases it.
 */
public enum TransferPhase {

	POSTED, PENDING, POST_PENDING, VOID_PENDING;

	public String dbName() {
		return name().toLowerCase(Locale.ROOT);
	}

	public static TransferPhase fromDbName(String name) {
		return valueOf(name.toUpperCase(Locale.ROOT));
	}

}
