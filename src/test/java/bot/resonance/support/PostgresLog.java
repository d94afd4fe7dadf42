package bot.resonance.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What the embedded PostgreSQL writes to its own log (in its data folder) from the moment
 * this is made, and a switch that makes it log every statement it runs, with its
 * parameters: so a test can see everything Resonance sent the database.
 */
public final class PostgresLog {

	private final Path file;

	private final long start;

	private PostgresLog(Path file, long start) {
		this.file = file;
		this.start = start;
	}

	/** Starts reading where the log ends now. */
	public static PostgresLog fromNow(JdbcClient jdbc) {
		String file = jdbc.sql("select current_setting('data_directory') || '/' || pg_current_logfile()")
			.query(String.class)
			.single();
		Path path = Path.of(file);
		try {
			return new PostgresLog(path, Files.size(path));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** What was written since. */
	public String written() {
		try {
			byte[] bytes = Files.readAllBytes(this.file);
			int from = (int) Math.min(this.start, bytes.length);
			return new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Makes the whole server log every statement with its parameters, or stop (for all
	 * its databases and connections).
	 */
	public static void logEveryStatement(JdbcClient jdbc, boolean on) {
		jdbc.sql(on ? "alter system set log_statement = 'all'" : "alter system reset log_statement").update();
		jdbc.sql("select pg_reload_conf()").query().singleRow();
		// Each backend reads the new setting before its next statement, once PostgreSQL
		// has passed the reload on to it: a moment is enough.
		try {
			Thread.sleep(300);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
