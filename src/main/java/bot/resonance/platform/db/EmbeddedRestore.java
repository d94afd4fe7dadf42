package bot.resonance.platform.db;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Loads a {@code pg_dump} archive into the embedded database when it is new
 * ({@code resonance.embedded-db.restore-from}), before anything else uses it: how a
 * backup of the embedded default comes back on a new machine, or in a new data folder,
 * without a PostgreSQL of one's own.
 *
 * <p>
 * It never writes over data: a database that already holds tables is restored into only
 * if it was restored from this same archive before (the setting was left on), and then
 * nothing is done. The archive is loaded by PostgreSQL's own {@code pg_restore}, version
 * 17 or later (the embedded server's); a restore that fails leaves the database empty
 * again and stops the start with {@code pg_restore}'s words.
 */
final class EmbeddedRestore {

	/** Where PostgreSQL's client tools are found when no folder is configured. */
	static final List<String> TOOL_FOLDERS = List.of("/usr/lib/postgresql/18/bin", "/usr/lib/postgresql/17/bin",
			"/opt/resonance/pg-client-17/bin", "/usr/local/bin", "/usr/bin", "/opt/homebrew/bin");

	/** How the marker begins while a restore runs. */
	private static final String RESTORING = "restoring\n";

	private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\) (\\d+)");

	private EmbeddedRestore() {
	}

	/**
	 * The marker of a data folder restored from an archive, next to it: which archive,
	 * and whether the restore is still under way.
	 */
	static Path marker(Path directory) {
		return directory.resolveSibling(directory.getFileName() + ".restored");
	}

	/**
	 * Restores {@code archive} into the server's (new, empty) database, or does nothing
	 * if it was restored from it already; returns what it did, for the start-up log
	 * (logging is not set up yet when the embedded server starts).
	 * @throws RestoreException if the database holds other data, the archive cannot be
	 * read, no suitable {@code pg_restore} is found, or the restore fails
	 */
	static String restore(EmbeddedPostgres postgres, Path directory, Path archive, @Nullable String toolFolder) {
		Path file = archive.toAbsolutePath().normalize();
		if (!Files.isReadable(file)) {
			throw new RestoreException(
					"resonance.embedded-db.restore-from names " + file + ", which is not a readable file");
		}
		String identity = identity(file);
		Path marker = marker(directory);
		String marked = readMarker(marker);
		if (marked != null && marked.startsWith(RESTORING)) {
			// A restore that did not finish (the process was stopped): what it loaded is
			// not data of anyone's, and goes before this one.
			emptyAgain(postgres);
		}
		else if (holdsTables(postgres)) {
			if (identity.equals(marked)) {
				return "The embedded database was restored from " + file
						+ " before; it is used as it is now (resonance.embedded-db.restore-from may be removed)";
			}
			throw new RestoreException("The embedded database in " + directory
					+ " already holds data: resonance.embedded-db.restore-from restores only into a new data folder,"
					+ " never over data. Start with another data folder (RESONANCE_DATA_DIR), or move "
					+ directory.getParent() + " away, to restore " + file);
		}
		Path pgRestore = pgRestore(toolFolder);
		long started = System.nanoTime();
		List<String> command = List.of(pgRestore.toString(), "--no-owner", "--no-privileges", "--exit-on-error",
				"--host", "localhost", "--port", Integer.toString(postgres.getPort()), "--username",
				EmbeddedPostgresServer.USER, "--dbname", EmbeddedPostgresServer.DATABASE, file.toString());
		write(marker, RESTORING + identity, file);
		Outcome outcome = run(command);
		if (outcome.exitCode() != 0) {
			emptyAgain(postgres);
			try {
				Files.deleteIfExists(marker);
			}
			catch (IOException ex) {
				// the next start empties the database again, which it is already
			}
			throw new RestoreException("pg_restore could not restore " + file + " (exit code " + outcome.exitCode()
					+ "); the embedded database was left empty:\n" + outcome.output().strip());
		}
		write(marker, identity, file);
		return "Restored " + file + " into the embedded database with " + pgRestore + " in "
				+ Duration.ofNanos(System.nanoTime() - started).toSeconds() + " s";
	}

	/**
	 * {@code pg_restore} of PostgreSQL 17 or later: in {@code toolFolder} if given, else
	 * in the first of the usual folders that has one.
	 */
	static Path pgRestore(@Nullable String toolFolder) {
		List<String> folders = new ArrayList<>();
		if (toolFolder != null && !toolFolder.isBlank()) {
			folders.add(toolFolder);
		}
		else {
			folders.addAll(TOOL_FOLDERS);
		}
		List<String> tooOld = new ArrayList<>();
		for (String folder : folders) {
			Path tool = Path.of(folder, "pg_restore");
			if (!Files.isExecutable(tool)) {
				continue;
			}
			Outcome version = run(List.of(tool.toString(), "--version"));
			Matcher major = VERSION.matcher(version.output());
			if (version.exitCode() == 0 && major.find() && Integer.parseInt(major.group(1)) >= 17) {
				return tool;
			}
			tooOld.add(tool + " (" + version.output().strip() + ")");
		}
		throw new RestoreException(String.format(Locale.ROOT,
				"resonance.embedded-db.restore-from needs pg_restore of PostgreSQL 17 or later (the embedded server's"
						+ " version) and found none in %s%s. Install PostgreSQL 17's client tools (Debian 13:"
						+ " postgresql-client-17; Debian 12: bash .ci/pg-client-17 from the repository) or set"
						+ " resonance.embedded-db.pg-bin to their folder.",
				folders, tooOld.isEmpty() ? "" : "; too old: " + String.join(", ", tooOld)));
	}

	/** The archive as it is now: its path, size and time of change. */
	private static String identity(Path file) {
		try {
			return file + "\n" + Files.size(file) + "\n" + Files.getLastModifiedTime(file).toMillis() + "\n";
		}
		catch (IOException ex) {
			throw new RestoreException("Could not read " + file, ex);
		}
	}

	private static void write(Path marker, String content, Path file) {
		try {
			Files.writeString(marker, content);
		}
		catch (IOException ex) {
			throw new RestoreException("Could not write " + marker + " while restoring " + file, ex);
		}
	}

	private static @Nullable String readMarker(Path marker) {
		try {
			return Files.isRegularFile(marker) ? Files.readString(marker) : null;
		}
		catch (IOException ex) {
			return null;
		}
	}

	private static boolean holdsTables(EmbeddedPostgres postgres) {
		try (Connection connection = postgres.getDatabase(EmbeddedPostgresServer.USER, EmbeddedPostgresServer.DATABASE)
			.getConnection();
				Statement statement = connection.createStatement();
				ResultSet tables = statement.executeQuery("""
						select count(*) from pg_tables where schemaname not in ('pg_catalog', 'information_schema')
						""")) {
			tables.next();
			return tables.getLong(1) > 0;
		}
		catch (SQLException ex) {
			throw new RestoreException("Could not look into the embedded database", ex);
		}
	}

	/** Drops what a failed restore loaded, so that the next start can restore again. */
	private static void emptyAgain(EmbeddedPostgres postgres) {
		try (Connection connection = postgres.getPostgresDatabase().getConnection();
				Statement statement = connection.createStatement()) {
			statement.execute("drop database " + EmbeddedPostgresServer.DATABASE + " with (force)");
			statement.execute(EmbeddedPostgresServer.CREATE_DATABASE);
		}
		catch (SQLException ex) {
			throw new RestoreException("pg_restore failed, and the embedded database could not be emptied after it:"
					+ " delete the data folder's postgres folder before starting again", ex);
		}
	}

	private static Outcome run(List<String> command) {
		try {
			Path output = Files.createTempFile("resonance-restore", ".log");
			try {
				Process process = new ProcessBuilder(command).redirectErrorStream(true)
					.redirectOutput(output.toFile())
					.start();
				process.getOutputStream().close();
				int exit = process.waitFor();
				return new Outcome(exit, Files.readString(output, StandardCharsets.UTF_8));
			}
			finally {
				Files.deleteIfExists(output);
			}
		}
		catch (IOException ex) {
			return new Outcome(-1, command.get(0) + " could not be run: " + ex.getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new Outcome(-1, command.get(0) + " was interrupted");
		}
	}

	private record Outcome(int exitCode, String output) {
	}

	/**
	 * A restore that did not happen, and why: a start stopped with a known fix, reported
	 * without a stack trace ({@link EmbeddedRestoreFailureAnalyzer}).
	 */
	static final class RestoreException extends IllegalStateException {

		RestoreException(String message) {
			super(message);
		}

		RestoreException(String message, Throwable cause) {
			super(message, cause);
		}

	}

}
