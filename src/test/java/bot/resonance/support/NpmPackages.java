package bot.resonance.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * npm packages a test runs, installed at pinned versions into a folder under
 * {@code target/} on first use (npm is one of the programs {@code .ci/run} installs).
 */
public final class NpmPackages {

	private NpmPackages() {
	}

	/**
	 * Installs the packages ({@code name@version}) into {@code prefix/node_modules}
	 * unless each is there already; fails the test with npm's output if npm fails.
	 */
	public static synchronized void install(Path prefix, List<String> packages)
			throws IOException, InterruptedException {
		if (packages.stream()
			.allMatch((spec) -> Files.isDirectory(prefix.resolve("node_modules").resolve(name(spec))))) {
			return;
		}
		Files.createDirectories(prefix);
		Path log = prefix.resolve("npm-install.log");
		List<String> command = new ArrayList<>(List.of("npm", "install", "--no-audit", "--no-fund", "--loglevel=error",
				"--prefix", prefix.toString()));
		command.addAll(packages);
		Process install = new ProcessBuilder(command).directory(prefix.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		assertThat(install.waitFor(5, TimeUnit.MINUTES)).as("npm install " + packages + " finished").isTrue();
		assertThat(install.exitValue()).as(() -> "npm install: " + read(log)).isZero();
	}

	/** The package's name: its spec without the version ({@code @scope/name@1.2} too). */
	private static String name(String spec) {
		int at = spec.lastIndexOf('@');
		return (at > 0) ? spec.substring(0, at) : spec;
	}

	private static String read(Path log) {
		try {
			return Files.readString(log, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return "(no output: " + ex.getMessage() + ")";
		}
	}

}
