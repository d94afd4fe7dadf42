package bot.resonance.platform.db;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * A start refused because another Resonance process runs the embedded PostgreSQL of the
 * same data folder: the operator reads which process and what to do (Spring Boot's
 * "APPLICATION FAILED TO START"), not a stack trace.
 */
class DataFolderInUseFailureAnalyzer extends AbstractFailureAnalyzer<EmbeddedPostgresServer.DataFolderInUseException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, EmbeddedPostgresServer.DataFolderInUseException cause) {
		return new FailureAnalysis(cause.getMessage(),
				"Stop that process first, or give this one a data folder of its own (RESONANCE_DATA_DIR). To run "
						+ "several nodes on one database, point them all at a PostgreSQL of your own "
						+ "(SPRING_DATASOURCE_URL; see the operations guide).",
				cause);
	}

}
