package bot.resonance.ledger;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a transfer is for. Every transfer carries one; the ledger stores it in
 * {@code ledger_transfers.kind} under the name transfers of that kind were always stored
 * with, so older rows read the same, and derives the transfer's idempotency key from it
 * and the transfer's key: each code's keys live in a namespace of their own (the prefix
 * transfers of that kind always had), so the keys of two codes never collide and a
 * re-post of something posted before this enum existed still meets its key.
 */
public enum TransferCode {

	/** A reward for an event: brand wallet → member. Key: the event id. */
	AWARD("award", "award:"),

	/**
	 * A referrer's share of a reward: brand wallet → member. Key: the rewarded event's
	 * id.
	 */
	AFFILIATE_PAYOUT("affiliate", "affiliate:"),

	/**
	 * An operator funds a brand wallet: issuance → brand wallet. Key: the operator's key.
	 */
	FUNDING("funding", "funding:"),

	/**
	 * What a member merged into another held, moved to the survivor: member → member.
	 * Key: absorbed, survivor and currency.
	 */
	MEMBER_MERGE("member_merge", "merge:"),

	/**
	 * A reward taken back (a refunded order): member → brand wallet, usually reversing
	 * the award. Key: the reversal's id.
	 */
	REWARD_REVERSAL("reversal", "reversal:"),

	/**
	 * An incoming webhook's {@code currency.add}, in either direction between the brand
	 * wallet and a member. Key: the call's id, which carries its own {@code call_} prefix
	 * (and always did: the key is the call id, unchanged).
	 */
	INCOMING_WEBHOOK("incoming_webhook", ""),

	/**
	 * Value held in escrow by a pending transfer until a trade, duel or purchase settles
	 * (then posted to whoever gets it) or falls through (then voided).
	 */
	ESCROW("escrow", "escrow:"),

	/**
	 * A person spends RSNC at a brand: the person's network balance → the brand's RSNC
	 * wallet. Key: the redemption's id.
	 */
	REDEMPTION("redemption", "redemption:");

	private final String dbName;

	private final String keyPrefix;

	TransferCode(String dbName, String keyPrefix) {
		this.dbName = dbName;
		this.keyPrefix = keyPrefix;
	}

	/** The code as stored ({@code ledger_transfers.kind}). */
	public String dbName() {
		return this.dbName;
	}

	/**
	 * The idempotency key of this code's transfer identified by {@code key} (an event id,
	 * a call id, an operator's Idempotency-Key), unique per brand and the same on every
	 * retry.
	 */
	public String idempotencyKey(String key) {
		return this.keyPrefix + key;
	}

	public static Optional<TransferCode> fromDbName(String name) {
		return Arrays.stream(values()).filter((code) -> code.dbName.equals(name)).findFirst();
	}

}
