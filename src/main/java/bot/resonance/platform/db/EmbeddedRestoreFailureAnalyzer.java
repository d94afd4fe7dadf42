package bot.resonance.platform.db;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * A start stopped because {@code resonance.embedded-db.restore-from} could not restore:
 * the operator reads what happened and what to do (Spring Boot's "APPLICATION FAILED TO
 * START"), not a stack trace.
 */
class EmbeddedRestoreFailureAnalyzer extends AbstractFailureAnalyzer<EmbeddedRestore.RestoreException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, EmbeddedRestore.RestoreException cause) {
		return new FailureAnalysis(cause.getMessage(), "Fix what the description says and start again, or start without"
				+ " RESONANCE_EMBEDDEDDB_RESTOREFROM (see the operations guide's backup and restore).", cause);
	}

}
