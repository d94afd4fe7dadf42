package bot.resonance.platform.db;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Plans for statements that look rows up by key, for the rest of the current transaction:
 * indexes only (no sequential scans, hash or merge joins, whose choice follows statistics
 * that lag behind a table's growth), and each prepared statement planned once (a generic
 * plan) instead of at every execution.
 *
 * <p>
 * Statements that take their keys as arrays ({@code unnest}) are otherwise planned anew
 * every time: PostgreSQL compares a generic plan, which assumes ten elements, with plans
 * for the actual (often one-element) array, finds the latter cheaper, and keeps making
 * them. For the statements that resolve members, planning took longer than executing.
 */
@Component
public class KeyedPlans {

	/**
	 * The settings, as a {@code select} a statement can embed (a {@code materialized}
	 * CTE) to apply them in a round trip it makes anyway; they then hold from the next
	 * statement on (call {@link #applied} after it).
	 */
	public static final String SETTINGS_SQL = """
			select set_config('enable_seqscan', 'off', true), set_config('enable_hashjoin', 'off', true),
			       set_config('enable_mergejoin', 'off', true),
			       set_config('plan_cache_mode', 'force_generic_plan', true)""";

	private static final Object APPLIED = new Object();

	private final JdbcClient jdbc;

	KeyedPlans(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Applies the settings to the current transaction, unless they were already; without
	 * a transaction (each statement its own), does nothing.
	 */
	public void inThisTransaction() {
		if (!TransactionSynchronizationManager.isActualTransactionActive()
				|| TransactionSynchronizationManager.hasResource(APPLIED)) {
			return;
		}
		this.jdbc.sql(SETTINGS_SQL).query().singleRow();
		applied();
	}

	/** Notes that the current transaction ran {@link #SETTINGS_SQL}. */
	public static void applied() {
		if (!TransactionSynchronizationManager.isSynchronizationActive()
				|| TransactionSynchronizationManager.hasResource(APPLIED)) {
			return;
		}
		TransactionSynchronizationManager.bindResource(APPLIED, Boolean.TRUE);
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCompletion(int status) {
				TransactionSynchronizationManager.unbindResourceIfPossible(APPLIED);
			}
		});
	}

}
