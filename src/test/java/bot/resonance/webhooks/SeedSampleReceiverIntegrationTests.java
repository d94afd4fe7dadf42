package bot.resonance.webhooks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import bot.resonance.support.ApiResponse;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.IntegrationTestSupport;
import bot.resonance.support.ResonanceClient;
import bot.resonance.support.TestBrand;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Receivers written from the bot webhook guide's Node.js and Python samples verify
 * Resonance's deliveries unchanged: a delivery only succeeds if their signature check
 * passed.
 */
@IntegrationTest
class SeedSampleReceiverIntegrationTests extends IntegrationTestSupport {

	@Test
	void theGuidesNodeReceiverVerifiesDeliveries() throws Exception {
		assertThat(available("node")).as("node is needed (.ci/run installs it)").isTrue();
		verifiedBy("node", "webhook-receiver.mjs");
	}

	@Test
	void theGuidesPythonReceiverVerifiesDeliveries() throws Exception {
		assertThat(available("python3")).as("python3 is needed (.ci/run installs it)").isTrue();
		verifiedBy("python3", "webhook_receiver.py");
	}

	private void verifiedBy(String interpreter, String script) throws Exception {
		TestBrand brand = brandWith(10_000, "custom_event", Map.of());
		ApiResponse created = this.client.api(brand, "POST", "/v1/webhooks",
				ResonanceClient.json(Map.of("url", "http://127.0.0.1:9/", "enabled", false)));
		String hook = created.text("id");
		ProcessBuilder builder = new ProcessBuilder(interpreter,
				Path.of("src/test/resources/seed-clients", script).toAbsolutePath().toString());
		builder.environment().put("WEBHOOK_SECRET", created.text("secret"));
		builder.redirectErrorStream(true);
		Process receiver = builder.start();
		try (BufferedReader out = new BufferedReader(
				new InputStreamReader(receiver.getInputStream(), StandardCharsets.UTF_8))) {
			String port = out.readLine();
			assertThat(port).as("the receiver's port").matches("\\d+");
			ApiResponse moved = this.client.api(brand, "PATCH", "/v1/webhooks/" + hook, ResonanceClient
				.json(Map.of("url", "http://127.0.0.1:" + port + "/vektor-webhook", "enabled", true)));
			assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
			this.client.event(brand, "custom_event", newUserId());
			this.client.api(brand, "POST", "/v1/webhooks/" + hook + "/test", "{\"event\":\"duel.finish\"}");

			List<JsonNode> lines = List.of(ResonanceClient.MAPPER.readTree(out.readLine()),
					ResonanceClient.MAPPER.readTree(out.readLine()));
			assertThat(lines).allSatisfy((line) -> {
				assertThat(line.get("valid").asBoolean()).as(line.toString()).isTrue();
				assertThat(line.get("attempt").asString()).isEqualTo("1");
			});
			assertThat(lines.stream().map((line) -> line.get("event").asString()))
				.containsExactlyInAnyOrder("reward.earned", "duel.finish");
			awaitSucceeded(brand, hook, 2);
		}
		finally {
			receiver.destroyForcibly();
			this.client.api(brand, "DELETE", "/v1/webhooks/" + hook, null);
		}
	}

	private void awaitSucceeded(TestBrand brand, String hook, int count) {
		Awaitility.await()
			.atMost(Duration.ofSeconds(20))
			.alias(count + " deliveries succeeded")
			.until(() -> this.client.get(brand, "/v1/webhooks/" + hook + "/deliveries?status=succeeded")
				.json()
				.get("data")
				.size() == count);
	}

	private static boolean available(String command) {
		try {
			Process process = new ProcessBuilder(command, "--version").start();
			return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
		}
		catch (IOException | InterruptedException ex) {
			return false;
		}
	}

}
