package bot.resonance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bin/resonance}, the launcher, run by {@code /bin/sh} with fake {@code java}
 * programs that report a version and record how they were called: it picks the first JDK
 * 25 or newer (JAVA_HOME, the PATH, SDKMAN, the usual JDK folders) over an older default
 * Java, says what it found when there is no JDK 25, and runs the jar with the server's
 * arguments unchanged, building it first when a checkout has none.
 */
class LauncherScriptIntegrationTests {

	private static final Path SCRIPT = Path.of("bin/resonance").toAbsolutePath();

	@TempDir
	Path dir;

	private Path home;

	private Path pathJava17;

	private Path record;

	@BeforeEach
	void setUp() throws IOException {
		this.home = Files.createDirectories(this.dir.resolve("home"));
		this.record = this.dir.resolve("record.txt");
		this.pathJava17 = fakeJdk(this.dir.resolve("path-jdk"), "17.0.15").resolve("bin");
	}

	@Test
	void takesJavaHomeWhenItIsAJdk25() throws Exception {
		Path jdk25 = fakeJdk(this.dir.resolve("jdk-25"), "25.0.1");
		Result result = run(Map.of("JAVA_HOME", jdk25.toString()), "--print-java");
		assertThat(result.exit()).as(result.toString()).isZero();
		assertThat(result.stdout()).isEqualTo(jdk25.resolve("bin/java") + " (version 25)\n");
	}

	@Test
	void passesOverAnOlderJavaHomeAndPathJavaForAJdk25ElsewhereOnTheMachine() throws Exception {
		Path java17Home = fakeJdk(this.dir.resolve("jdk-17"), "17.0.2");
		Path jvm = this.dir.resolve("jvm");
		fakeJdk(jvm.resolve("java-1.8.0-openjdk"), "1.8.0_402");
		fakeJdk(jvm.resolve("java-21-openjdk"), "21.0.5");
		Path jdk25 = fakeJdk(jvm.resolve("temurin-25-jdk"), "25");
		Result result = run(Map.of("JAVA_HOME", java17Home.toString(), "RESONANCE_JDK_DIRS", jvm.toString()),
				"--print-java");
		assertThat(result.exit()).as(result.toString()).isZero();
		assertThat(result.stdout()).isEqualTo(jdk25.resolve("bin/java") + " (version 25)\n");
	}

	@Test
	void takesSdkmanBeforeTheSystemFolders() throws Exception {
		Path sdkman25 = fakeJdk(this.home.resolve(".sdkman/candidates/java/25.0.1-tem"), "25.0.1");
		Path jvm = this.dir.resolve("jvm");
		fakeJdk(jvm.resolve("temurin-26-jdk"), "26");
		Result result = run(Map.of("RESONANCE_JDK_DIRS", jvm.toString()), "--print-java");
		assertThat(result.exit()).as(result.toString()).isZero();
		assertThat(result.stdout()).isEqualTo(sdkman25.resolve("bin/java") + " (version 25)\n");
	}

	@Test
	void namesEveryJavaItFoundWhenNoneIsAJdk25() throws Exception {
		Path java8Home = fakeJdk(this.dir.resolve("jdk-8"), "1.8.0_402");
		Path jvm = this.dir.resolve("jvm");
		Path java21 = fakeJdk(jvm.resolve("java-21-openjdk"), "21.0.5");
		Result result = run(Map.of("JAVA_HOME", java8Home.toString(), "RESONANCE_JDK_DIRS", jvm.toString()),
				"--print-java");
		assertThat(result.exit()).as(result.toString()).isEqualTo(1);
		assertThat(result.stdout()).isEmpty();
		assertThat(result.stderr()).contains("Resonance needs a JDK 25 or newer, and none was found.")
			.contains(java8Home.resolve("bin/java") + " (version 8)")
			.contains(this.pathJava17.resolve("java") + " (version 17)")
			.contains(java21.resolve("bin/java") + " (version 21)")
			.contains("JAVA_HOME");
		assertThat(Files.exists(this.record)).as("no java was run with -jar").isFalse();
	}

	@Test
	void runsTheJarWithTheJdk25AndTheServersArgumentsUnchanged() throws Exception {
		Path jdk25 = fakeJdk(this.dir.resolve("jdk-25"), "25.0.1");
		Path jar = Files.writeString(this.dir.resolve("server.jar"), "not really a jar");
		Result result = run(Map.of("JAVA_HOME", jdk25.toString(), "RESONANCE_JAR", jar.toString(), "JAVA_OPTS",
				"-Xmx256m -Dfile.encoding=UTF-8"), "--server.port=0", "two words", "");
		assertThat(result.exit()).as(result.toString()).isZero();
		assertThat(Files.readAllLines(this.record)).containsExactly(jdk25.resolve("bin/java").toString(), "-Xmx256m",
				"-Dfile.encoding=UTF-8", "-jar", jar.toString(), "--server.port=0", "two words", "");
	}

	@Test
	void buildsTheJarWithTheJdk25WhenTheCheckoutHasNone() throws Exception {
		Path checkout = this.dir.resolve("checkout");
		Path script = Files.createDirectories(checkout.resolve("bin")).resolve("resonance");
		Files.copy(SCRIPT, script);
		executable(script);
		// A fake Maven wrapper: records the JAVA_HOME it was given and "builds" the jar.
		executable(Files.writeString(checkout.resolve("mvnw"), """
				#!/bin/sh
				echo "mvnw $* JAVA_HOME=$JAVA_HOME" > "$RECORD.build"
				mkdir -p target && echo jar > target/resonance-0.1.0-SNAPSHOT.jar
				"""));
		Path jdk25 = fakeJdk(this.dir.resolve("jdk-25"), "25.0.1");
		Result result = run(script, Map.of("JAVA_HOME", jdk25.toString()), "--server.port=0");
		assertThat(result.exit()).as(result.toString()).isZero();
		assertThat(result.stderr()).contains("Building the Resonance jar first");
		assertThat(Files.readString(this.record.resolveSibling("record.txt.build")))
			.isEqualTo("mvnw -q -DskipTests package JAVA_HOME=" + jdk25 + "\n");
		assertThat(Files.readAllLines(this.record)).containsExactly(jdk25.resolve("bin/java").toString(), "-jar",
				checkout.resolve("target/resonance-0.1.0-SNAPSHOT.jar").toString(), "--server.port=0");
	}

	@Test
	void saysHowToBuildWhenThereIsNoJarAndNoWrapper() throws Exception {
		Path elsewhere = Files.createDirectories(this.dir.resolve("elsewhere/bin")).resolve("resonance");
		Files.copy(SCRIPT, elsewhere);
		executable(elsewhere);
		Path jdk25 = fakeJdk(this.dir.resolve("jdk-25"), "25.0.1");
		Result result = run(elsewhere, Map.of("JAVA_HOME", jdk25.toString()));
		assertThat(result.exit()).as(result.toString()).isEqualTo(1);
		assertThat(result.stderr()).contains("./mvnw -DskipTests package").contains("RESONANCE_JAR");
		assertThat(Files.exists(this.record)).isFalse();
	}

	/**
	 * A JDK folder whose bin/java reports the version as {@code java -version} does (on
	 * standard error) and otherwise writes its own path and arguments, one a line, to
	 * $RECORD.
	 */
	private Path fakeJdk(Path home, String version) throws IOException {
		Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
		Files.writeString(java, """
				#!/bin/sh
				if [ "$1" = "-version" ]; then
				  echo 'openjdk version "%s" 2025-09-16' >&2
				  echo 'OpenJDK Runtime Environment (build %s)' >&2
				  exit 0
				fi
				{ echo "$0"; for arg in "$@"; do echo "$arg"; done; } > "$RECORD"
				""".formatted(version, version));
		executable(java);
		return home;
	}

	private static void executable(Path file) throws IOException {
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
	}

	private Result run(Map<String, String> env, String... args) throws Exception {
		return run(SCRIPT, env, args);
	}

	private Result run(Path script, Map<String, String> env, String... args) throws Exception {
		List<String> command = new ArrayList<>(List.of("/bin/sh", script.toString()));
		command.addAll(List.of(args));
		ProcessBuilder builder = new ProcessBuilder(command).directory(this.dir.toFile());
		Map<String, String> environment = builder.environment();
		environment.clear();
		Map<String, String> variables = new HashMap<>();
		// The fake old java comes first on the PATH; the system folders only give sh's
		// tools.
		variables.put("PATH", this.pathJava17 + ":/usr/bin:/bin");
		variables.put("HOME", this.home.toString());
		variables.put("RECORD", this.record.toString());
		// No real JDK of this machine is found unless a test lists its folder.
		variables.put("RESONANCE_JDK_DIRS", this.dir.resolve("no-jdks-here").toString());
		variables.putAll(env);
		environment.putAll(variables);
		Process process = builder.start();
		process.getOutputStream().close();
		byte[] out = process.getInputStream().readAllBytes();
		byte[] err = process.getErrorStream().readAllBytes();
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8),
				new String(err, StandardCharsets.UTF_8));
	}

	private record Result(int exit, String stdout, String stderr) {

	}

}
