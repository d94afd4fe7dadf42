package bot.resonance.platform.db;

import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * How the database schema is brought up to this version at start-up: the migrations
 * applied are logged in one line, and a database a newer Resonance migrated is refused
 * (Flyway ignores migrations it does not know by default, so an older version would run
 * on a schema it does not understand); {@link NewerSchemaFailureAnalyzer} says so in the
 * failure report.
 */
@Configuration(proxyBeanMethods = false)
class SchemaMigrations {

	private static final Logger log = LoggerFactory.getLogger(SchemaMigrations.class);

	@Bean
	FlywayConfigurationCustomizer refuseSchemasOfNewerVersions() {
		return (configuration) -> configuration.ignoreMigrationPatterns(new String[0]);
	}

	@Bean
	FlywayMigrationStrategy loggedMigrations() {
		return (flyway) -> {
			MigrateResult result = flyway.migrate();
			if (result.migrationsExecuted > 0) {
				log.info((result.initialSchemaVersion == null)
						? "Database schema created at version " + result.targetSchemaVersion + " ("
								+ result.migrationsExecuted + " migrations)"
						: "Database schema migrated from version " + result.initialSchemaVersion + " to "
								+ result.targetSchemaVersion + " (" + result.migrationsExecuted + " migrations)");
			}
		};
	}

}
