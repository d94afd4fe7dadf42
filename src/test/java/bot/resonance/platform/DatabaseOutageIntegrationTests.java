package bot.resonance.platform;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import bot.resonance.support.NodeProcess;
import bot.resonance.support.ResonanceClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node whose database goes away answers {@code 503 service_unavailable} with
 * {@code Retry-After}, logged as an error — not a 400 "the request body could not be
 * read" (the database connection's own I/O errors are not the request's), nor an unlogged
 * answer. A real node on its own embedded PostgreSQL, which the test stops.
 */
class DatabaseOutageIntegrationTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@TempDir
	Path folder;

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	void aStoppedDatabaseIsAnswered503AndLogged() throws Exception {
		Path log = this.folder.resolve("node.log");
		Path data = this.folder.resolve("data");
		Optional<ProcessHandle> postgres = Optional.empty();
		try (NodeProcess node = NodeProcess.startOnItsOwnDatabase(data, log,
				List.of("--spring.datasource.hikari.connection-timeout=3000",
						"--resonance.health.database-timeout=500ms",
						"--management.endpoint.health.show-details=always"))) {
			String base = "http://localhost:" + node.port();
			assertThat(send(HttpRequest.newBuilder(URI.create(base + "/actuator/health/readiness"))).statusCode())
				.isEqualTo(200);
			HttpResponse<String> created = send(HttpRequest.newBuilder(URI.create(base + "/admin/v1/brands"))
				.header("Authorization", "Bearer " + ResonanceClient.ADMIN_TOKEN)
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Outage\"}")));
			assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
			String apiKey = JSON.readTree(created.body()).get("api_key").asString();

			// PostgreSQL's fast shutdown: sessions end, new connections are refused.
			long pid = Long.parseLong(Files.readAllLines(data.resolve("postgres/postmaster.pid")).getFirst().trim());
			postgres = ProcessHandle.of(pid);
			new ProcessBuilder("kill", "-INT", Long.toString(pid)).start().waitFor();
			Awaitility.await()
				.atMost(Duration.ofSeconds(30))
				.until(() -> !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));

			// A controller's query, a filter's (the API key), a filter's transaction (the
			// Idempotency-Key).
			for (HttpRequest.Builder request : List.of(
					HttpRequest.newBuilder(URI.create(base + "/admin/v1/brands"))
						.header("Authorization", "Bearer " + ResonanceClient.ADMIN_TOKEN),
					HttpRequest.newBuilder(URI.create(base + "/v1/wallet")).header("Authorization", "Bearer " + apiKey),
					HttpRequest.newBuilder(URI.create(base + "/admin/v1/brands"))
						.header("Authorization", "Bearer " + ResonanceClient.ADMIN_TOKEN)
						.header("Content-Type", "application/json")
						.header("Idempotency-Key", "outage-1")
						.POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Later\"}")))) {
				HttpResponse<String> answer = send(request);
				assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
				assertThat(answer.headers().firstValue("Retry-After")).hasValue("5");
				JsonNode problem = JSON.readTree(answer.body());
				assertThat(problem.get("code").asString()).isEqualTo("service_unavailable");
				assertThat(problem.get("detail").asString()).contains("database is unavailable");
				assertThat(problem.get("request_id").asString()).startsWith("req_");
			}
			assertThat(Files.readString(log)).contains("The database is unavailable serving");

			// Health says DOWN within its own bound, not after the pool's 3 s; the node
			// is not
			// ready (no traffic), but alive (restarting it would not help).
			long asked = System.nanoTime();
			HttpResponse<String> health = send(HttpRequest.newBuilder(URI.create(base + "/actuator/health")));
			assertThat(health.statusCode()).isEqualTo(503);
			assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(Duration.ofMillis(2_900));
			assertThat(JSON.readTree(health.body()).at("/components/db/details/error").asString())
				.isEqualTo("The database did not answer within 500ms");
			assertThat(send(HttpRequest.newBuilder(URI.create(base + "/actuator/health/readiness"))).statusCode())
				.isEqualTo(503);
			assertThat(send(HttpRequest.newBuilder(URI.create(base + "/actuator/health/liveness"))).statusCode())
				.isEqualTo(200);
		}
		finally {
			postgres.filter(ProcessHandle::isAlive).ifPresent(ProcessHandle::destroyForcibly);
		}
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		return this.http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
	}

}
