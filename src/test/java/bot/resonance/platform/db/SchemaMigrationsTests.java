package bot.resonance.platform.db;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.exception.FlywayValidateException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.diagnostics.FailureAnalysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A database a newer Resonance migrated is refused at start-up, with a report that says
 * so; one this version migrated starts.
 */
class SchemaMigrationsTests {

	@TempDir
	Path folder;

	@Test
	void aSchemaWithMigrationsThisVersionDoesNotKnowIsRefused() throws Exception {
		Path data = this.folder.resolve("postgres");
		EmbeddedPostgresServer server = EmbeddedPostgresServer.start(data,
				new EmbeddedPostgresServer.Settings(data, 0, false, false, "32MB", Map.of()), (message) -> {
				});
		try {
			migrate(server);
			// This version again: nothing to do, nothing refused.
			migrate(server);
			// A newer version's migration, recorded as applied.
			try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), server.username(), "");
					Statement statement = connection.createStatement()) {
				statement.execute("insert into flyway_schema_history (installed_rank, version, description, type, "
						+ "script, checksum, installed_by, execution_time, success) select max(installed_rank) + 1, "
						+ "'9999', 'from the future', 'SQL', 'V9999__from_the_future.sql', 0, 'resonance', 1, true "
						+ "from flyway_schema_history");
			}
			FlywayValidateException refused = catchThrowableOfType(FlywayValidateException.class,
					() -> migrate(server));
			FailureAnalysis analysis = new NewerSchemaFailureAnalyzer().analyze(refused);
			assertThat(analysis).isNotNull();
			assertThat(analysis.getDescription()).contains("migrated by a newer version of Resonance").contains("9999");
			assertThat(analysis.getAction()).contains("does not downgrade").contains("Do not run Flyway's repair");
		}
		finally {
			server.close();
		}
	}

	/** Migrates as the application does, with its customizer. */
	private static void migrate(EmbeddedPostgresServer server) {
		FluentConfiguration configuration = Flyway.configure()
			.dataSource(server.jdbcUrl(), server.username(), "")
			.locations("classpath:db/migration");
		new SchemaMigrations().refuseSchemasOfNewerVersions().customize(configuration);
		new SchemaMigrations().loggedMigrations().migrate(configuration.load());
	}

}
