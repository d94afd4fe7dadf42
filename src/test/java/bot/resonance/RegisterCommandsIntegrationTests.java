package bot.resonance;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import bot.resonance.support.FakeDiscord;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code java -jar resonance.jar register-commands}, run in this JVM as {@code main} runs
 * it, against the fake Discord. Every run is given a database URL nothing listens on: the
 * command must not need one.
 */
class RegisterCommandsIntegrationTests {

	private static final String NO_DATABASE = "--spring.datasource.url=jdbc:postgresql://127.0.0.1:1/none";

	private final FakeDiscord discord = FakeDiscord.instance();

	@Test
	void registersGloballyAndExitsWithoutADatabase() {
		String app = "1100000000000200001";
		Run run = run("register-commands", "--resonance.discord.interactions.application-id=" + app);
		assertThat(run.status()).as(run.toString()).isZero();
		JsonNode saved = this.discord.commands(app, null);
		assertThat(saved).isNotNull();
		List<String> names = new ArrayList<>();
		saved.forEach((command) -> names.add(command.path("name").asString()));
		assertThat(names).contains("register", "wallet");
		assertThat(run.out()).contains("Registered " + saved.size() + " commands for application " + app + " globally")
			.contains("/wallet  " + find(saved, "wallet").path("id").asString());
	}

	@Test
	void registersInOneGuildAndTwiceChangesNothing() {
		String app = "1100000000000200002";
		String guild = "1250000000000200002";
		Run first = run("register-commands", "--guild=" + guild,
				"--resonance.discord.interactions.application-id=" + app);
		assertThat(first.status()).as(first.toString()).isZero();
		assertThat(first.out()).contains("in guild " + guild);
		Run second = run("register-commands", "--guild", guild,
				"--resonance.discord.interactions.application-id=" + app);
		assertThat(second.status()).as(second.toString()).isZero();
		List<FakeDiscord.Request> puts = this.discord
			.requestsTo("/applications/" + app + "/guilds/" + guild + "/commands");
		assertThat(puts).hasSize(2);
		assertThat(puts.get(1).json()).isEqualTo(puts.get(0).json());
		assertThat(this.discord.commands(app, guild)).hasSize(puts.get(0).json().size());
		assertThat(this.discord.commands(app, null)).isNull();
	}

	@Test
	void withoutTheApplicationIdItFailsNamingTheSetting() {
		Run run = run("register-commands", "--resonance.discord.interactions.application-id=");
		assertThat(run.status()).isEqualTo(RegisterCommands.FAILED);
		assertThat(run.err()).contains("DISCORD_APPLICATION_ID").contains("discord_not_configured");
	}

	@Test
	void withoutTheBotTokenItFailsNamingTheSetting() {
		String app = "1100000000000200003";
		Run run = run("register-commands", "--resonance.discord.interactions.application-id=" + app,
				"--resonance.discord.bot-token=");
		assertThat(run.status()).isEqualTo(RegisterCommands.FAILED);
		assertThat(run.err()).contains("DISCORD_BOT_TOKEN");
		assertThat(this.discord.requestsTo("/applications/" + app + "/")).isEmpty();
	}

	@Test
	void discordsRefusalFailsWithDiscordsMessage() {
		// The client's warning about the token is kept out of the build's log; the
		// command's
		// own error is checked.
		Run run = run("register-commands", "--resonance.discord.interactions.application-id=1100000000000200004",
				"--resonance.discord.bot-token=a-revoked-token", "--logging.level.bot.resonance.discordapi=error");
		assertThat(run.status()).isEqualTo(RegisterCommands.FAILED);
		assertThat(run.err()).contains("Discord refused the commands: 401: Unauthorized");
	}

	@Test
	void wrongArgumentsAreAUsageError() {
		Run unknown = run("register-commands", "globally");
		assertThat(unknown.status()).isEqualTo(RegisterCommands.USAGE);
		assertThat(unknown.err()).contains("unknown argument globally").contains("Usage:");
		Run badGuild = run("register-commands", "--guild=my-server",
				"--resonance.discord.interactions.application-id=1100000000000200005");
		assertThat(badGuild.status()).isEqualTo(RegisterCommands.USAGE);
		assertThat(badGuild.err()).contains("guild_id must be a Discord guild id");
		assertThat(run("register-commands", "--help").out()).contains("Usage:");
	}

	/**
	 * Runs the command with the fake Discord's URL (and its token, unless given), and no
	 * database.
	 */
	private Run run(String... args) {
		List<String> all = new ArrayList<>(List.of(args));
		all.add(NO_DATABASE);
		all.add("--resonance.discord.api-base-url=" + this.discord.baseUrl());
		if (all.stream().noneMatch((arg) -> arg.startsWith("--resonance.discord.bot-token="))) {
			all.add("--resonance.discord.bot-token=" + FakeDiscord.TOKEN);
		}
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		int status = RegisterCommands.run(all.toArray(String[]::new),
				new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
		return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
	}

	private static JsonNode find(JsonNode commands, String name) {
		for (JsonNode command : commands) {
			if (command.path("name").asString().equals(name)) {
				return command;
			}
		}
		throw new AssertionError("No command " + name + " in " + commands);
	}

	private record Run(int status, String out, String err) {
	}

}
