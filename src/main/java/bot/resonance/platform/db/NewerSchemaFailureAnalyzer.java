package bot.resonance.platform.db;

import org.flywaydb.core.api.exception.FlywayValidateException;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * A start refused because the database was migrated by a newer Resonance (its schema
 * history has versions this one does not know): the operator reads what happened and what
 * to do, not Flyway's advice to "repair" the history, which would let this version run on
 * a schema it does not understand.
 */
class NewerSchemaFailureAnalyzer extends AbstractFailureAnalyzer<FlywayValidateException> {

	@Override
	protected @Nullable FailureAnalysis analyze(Throwable rootFailure, FlywayValidateException cause) {
		String message = String.valueOf(cause.getMessage());
		if (!message.contains("not resolved locally")) {
			return null;
		}
		return new FailureAnalysis(
				"This database was migrated by a newer version of Resonance than this one: its schema has "
						+ "migrations this version does not know (" + message.strip() + ").",
				"Start the version that migrated it, or a newer one: Resonance does not downgrade a database. To "
						+ "go back to this version, restore a backup made before the upgrade (operations guide, "
						+ "\"Upgrading\"). Do not run Flyway's repair.",
				cause);
	}

}
