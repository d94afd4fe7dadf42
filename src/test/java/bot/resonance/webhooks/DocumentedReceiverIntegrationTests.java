package bot.resonance.webhooks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import bot.resonance.support.ApiResponse;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.IntegrationTestSupport;
import bot.resonance.support.NpmPackages;
import bot.resonance.support.ResonanceClient;
import bot.resonance.support.TestBrand;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Node.js receiver docs/webhooks.md shows, saved and run as it says (Express
 * installed from npm into {@code target/} on first use): it takes Resonance's deliveries
 * when given the endpoint's secret and refuses them with any other.
 */
@IntegrationTest
class DocumentedReceiverIntegrationTests extends IntegrationTestSupport {

	private static final Path WORK = Path.of("target/doc-samples/webhooks").toAbsolutePath();

	private static final Pattern SAMPLE = Pattern
		.compile("save it as `webhook-receiver.mjs`[^\\n]*\\n(?:[^\\n]*\\n)*?\\n```js\\n(.*?)```", Pattern.DOTALL);

	@Test
	void theNodeReceiverOfTheGuideVerifiesDeliveriesAsSaved() throws Exception {
		Matcher sample = SAMPLE.matcher(Files.readString(Path.of("docs/webhooks.md")));
		assertThat(sample.find()).as("the Node.js receiver in docs/webhooks.md").isTrue();
		Files.createDirectories(WORK);
		Files.writeString(WORK.resolve("webhook-receiver.mjs"), sample.group(1));
		NpmPackages.install(WORK, List.of("express@5.3.0"));

		TestBrand brand = brandWith(10_000, "custom_event", Map.of());
		ApiResponse created = this.client.api(brand, "POST", "/v1/webhooks",
				ResonanceClient.json(Map.of("url", "http://127.0.0.1:9/", "enabled", false)));
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		String hook = created.text("id");
		try {
			// With the endpoint's secret every delivery is taken (200).
			String first = received(brand, hook, created.text("secret"), null, "succeeded", null);
			// With another secret the receiver answers 401 and the delivery is retried.
			received(brand, hook, "whsec_" + "A".repeat(32), first, "pending", 401);
		}
		finally {
			this.client.api(brand, "DELETE", "/v1/webhooks/" + hook, null);
		}
	}

	/**
	 * Runs the receiver with this secret, sends an event, and waits for its delivery (the
	 * newest, after {@code before}) to reach the status; returns its id.
	 */
	private String received(TestBrand brand, String hook, String secret, String before, String status, Integer answered)
			throws Exception {
		int port = freePort();
		ProcessBuilder builder = new ProcessBuilder("node", "webhook-receiver.mjs").directory(WORK.toFile())
			.redirectErrorStream(true)
			.redirectOutput(WORK.resolve("receiver-" + port + ".log").toFile());
		builder.environment().put("WEBHOOK_SECRET", secret);
		builder.environment().put("PORT", Integer.toString(port));
		Process receiver = builder.start();
		try {
			Awaitility.await()
				.atMost(Duration.ofSeconds(30))
				.alias("the receiver listens on " + port)
				.until(() -> listening(port) || !receiver.isAlive());
			assertThat(receiver.isAlive()).as(() -> log(port)).isTrue();
			ApiResponse moved = this.client.api(brand, "PATCH", "/v1/webhooks/" + hook, ResonanceClient
				.json(Map.of("url", "http://127.0.0.1:" + port + "/resonance-webhook", "enabled", true)));
			assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
			assertThat(this.client.event(brand, "custom_event", newUserId()).status()).isEqualTo(200);
			return Awaitility.await()
				.atMost(Duration.ofSeconds(20))
				.alias("the event's delivery " + status + " (" + log(port) + ")")
				.until(() -> newest(brand, hook),
						(delivery) -> delivery != null && !delivery.path("delivery_id").asString().equals(before)
								&& delivery.path("status").asString().equals(status)
								&& (answered == null || delivery.path("last_status_code").asInt() == answered))
				.path("delivery_id")
				.asString();
		}
		finally {
			receiver.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		}
	}

	private JsonNode newest(TestBrand brand, String hook) {
		JsonNode page = this.client.get(brand, "/v1/webhooks/" + hook + "/deliveries").json().path("data");
		return page.isEmpty() ? null : page.get(0);
	}

	private static boolean listening(int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	private static String log(int port) {
		return readLog(WORK.resolve("receiver-" + port + ".log"));
	}

	private static String readLog(Path path) {
		try {
			return Files.readString(path, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

}
