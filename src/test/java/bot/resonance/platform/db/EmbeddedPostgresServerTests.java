package bot.resonance.platform.db;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

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
		try {
			orphan.close();
		}
		catch (Exception alreadyStopped) {
			// pg_ctl finds nothing to stop
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

}
