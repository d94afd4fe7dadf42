package bot.resonance.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * PostgreSQL's client tools for the tests that dump and restore the embedded database,
 * and a way to run them. Tests fail, never skip, without the tools.
 */
public final class PostgresTools {

	/** Where the PostgreSQL 17 (or later) client tools may be. */
	private static final List<String> TOOL_FOLDERS = List.of("/usr/lib/postgresql/18/bin", "/usr/lib/postgresql/17/bin",
			"/opt/resonance/pg-client-17/bin");

	private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\) (\\d+)");

	private PostgresTools() {
	}

	/**
	 * A PostgreSQL client tool of version 17 or later (one older than the server refuses
	 * to dump it): {@code RESONANCE_PG_BIN}, else a known folder.
	 */
	public static Path tool(String name) throws IOException, InterruptedException {
		List<String> folders = new ArrayList<>();
		String configured = System.getenv("RESONANCE_PG_BIN");
		if (configured != null && !configured.isBlank()) {
			folders.add(configured);
		}
		folders.addAll(TOOL_FOLDERS);
		for (String folder : folders) {
			Path tool = Path.of(folder, name);
			if (Files.isExecutable(tool)) {
				Matcher major = VERSION.matcher(run(tool.toString(), "--version"));
				if (major.find() && Integer.parseInt(major.group(1)) >= 17) {
					return tool;
				}
			}
		}
		return fail(String.format(Locale.ROOT,
				"The backup test needs %s of PostgreSQL 17 or later (the embedded server's version), found in none of %s."
						+ " Install it: as root, run .ci/pg-client-17 (CI's .ci/run does), or set RESONANCE_PG_BIN to"
						+ " the folder of a PostgreSQL 17+ client.",
				name, folders));
	}

	/** Runs the command, fails unless it exits 0 within 5 minutes, returns its output. */
	public static String run(String... command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		process.getOutputStream().close();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!process.waitFor(5, TimeUnit.MINUTES)) {
			process.destroyForcibly();
			fail(String.join(" ", command) + " did not finish in 5 minutes");
		}
		assertThat(process.exitValue()).as(String.join(" ", command) + ":\n" + output).isZero();
		return output;
	}

}
