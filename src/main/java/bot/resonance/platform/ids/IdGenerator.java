package bot.resonance.platform.ids;

/**
 * Source of unique, time-sortable identifiers. Injected so tests can control it.
 */
public interface IdGenerator {

	/**
	 * A new ULID: 26 Crockford base32 characters, lexicographically sortable by creation
	 * time and strictly increasing within this process.
	 */
	String ulid();

	/** A new ULID with a prefix such as {@code evt_}. */
	default String prefixed(String prefix) {
		return prefix + ulid();
	}

}
