package bot.resonance.rewards;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import bot.resonance.support.IntegrationTest;
import bot.resonance.support.IntegrationTestSupport;
import bot.resonance.support.TestBrand;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clients written in Node.js and Python from the event API documentation, signing the
 * body they send like the documented samples, work unchanged.
 */
@IntegrationTest
class SeedSampleClientIntegrationTests extends IntegrationTestSupport {

	@Test
	void aNodeClientSigningJsonStringifyIsRewarded() throws Exception {
		assertThat(nodeAvailable()).as("node is needed (.ci/run installs it)").isTrue();
		TestBrand brand = brandWith(1_000, "custom_event", Map.of());
		String user = newUserId();
		String output = runSample(brand, user, "node", "send-event.mjs");
		JsonNode result = JsonMapper.builder().build().readTree(output);
		assertThat(result.get("status").asInt()).as(output).isEqualTo(200);
		assertThat(result.path("body").path("amount_awarded").asLong()).isEqualTo(50);
		assertThat(result.path("body").path("user_id").asString()).isEqualTo(user);
	}

	@Test
	void thePythonSampleRunsAsSaved() throws Exception {
		TestBrand brand = brandWith(1_000, "custom_event", Map.of());
		String user = newUserId();
		String output = runSample(brand, user, "python3", "send-event.py");
		assertThat(output).startsWith("200 ");
		JsonNode body = JsonMapper.builder().build().readTree(output.substring(4));
		assertThat(body.path("status").asString()).as(output).isEqualTo("awarded");
		assertThat(body.path("amount_awarded").asLong()).as(output).isPositive();
		assertThat(body.path("user_id").asString()).isEqualTo(user);
	}

	/**
	 * Runs a sample client as saved, with the environment the docs give it; its output.
	 */
	private String runSample(TestBrand brand, String user, String program, String sample) throws Exception {
		ProcessBuilder builder = new ProcessBuilder(program,
				Path.of("src/test/resources/seed-clients/" + sample).toAbsolutePath().toString());
		builder.environment()
			.putAll(Map.of("RESONANCE_URL", this.client.base(), "BRAND_ID", brand.brandId(), "SECRET_KEY",
					brand.secretKey(), "USER_ID", user));
		builder.redirectErrorStream(true);
		Process process = builder.start();
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
		assertThat(process.exitValue()).as(output).isZero();
		return output;
	}

	@Test
	void theEventApiDocsShowTheseVeryClients() throws IOException {
		String docs = Files.readString(Path.of("docs/event-api.md"));
		for (String client : new String[] { "send-event.mjs", "send-event.py" }) {
			String sample = Files.readString(Path.of("src/test/resources/seed-clients/" + client)).strip();
			assertThat(docs).as("docs/event-api.md shows the tested " + client).contains(sample);
		}
	}

	private static boolean nodeAvailable() {
		try {
			return new ProcessBuilder("node", "--version").start().waitFor(10, TimeUnit.SECONDS);
		}
		catch (IOException | InterruptedException ex) {
			return false;
		}
	}

}
