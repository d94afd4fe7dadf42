package bot.resonance.rewards;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import bot.resonance.support.IntegrationTest;
import bot.resonance.support.IntegrationTestSupport;
import bot.resonance.support.ResonanceClient;
import bot.resonance.support.TestBrand;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every sample of the integration guide ({@code docs/integrations.md}) is run as a real
 * program against the server and must reward the customer; the guide must show each
 * sample exactly as it is tested.
 */
@IntegrationTest
class IntegrationSamplesIntegrationTests extends IntegrationTestSupport {

	private static final Path SAMPLES = Path.of("src/test/resources/integration-samples");

	@Test
	void curl() throws Exception {
		runs("place_order", List.of("bash", sample("manual-event.sh")), "bash");
	}

	@Test
	void node() throws Exception {
		runs("place_order", List.of("node", sample("manual-event.mjs")), "node");
	}

	@Test
	void python() throws Exception {
		runs("place_order", List.of("python3", sample("manual_event.py")), "python3");
	}

	@Test
	void java() throws Exception {
		String java = ProcessHandle.current().info().command().orElse("java");
		runs("place_order", List.of(java, sample("ManualEvent.java")), java);
	}

	@Test
	void wordpress() throws Exception {
		runs("post_review", List.of("php", sample("wordpress-harness.php")), "php");
	}

	@Test
	void theGuideShowsEverySampleAsTested() throws IOException {
		String guide = Files.readString(Path.of("docs/integrations.md"));
		for (String file : List.of("manual-event.sh", "manual-event.mjs", "manual_event.py", "ManualEvent.java",
				"wordpress-reviews.php")) {
			String code = Files.readString(SAMPLES.resolve(file)).strip();
			if (file.endsWith(".sh")) {
				code = code.substring(code.indexOf('\n') + 1); // the guide has no shebang
			}
			assertThat(guide).as(file + " is in docs/integrations.md as tested").contains(code);
		}
	}

	private void runs(String eventType, List<String> command, String tool) throws Exception {
		assertThat(available(tool)).as(tool + " is needed (.ci/run installs it)").isTrue();
		TestBrand brand = brandWith(10_000, eventType, Map.of("amount", 15));
		String email = "sample" + newUserId() + "@example.com";
		ProcessBuilder builder = new ProcessBuilder(command);
		builder.environment()
			.putAll(Map.of("RESONANCE_URL", this.client.base(), "BRAND_ID", brand.brandId(), "SECRET_KEY",
					brand.secretKey(), "EMAIL", email));
		builder.redirectErrorStream(true);
		Process process = builder.start();
		assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
		assertThat(process.exitValue()).as(output).isZero();
		JsonNode result = ResonanceClient.MAPPER.readTree(output.substring(output.lastIndexOf("\n{") + 1));
		if (result.has("body")) {
			assertThat(result.get("status").asInt()).as(output).isEqualTo(200);
			result = result.get("body");
		}
		assertThat(result.get("success").asBoolean()).as(output).isTrue();
		assertThat(result.get("amount_awarded").asLong()).isEqualTo(15);
		assertThat(this.client.get(brand, "/v1/members/lookup?email=" + email).json().get("balance").asLong())
			.isEqualTo(15);
	}

	private static String sample(String file) {
		return SAMPLES.resolve(file).toAbsolutePath().toString();
	}

	private static boolean available(String command) {
		try {
			List<String> probe = new ArrayList<>(List.of(command, "--version"));
			Process process = new ProcessBuilder(probe).start();
			return process.waitFor(20, TimeUnit.SECONDS) && process.exitValue() == 0;
		}
		catch (IOException | InterruptedException ex) {
			return false;
		}
	}

}
