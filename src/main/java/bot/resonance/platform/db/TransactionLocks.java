package bot.resonance.platform.db;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Named locks held until the current transaction ends (PostgreSQL advisory locks keyed by
 * a hash of the name): they serialise work on something that may have no row to lock yet,
 * on every node.
 */
public final class TransactionLocks {

	private TransactionLocks() {
	}

	/** Waits for, then holds until the transaction ends, the lock named {@code name}. */
	public static void lock(JdbcClient jdbc, String name) {
		jdbc.sql("select pg_advisory_xact_lock(hashtextextended(:name, 0))").param("name", name).query().singleRow();
	}

}
