package bot.resonance.platform.db;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A start whose {@code restore-from} cannot restore explains itself (what happened, what
 * to do) instead of logging "Application run failed" with a stack trace.
 */
class EmbeddedRestoreFailureAnalyzerUnitTests {

	@TempDir
	Path folder;

	@Test
	void aRestoreThatCannotHappenIsExplainedWithTheFix() {
		Throwable failure = catchThrowable(() -> EmbeddedRestore.pgRestore(this.folder.toString()));

		FailureAnalysis analysis = new EmbeddedRestoreFailureAnalyzer().analyze(failure);

		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription()).contains("needs pg_restore of PostgreSQL 17 or later")
			.contains(this.folder.toString());
		assertThat(analysis.getAction()).contains("RESONANCE_EMBEDDEDDB_RESTOREFROM");
	}

	@Test
	void otherFailuresAreLeftToSpringBoot() {
		assertThat(new EmbeddedRestoreFailureAnalyzer().analyze(new IllegalStateException("something else"))).isNull();
	}

	@Test
	void springBootFindsIt() {
		assertThat(SpringFactoriesLoader.forDefaultResourceLocation()
			.load(FailureAnalyzer.class, SpringFactoriesLoader.ArgumentResolver.none(),
					// Boot's own analyzers want constructor arguments; only this one
					// matters here.
					(factoryType, implementationName, failure) -> {
					}))
			.hasAtLeastOneElementOfType(EmbeddedRestoreFailureAnalyzer.class);
	}

}
