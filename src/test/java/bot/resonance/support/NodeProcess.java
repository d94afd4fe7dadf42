package bot.resonance.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import org.springframework.core.env.Environment;

/**
 * A Resonance node in its own JVM, on the test's database, so a test can {@code kill -9}
 * it.
 */
public final class NodeProcess implements AutoCloseable {

	/** What Spring Boot logs once the node listens, with the port it was given. */
	private static final Pattern STARTED = Pattern.compile("Tomcat started on port (\\d+)");

	private final Process process;

	private final Path log;

	private volatile int port;

	private NodeProcess(Process process, Path log) {
		this.process = process;
		this.log = log;
	}

	public static NodeProcess start(Environment firstNode, Path log) throws IOException, InterruptedException {
		return start(firstNode, log, List.of());
	}

	/** Starts a node with more command-line arguments ({@code --name=value}). */
	public static NodeProcess start(Environment firstNode, Path log, List<String> arguments)
			throws IOException, InterruptedException {
		String java = ProcessHandle.current().info().command().orElse("java");
		List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
				// Port 0: the node binds a free port itself (no pick-then-bind race) and
				// logs it.
				"bot.resonance.ResonanceApplication", "--server.port=0",
				"--spring.datasource.url=" + firstNode.getProperty("spring.datasource.url"),
				"--spring.datasource.username=" + firstNode.getProperty("spring.datasource.username"),
				"--spring.datasource.password=" + firstNode.getProperty("spring.datasource.password", ""),
				"--resonance.admin.token=" + ResonanceClient.ADMIN_TOKEN, "--resonance.startup-banner=false",
				"--resonance.data.dir=" + log.getParent().resolve("node-data").toAbsolutePath(),
				"--resonance.webhooks.allowed-private-targets=127.0.0.0/8"));
		command.addAll(arguments);
		return run(command, log);
	}

	/**
	 * Starts a node on a database of its own: the embedded default, in
	 * {@code dataFolder}.
	 */
	public static NodeProcess startOnItsOwnDatabase(Path dataFolder, Path log, List<String> arguments)
			throws IOException, InterruptedException {
		String java = ProcessHandle.current().info().command().orElse("java");
		List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
				"bot.resonance.ResonanceApplication", "--server.port=0",
				"--resonance.admin.token=" + ResonanceClient.ADMIN_TOKEN, "--resonance.startup-banner=false",
				"--resonance.data.dir=" + dataFolder.toAbsolutePath()));
		command.addAll(arguments);
		return run(command, log);
	}

	private static NodeProcess run(List<String> command, Path log) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		NodeProcess node = new NodeProcess(process, log);
		node.awaitHealthy(Duration.ofSeconds(90));
		return node;
	}

	private void awaitHealthy(Duration timeout) {
		HttpClient http = HttpClient.newHttpClient();
		try {
			Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(200)).until(() -> {
				if (!this.process.isAlive()) {
					throw new IllegalStateException("The node process exited with " + this.process.exitValue());
				}
				if (this.port == 0) {
					Matcher started = STARTED.matcher(Files.readString(this.log));
					if (!started.find()) {
						return false;
					}
					this.port = Integer.parseInt(started.group(1));
				}
				try {
					return http
						.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/actuator/health"))
							.build(), HttpResponse.BodyHandlers.ofString())
						.statusCode() == 200;
				}
				catch (IOException ex) {
					return false; // not answering yet
				}
			});
		}
		catch (ConditionTimeoutException ex) {
			this.process.destroyForcibly();
			throw new IllegalStateException("The node process did not become healthy in " + timeout, ex);
		}
	}

	public int port() {
		return this.port;
	}

	/** {@code kill -9}: no shutdown hook, no graceful anything. */
	public void kill() throws InterruptedException {
		this.process.destroyForcibly();
		this.process.waitFor();
	}

	@Override
	public void close() throws InterruptedException {
		if (this.process.isAlive()) {
			kill();
		}
	}

}
