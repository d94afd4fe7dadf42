package bot.resonance.identity;

import java.util.Arrays;
import java.util.Optional;

/** The platforms and wallets an identity can come from. */
public enum IdentityKind {

	/** A Discord user id (a snowflake). */
	DISCORD("discord", false),

	/** An email address, its domain in lower case. */
	EMAIL("email", false),

	/** A Telegram user id. */
	TELEGRAM("telegram", false),

	/** A Twitter/X user id. */
	TWITTER("twitter", false),

	/** An EVM wallet address, EIP-55 checksummed. */
	EVM_ADDRESS("evm_address", true),

	/** A Solana wallet address (base58). */
	SOLANA_ADDRESS("solana_address", true),

	/** An XRPL classic address ({@code r…}). */
	XRPL_ADDRESS("xrpl_address", true);

	private final String wireName;

	private final boolean wallet;

	IdentityKind(String wireName, boolean wallet) {
		this.wireName = wireName;
		this.wallet = wallet;
	}

	public String wireName() {
		return this.wireName;
	}

	/** Whether this is a wallet address. */
	public boolean isWallet() {
		return this.wallet;
	}

	/** Whether this platform has a deterministic email alias ({@code discord_{id}@…}). */
	public boolean hasAlias() {
		return this == DISCORD || this == TELEGRAM || this == TWITTER;
	}

	public static Optional<IdentityKind> fromWireName(String name) {
		return Arrays.stream(values()).filter((kind) -> kind.wireName.equals(name)).findFirst();
	}

}
