package bot.resonance.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.springframework.core.env.Environment;

/**
 * A Resonance node in its own JVM, on the test's database, so a test can {@code kill -9}
 * it.
 */
public final class NodeProcess implements AutoCloseable {

	private final Process process;

	private final int port;

	private NodeProcess(Process process, int port) {
		this.process = process;
		this.port = port;
	}

	public static NodeProcess start(Environment firstNode, Path log) throws IOException, InterruptedException {
		return start(firstNode, log, List.of());
	}

	/** Starts a node with more command-line arguments ({@code --name=value}). */
	public static NodeProcess start(Environment firstNode, Path log, List<String> arguments)
			throws IOException, InterruptedException {
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		String java = ProcessHandle.current().info().command().orElse("java");
		List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
				"bot.resonance.ResonanceApplication", "--server.port=" + port,
				"--spring.datasource.url=" + firstNode.getProperty("spring.datasource.url"),
				"--spring.datasource.username=" + firstNode.getProperty("spring.datasource.username"),
				"--spring.datasource.password=" + firstNode.getProperty("spring.datasource.password", ""),
				"--resonance.admin.token=" + ResonanceClient.ADMIN_TOKEN, "--resonance.startup-banner=false",
				"--resonance.data.dir=" + log.getParent().resolve("node-data").toAbsolutePath(),
				"--resonance.webhooks.allowed-private-targets=127.0.0.0/8"));
		command.addAll(arguments);
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		NodeProcess node = new NodeProcess(process, port);
		node.awaitHealthy(Duration.ofSeconds(90));
		return node;
	}

	private void awaitHealthy(Duration timeout) throws InterruptedException {
		HttpClient http = HttpClient.newHttpClient();
		Instant deadline = Instant.now().plus(timeout);
		while (Instant.now().isBefore(deadline)) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("The node process exited with " + this.process.exitValue());
			}
			try {
				HttpResponse<String> response = http
					.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/actuator/health"))
						.build(), HttpResponse.BodyHandlers.ofString());
				if (response.statusCode() == 200) {
					return;
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			Thread.sleep(200);
		}
		this.process.destroyForcibly();
		throw new IllegalStateException("The node process did not become healthy in " + timeout);
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
