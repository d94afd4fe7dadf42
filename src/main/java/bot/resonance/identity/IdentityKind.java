package bot.resonance.identity;

import java.util.Arrays;
import java.util.Optional;

/** The platforms an identity can come from. */
public enum IdentityKind {

	/** A Discord user id (a snowflake). */
	DISCORD("discord");

	private final String wireName;

	IdentityKind(String wireName) {
		this.wireName = wireName;
	}

	public String wireName() {
		return this.wireName;
	}

	public static Optional<IdentityKind> fromWireName(String name) {
		return Arrays.stream(values()).filter((kind) -> kind.wireName.equals(name)).findFirst();
	}

}
