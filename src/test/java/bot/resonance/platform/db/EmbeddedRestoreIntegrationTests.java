package bot.resonance.platform.db;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import bot.resonance.support.IntegrationTest;
import bot.resonance.support.IntegrationTestSupport;
import bot.resonance.support.PostgresTools;
import bot.resonance.support.ResonanceClient;
import bot.resonance.support.SecondNode;
import bot.resonance.support.TestBrand;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@code resonance.embedded-db.restore-from}: a {@code pg_dump} of the running embedded
 * database, loaded into a new data folder's embedded database by {@code pg_restore},
 * gives a node the same balances and events; a folder that holds data is never restored
 * over, and a failed restore leaves the database empty for the next try. Needs PostgreSQL
 * 17's client tools ({@code .ci/pg-client-17} installs them); fails, never skips, without
 * them.
 */
@IntegrationTest
class EmbeddedRestoreIntegrationTests extends IntegrationTestSupport {

	@Autowired
	Environment environment;

	@Autowired
	JdbcClient jdbc;

	@TempDir
	Path folder;

	@Test
	void aDumpIsRestoredIntoANewEmbeddedDatabaseOnceAndNeverOverData() throws Exception {
		Path pgRestore = EmbeddedRestore.pgRestore(System.getenv("RESONANCE_PG_BIN"));
		Path pgDump = pgRestore.resolveSibling("pg_dump");
		TestBrand brand = brandWith(1_000, "custom_event", Map.of("amount", 10));
		String user = newUserId();
		assertThat(this.client.event(brand, "custom_event", user).text("status")).isEqualTo("awarded");
		Path dump = this.folder.resolve("resonance.dump");
		PostgresTools.run(pgDump.toString(), "-Fc", "-h", "localhost", "-p",
				this.environment.getRequiredProperty("resonance.embedded-db.active-port"), "-U", "postgres", "-f",
				dump.toString(), "resonance");

		Path data = this.folder.resolve("data").resolve("postgres");
		EmbeddedPostgresServer.Settings restoring = new EmbeddedPostgresServer.Settings(data, 0, false, false, "32MB",
				Map.of(), dump, pgRestore.getParent().toString());
		EmbeddedPostgresServer server = EmbeddedPostgresServer.start(data, restoring, (message) -> {
		});
		try {
			assertThat(server.restored()).startsWith("Restored " + dump);
			assertThat(accounts(database(server), brand)).isEqualTo(accounts(this.jdbc, brand)).isNotEmpty();
			// A node on it migrates it (nothing to do) and answers as the original.
			try (SecondNode node = SecondNode.start(this.environment, this.clock,
					"spring.datasource.url=" + server.jdbcUrl())) {
				ResonanceClient restored = new ResonanceClient(node.port());
				for (String path : List.of("/v1/wallet", "/v1/members/" + user)) {
					assertThat(restored.get(brand, path).json()).as(path)
						.isEqualTo(this.client.get(brand, path).json());
				}
			}
		}
		finally {
			server.close();
		}
		assertThat(EmbeddedRestore.marker(data)).exists();

		// Started again with the setting left on: the data is kept as it is.
		EmbeddedPostgresServer again = EmbeddedPostgresServer.start(data, restoring, (message) -> {
		});
		try {
			assertThat(again.restored()).contains("restored from " + dump + " before");
			database(again).sql("update ledger_accounts set balance = balance where brand_id = :brand")
				.param("brand", brand.brandId())
				.update();
			assertThat(accounts(database(again), brand)).isEqualTo(accounts(this.jdbc, brand));
		}
		finally {
			again.close();
		}
		// Another archive over that data: refused, and the data stays.
		Path other = Files.copy(dump, this.folder.resolve("other.dump"));
		assertThatIllegalStateException().isThrownBy(() -> EmbeddedPostgresServer.start(data,
				new EmbeddedPostgresServer.Settings(data, 0, false, false, "32MB", Map.of(), other, null),
				(message) -> {
				}))
			.withMessageContaining("already holds data")
			.withMessageContaining("never over data");
		EmbeddedPostgresServer kept = EmbeddedPostgresServer.start(data,
				new EmbeddedPostgresServer.Settings(data, 0, false, false, "32MB", Map.of()), (message) -> {
				});
		try {
			assertThat(accounts(database(kept), brand)).isEqualTo(accounts(this.jdbc, brand));
		}
		finally {
			kept.close();
		}

		// A restore stopped halfway (the process killed) left part of a dump and its
		// marker: the next start empties the database and restores again.
		Path interrupted = this.folder.resolve("interrupted").resolve("postgres");
		EmbeddedPostgresServer halfway = EmbeddedPostgresServer.start(interrupted,
				new EmbeddedPostgresServer.Settings(interrupted, 0, false, false, "32MB", Map.of()), (message) -> {
				});
		try {
			database(halfway).sql("create table ledger_accounts (half text)").update();
		}
		finally {
			halfway.close();
		}
		Files.writeString(EmbeddedRestore.marker(interrupted), "restoring\n" + dump + "\n");
		EmbeddedPostgresServer resumed = EmbeddedPostgresServer.start(interrupted, new EmbeddedPostgresServer.Settings(
				interrupted, 0, false, false, "32MB", Map.of(), dump, pgRestore.getParent().toString()), (message) -> {
				});
		try {
			assertThat(resumed.restored()).startsWith("Restored " + dump);
			assertThat(accounts(database(resumed), brand)).isEqualTo(accounts(this.jdbc, brand));
		}
		finally {
			resumed.close();
		}
		assertThat(Files.readString(EmbeddedRestore.marker(interrupted))).doesNotStartWith("restoring");
	}

	@Test
	void aFailedRestoreSaysWhyAndLeavesTheDatabaseEmpty() throws Exception {
		Path broken = Files.writeString(this.folder.resolve("broken.dump"), "PGDMP not really a dump");
		Path data = this.folder.resolve("data").resolve("postgres");
		assertThatIllegalStateException()
			.isThrownBy(() -> EmbeddedPostgresServer.start(data, new EmbeddedPostgresServer.Settings(data, 0, false,
					false, "32MB", Map.of(), broken, System.getenv("RESONANCE_PG_BIN")), (message) -> {
					}))
			.withMessageContaining("pg_restore could not restore")
			.withMessageContaining("left empty");
		assertThat(EmbeddedRestore.marker(data)).doesNotExist();
		EmbeddedPostgresServer server = EmbeddedPostgresServer.start(data,
				new EmbeddedPostgresServer.Settings(data, 0, false, false, "32MB", Map.of()), (message) -> {
				});
		try {
			assertThat(database(server).sql("select count(*) from pg_tables where schemaname = 'public'")
				.query(Long.class)
				.single()).isZero();
		}
		finally {
			server.close();
		}
		assertThatIllegalStateException()
			.isThrownBy(() -> EmbeddedPostgresServer.start(data, new EmbeddedPostgresServer.Settings(data, 0, false,
					false, "32MB", Map.of(), this.folder.resolve("missing.dump"), null), (message) -> {
					}))
			.withMessageContaining("not a readable file");
		assertThatIllegalStateException().isThrownBy(() -> EmbeddedRestore.pgRestore(this.folder.toString()))
			.withMessageContaining("resonance.embedded-db.pg-bin");
	}

	private static JdbcClient database(EmbeddedPostgresServer server) {
		return JdbcClient.create(new DriverManagerDataSource(server.jdbcUrl(), server.username(), ""));
	}

	private static List<String> accounts(JdbcClient jdbc, TestBrand brand) {
		return jdbc.sql("""
				select kind || ' ' || owner_id || ' ' || currency || ' ' || balance from ledger_accounts
				where brand_id = :brand order by 1
				""").param("brand", brand.brandId()).query(String.class).list();
	}

}
