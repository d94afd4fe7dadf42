package bot.resonance.incoming;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import bot.resonance.support.FakeDiscord;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.ResonanceClient;
import bot.resonance.support.TestBrand;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The signing samples of the incoming webhook guide ({@code docs/incoming-webhooks.md})
 * run as real programs against the server, twice each: the first call acts, the second
 * (the same message again) replays its answer. The guide must show each sample exactly as
 * it is tested.
 *
 * <p>
 * The samples sign with the time of day, and the server under test runs on a clock that
 * other tests move forward; each sample runs with its clock shifted by the same amount
 * ({@code date}, {@code Date.now()}, {@code time.time()}), so that the tolerance check
 * sees the time the sample means.
 */
@IntegrationTest
class IncomingWebhookSamplesIntegrationTests extends IncomingWebhookTestSupport {

	private static final Path SAMPLES = Path.of("src/test/resources/incoming-webhook-samples");

	private static final String USER = "123456789012345678";

	private static final String GUILD = "987654321098765432";

	private final FakeDiscord discord = FakeDiscord.instance();

	@TempDir
	Path shims;

	@Test
	void curlWithOpenssl() throws Exception {
		TestBrand brand = this.client.createBrand();
		this.client.fund(brand, 1_000);
		Hook hook = createHook(brand, "currency.add");

		JsonNode first = ResonanceClient.MAPPER.readTree(run(hook, "bash", "incoming-webhook.sh"));
		assertThat(first.path("result").path("balance").asLong()).as(first.toString()).isEqualTo(50);
		JsonNode again = ResonanceClient.MAPPER.readTree(run(hook, "bash", "incoming-webhook.sh"));
		assertThat(again.get("call_id").asString()).isEqualTo(first.get("call_id").asString());
		assertThat(this.client.get(brand, "/v1/members/" + USER).json().get("balance").asLong()).isEqualTo(50);
	}

	@Test
	void node() throws Exception {
		String role = "555555555555555555";
		this.discord.guild(GUILD).member(USER).role(role);
		TestBrand brand = this.client.createBrand();
		Hook hook = createHook(brand, "role.assign");
		int before = this.discord.requestsTo("/guilds/" + GUILD + "/").size();
		bindGuild(brand);
		try {
			assertThat(run(hook, "node", "incoming-webhook.mjs")).startsWith("200 ");
			assertThat(this.discord.guild(GUILD).rolesOf(USER)).contains(role);
			assertThat(run(hook, "node", "incoming-webhook.mjs")).startsWith("200 ");
			assertThat(this.discord.requestsTo("/guilds/" + GUILD + "/")).as("the repeat replayed").hasSize(before + 1);
		}
		finally {
			unbindGuild(brand);
		}
	}

	@Test
	void python() throws Exception {
		String channel = "444444444444444444";
		this.discord.channel(channel).inGuild(GUILD);
		TestBrand brand = this.client.createBrand();
		Hook hook = createHook(brand, "message.post");
		int before = this.discord.channel(channel).messages().size();
		bindGuild(brand);
		try {
			assertThat(run(hook, "python3", "incoming_webhook.py")).startsWith("200 ");
			assertThat(run(hook, "python3", "incoming_webhook.py")).startsWith("200 ");
		}
		finally {
			unbindGuild(brand);
		}
		List<FakeDiscord.Message> messages = this.discord.channel(channel).messages();
		assertThat(messages).as("the repeat replayed").hasSize(before + 1);
		assertThat(messages.getLast().content()).isEqualTo("The drop is live!");
	}

	/**
	 * The guide's server (its samples name it) is the brand's while a sample runs: a hook
	 * acts in its brand's own servers only.
	 */
	private void bindGuild(TestBrand brand) {
		assertThat(this.client
			.admin("POST", "/admin/v1/brands/" + brand.brandId() + "/guilds", "{\"guild_id\": \"" + GUILD + "\"}")
			.status()).isEqualTo(201);
	}

	private void unbindGuild(TestBrand brand) {
		this.client.admin("DELETE", "/admin/v1/brands/" + brand.brandId() + "/guilds/" + GUILD, null);
	}

	@Test
	void theGuideShowsEverySampleAsTested() throws IOException {
		String guide = Files.readString(Path.of("docs/incoming-webhooks.md"));
		for (String file : List.of("incoming-webhook.sh", "incoming-webhook.mjs", "incoming_webhook.py")) {
			String code = Files.readString(SAMPLES.resolve(file)).strip();
			if (file.endsWith(".sh")) {
				// The guide has no shebang and no set -euo pipefail.
				code = code.substring(code.indexOf("\nBODY=") + 1);
			}
			assertThat(guide).as(file + " is in docs/incoming-webhooks.md as tested").contains(code);
		}
	}

	/**
	 * Runs a sample against the hook and returns what it printed. The server's clock is
	 * moved an hour ahead of the machine's first, so a sample passes the tolerance check
	 * only on the server's time.
	 */
	private String run(Hook hook, String interpreter, String sample) throws Exception {
		this.clock.advance(Duration.ofHours(1));
		ProcessBuilder builder = new ProcessBuilder(interpreter, SAMPLES.resolve(sample).toAbsolutePath().toString());
		long offset = Duration.between(Instant.now(), this.clock.instant()).toSeconds();
		builder.environment().putAll(clockShiftedBy(offset));
		builder.environment().putAll(Map.of("HOOK_URL", hook.url(), "HOOK_SECRET", hook.secret()));
		builder.redirectErrorStream(true);
		Process process = builder.start();
		assertThat(process.waitFor(120, TimeUnit.SECONDS)).as(sample + " finished").isTrue();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
		assertThat(process.exitValue()).as(output).isZero();
		return output;
	}

	/** The environment that shifts a sample's clock by {@code seconds}. */
	private Map<String, String> clockShiftedBy(long seconds) throws IOException {
		String realDate = Files.isExecutable(Path.of("/usr/bin/date")) ? "/usr/bin/date" : "/bin/date";
		Path date = this.shims.resolve("date");
		Files.writeString(date, """
				#!/bin/sh
				if [ "$#" -eq 1 ] && [ "$1" = "+%%s" ]; then
				  echo $(( $(%1$s +%%s) + TEST_CLOCK_OFFSET ))
				else
				  exec %1$s "$@"
				fi
				""".formatted(realDate));
		Files.setPosixFilePermissions(date, PosixFilePermissions.fromString("rwxr-xr-x"));
		Path node = this.shims.resolve("shift-clock.cjs");
		Files.writeString(node, """
				const realNow = Date.now;
				Date.now = () => realNow() + Number(process.env.TEST_CLOCK_OFFSET) * 1000;
				""");
		Files.writeString(this.shims.resolve("sitecustomize.py"), """
				import os, time
				_real_time = time.time
				time.time = lambda: _real_time() + int(os.environ["TEST_CLOCK_OFFSET"])
				""");
		return Map.of("TEST_CLOCK_OFFSET", Long.toString(seconds), "PATH", this.shims + ":" + System.getenv("PATH"),
				"NODE_OPTIONS", "--require " + node, "PYTHONPATH", this.shims.toString());
	}

}
