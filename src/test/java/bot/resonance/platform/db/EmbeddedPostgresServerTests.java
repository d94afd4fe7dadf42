package bot.resonance.platform.db;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.nio.file.Path;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The embedded default survives a {@code kill -9} of Resonance: the PostgreSQL it leaves
 * running on the data folder is shut down before a new one starts there.
 */
class EmbeddedPostgresServerTests {

	@TempDir
	Path folder;

	@Test
	void stopsAPostgresOrphanedOnTheDataFolder() throws Exception {
		Path data = this.folder.resolve("postgres");
		// Started and never closed, as if the process that started it had been killed.
		EmbeddedPostgres orphan = EmbeddedPostgres.builder()
			.setDataDirectory(data)
			.setCleanDataDirectory(false)
			.setPGStartupWait(Duration.ofSeconds(60))
			.start();
		long pid = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).getFirst().trim());
		assertThat(ProcessHandle.of(pid)).hasValueSatisfying((process) -> assertThat(process.isAlive()).isTrue());

		EmbeddedPostgresServer.stopOrphan(data, (message) -> {
		});

		assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
		// A killed JVM holds no file locks; this one must let go of its own before
		// reusing it.
		// pg_ctl finds nothing to stop, which the library logs as an error with its
		// trace.
		Logger library = (Logger) LoggerFactory.getLogger(EmbeddedPostgres.class);
		Level level = library.getLevel();
		library.setLevel(Level.OFF);
		try {
			orphan.close();
		}
		catch (Exception alreadyStopped) {
			// as expected
		}
		finally {
			library.setLevel(level);
		}
		// The folder is usable again.
		try (EmbeddedPostgres again = EmbeddedPostgres.builder()
			.setDataDirectory(data)
			.setCleanDataDirectory(false)
			.setPGStartupWait(Duration.ofSeconds(60))
			.start()) {
			assertThat(again.getPort()).isPositive();
		}
	}

	@Test
	void leavesAlonePidsThatAreNotPostgresOnThisFolder() throws Exception {
		Path data = Files.createDirectories(this.folder.resolve("postgres"));
		long self = ProcessHandle.current().pid();
		Files.writeString(data.resolve("postmaster.pid"), self + "\n" + data + "\n");
		EmbeddedPostgresServer.stopOrphan(data, (message) -> {
		});
		assertThat(ProcessHandle.current().isAlive()).isTrue();
	}

	@Test
	void refusesAFolderWhoseServerAnotherLiveProcessRuns() throws Exception {
		Path data = this.folder.resolve("postgres");
		EmbeddedPostgresServer.Settings settings = new EmbeddedPostgresServer.Settings(data, 0, false, false, "32MB",
				Map.of());
		EmbeddedPostgresServer running = EmbeddedPostgresServer.start(data, settings, (message) -> {
		});
		long postmaster = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).getFirst().trim());
		// As if another Resonance (a live process, not this one) had started it.
		Process other = new ProcessBuilder("sleep", "60").start();
		try {
			ProcessHandle handle = other.toHandle();
			Files.writeString(EmbeddedPostgresServer.ownerFile(data),
					handle.pid() + " " + handle.info().startInstant().orElseThrow().toEpochMilli() + "\n");
			assertThatThrownBy(() -> EmbeddedPostgresServer.start(data, settings, (message) -> {
			})).isInstanceOf(EmbeddedPostgresServer.DataFolderInUseException.class)
				.hasMessageContaining("pid " + handle.pid());
			// Its PostgreSQL was left alone.
			assertThat(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive).orElse(false)).isTrue();

			// Once that process is gone, the folder's server is an orphan like any other.
			other.destroy();
			other.waitFor();
			Files.writeString(EmbeddedPostgresServer.ownerFile(data),
					handle.pid() + " " + handle.info().startInstant().map((i) -> i.toEpochMilli()).orElse(1L) + "\n");
			assertThatCode(() -> EmbeddedPostgresServer.refuseIfInUse(data)).doesNotThrowAnyException();
		}
		finally {
			other.destroy();
			running.close();
		}
		// This process's own record is taken away when its server stops.
		assertThat(EmbeddedPostgresServer.ownerFile(data)).exists();
		EmbeddedPostgresServer again = EmbeddedPostgresServer.start(data, settings, (message) -> {
		});
		assertThat(Files.readString(EmbeddedPostgresServer.ownerFile(data)))
			.startsWith(ProcessHandle.current().pid() + " ");
		again.close();
		assertThat(EmbeddedPostgresServer.ownerFile(data)).doesNotExist();
	}

	/**
	 * A jar built without this platform's PostgreSQL says what to do instead (a
	 * PostgreSQL of one's own, or a build that carries this platform's), and the data
	 * folder is left as it was, so a start that has the binaries works on it.
	 */
	@Test
	void saysWhatToDoWhenTheJarHasNoPostgresForThisPlatform() throws Exception {
		Path data = this.folder.resolve("postgres");
		EmbeddedPostgresServer.Settings settings = new EmbeddedPostgresServer.Settings(data, 0, false, false, "32MB",
				Map.of());
		// The library's own lookup, asked for a platform no jar carries.
		PgBinaryResolver missing = (system, machine) -> DefaultPostgresBinaryResolver.INSTANCE.getPgBinary("Plan9",
				"mips");

		// The library logs the missing binaries as an error of its own, kept out of the
		// log so a passing run reads clean.
		Logger lookup = (Logger) LoggerFactory.getLogger(DefaultPostgresBinaryResolver.class);
		Level level = lookup.getLevel();
		lookup.setLevel(Level.OFF);
		try {
			assertThatThrownBy(() -> EmbeddedPostgresServer.start(data, settings, (message) -> {
			}, missing)).isInstanceOf(IllegalStateException.class)
				.hasMessageStartingWith("This build of Resonance has no embedded PostgreSQL for "
						+ System.getProperty("os.name") + " on " + System.getProperty("os.arch"))
				.hasMessageContaining("set SPRING_DATASOURCE_URL to use your own PostgreSQL")
				.hasMessageContaining("./mvnw -DskipTests -Pall-postgres-platforms package");
		}
		finally {
			lookup.setLevel(level);
		}

		EmbeddedPostgresServer server = EmbeddedPostgresServer.start(data, settings, (message) -> {
		});
		try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), server.username(), "");
				ResultSet answer = connection.createStatement().executeQuery("select 1")) {
			assertThat(answer.next()).isTrue();
		}
		finally {
			server.close();
		}
	}

	@Test
	void keepsItsPortFromOneStartToTheNextUnlessItIsTaken() throws Exception {
		Path data = this.folder.resolve("postgres");
		EmbeddedPostgresServer.Settings settings = new EmbeddedPostgresServer.Settings(data, 0, false, false, "32MB",
				Map.of());
		EmbeddedPostgresServer first = EmbeddedPostgresServer.start(data, settings, (message) -> {
		});
		int port = first.port();
		first.close();
		assertThat(Files.readString(EmbeddedPostgresServer.portFile(data)).strip()).isEqualTo(String.valueOf(port));

		EmbeddedPostgresServer second = EmbeddedPostgresServer.start(data, settings, (message) -> {
		});
		assertThat(second.port()).isEqualTo(port);
		second.close();

		// Taken by someone else meanwhile: another port, remembered from then on.
		try (ServerSocket taken = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
			EmbeddedPostgresServer third = EmbeddedPostgresServer.start(data, settings, (message) -> {
			});
			assertThat(third.port()).isNotEqualTo(port);
			assertThat(Files.readString(EmbeddedPostgresServer.portFile(data)).strip())
				.isEqualTo(String.valueOf(third.port()));
			third.close();
		}

		// A configured port is the one it runs on: the file says so too (backup scripts
		// read it).
		int configured;
		try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			configured = free.getLocalPort();
		}
		EmbeddedPostgresServer fourth = EmbeddedPostgresServer.start(data,
				new EmbeddedPostgresServer.Settings(data, configured, false, false, "32MB", Map.of()), (message) -> {
				});
		assertThat(fourth.port()).isEqualTo(configured);
		assertThat(Files.readString(EmbeddedPostgresServer.portFile(data)).strip())
			.isEqualTo(String.valueOf(configured));
		fourth.close();
	}

	/**
	 * Autovacuum looks every 10 seconds (statements planned on an empty table's
	 * statistics are planned again once it is analyzed), unless the operator's settings
	 * say otherwise.
	 */
	@Test
	void analyzesTablesSoonAfterTheyFillUnlessToldOtherwise() throws Exception {
		Path data = this.folder.resolve("postgres");
		EmbeddedPostgresServer defaults = EmbeddedPostgresServer.start(data,
				new EmbeddedPostgresServer.Settings(data, 0, false, false, "32MB", Map.of()), (message) -> {
				});
		try {
			assertThat(setting(defaults, "autovacuum_naptime")).isEqualTo("10s");
		}
		finally {
			defaults.close();
		}
		EmbeddedPostgresServer configured = EmbeddedPostgresServer.start(data,
				new EmbeddedPostgresServer.Settings(data, 0, false, false, "32MB", Map.of("autovacuum_naptime", "30s")),
				(message) -> {
				});
		try {
			assertThat(setting(configured, "autovacuum_naptime")).isEqualTo("30s");
		}
		finally {
			configured.close();
		}
	}

	/**
	 * PostgreSQL's own log is kept in the data folder ({@code postgres/log}, a file per
	 * weekday): its standard error is a pipe nobody reads once it has started, and what
	 * it says about failed statements, lock waits or checkpoints would be lost.
	 */
	@Test
	void keepsPostgresOwnLogInTheDataFolder() throws Exception {
		Path data = this.folder.resolve("postgres");
		EmbeddedPostgresServer server = EmbeddedPostgresServer.start(data,
				new EmbeddedPostgresServer.Settings(data, 0, false, false, "32MB", Map.of()), (message) -> {
				});
		try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), server.username(), "")) {
			assertThatThrownBy(() -> connection.createStatement().execute("select 1 / 0 as resonance_log_probe"))
				.hasMessageContaining("division by zero");
			assertThat(setting(server, "log_filename")).isEqualTo("postgresql-%a.log");
			// An operator's reload of the configuration applies cleanly: the settings
			// only a start can change agree between the command line and the files.
			connection.createStatement().execute("alter system set log_min_duration_statement = '5s'");
			connection.createStatement().execute("select pg_reload_conf()");
			for (int i = 0; i < 100 && !setting(server, "log_min_duration_statement").equals("5s"); i++) {
				Thread.sleep(50);
			}
			assertThat(setting(server, "log_min_duration_statement")).isEqualTo("5s");
		}
		finally {
			server.close();
		}
		Path logs = data.resolve("log");
		assertThat(logs).isDirectory();
		try (var files = Files.list(logs)) {
			String written = files
				.filter((file) -> file.getFileName().toString().matches("postgresql-[A-Z][a-z]{2}\\.log"))
				.map((file) -> {
					try {
						return Files.readString(file);
					}
					catch (java.io.IOException ex) {
						throw new java.io.UncheckedIOException(ex);
					}
				})
				.reduce("", String::concat);
			assertThat(written).contains("division by zero")
				.contains("resonance_log_probe")
				.contains("parameter \"log_min_duration_statement\" changed to \"5s\"")
				.doesNotContain("cannot be changed without restarting")
				.doesNotContain("contains errors");
		}
	}

	/**
	 * The database uses PostgreSQL's built-in UTF-8 locale: text keys compare byte by
	 * byte, and text sorts by code point.
	 */
	@Test
	void createsTheDatabaseWithTheBuiltInUtf8Locale() throws Exception {
		Path data = this.folder.resolve("postgres");
		EmbeddedPostgresServer server = EmbeddedPostgresServer.start(data,
				new EmbeddedPostgresServer.Settings(data, 0, false, false, "32MB", Map.of()), (message) -> {
				});
		try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), server.username(), "");
				ResultSet result = connection.createStatement()
					.executeQuery("select d.datlocprovider, d.datlocale, pg_encoding_to_char(d.encoding),"
							+ " (select string_agg(v, ',' order by v) from unnest(array['b', 'B', 'é', 'a', 'Z']) v)"
							+ " from pg_database d where d.datname = current_database()")) {
			result.next();
			assertThat(result.getString(1)).isEqualTo("b");
			assertThat(result.getString(2)).isEqualTo("C.UTF-8");
			assertThat(result.getString(3)).isEqualTo("UTF8");
			assertThat(result.getString(4)).isEqualTo("B,Z,a,b,é");
		}
		finally {
			server.close();
		}
	}

	private static String setting(EmbeddedPostgresServer server, String name) throws Exception {
		try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), server.username(), "");
				ResultSet result = connection.createStatement().executeQuery("show " + name)) {
			result.next();
			return result.getString(1);
		}
	}

}
