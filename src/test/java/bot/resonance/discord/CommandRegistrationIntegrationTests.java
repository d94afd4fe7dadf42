package bot.resonance.discord;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import bot.resonance.support.ApiResponse;
import bot.resonance.support.DiscordBot;
import bot.resonance.support.FakeDiscord;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.IntegrationTestSupport;

import static bot.resonance.support.ResonanceClient.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator's command registration: {@code GET} and {@code PUT
 * /admin/v1/discord/commands} against the fake Discord.
 */
@IntegrationTest
class CommandRegistrationIntegrationTests extends IntegrationTestSupport {

	private static final String PATH = "/admin/v1/discord/commands";

	private final FakeDiscord discord = FakeDiscord.instance();

	@Test
	void theDefinitionsAreEveryCommandsInDiscordsFormat() {
		ApiResponse response = this.client.admin("GET", PATH, null);
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		JsonNode commands = response.json().path("commands");
		List<String> names = new ArrayList<>();
		commands.forEach((command) -> names.add(command.path("name").asString()));
		assertThat(names).contains("register", "wallet").isSorted();
		for (JsonNode command : commands) {
			assertThat(command.path("type").asInt()).isEqualTo(1);
			assertThat(command.path("description").asString()).isNotBlank();
			assertThat(command.path("integration_types").toString()).isEqualTo("[0]");
			JsonNode permissions = command.path("default_member_permissions");
			// Admins' commands need Manage Server and are offered only in servers.
			if (!permissions.isNull()) {
				assertThat(permissions.asString()).as(command.toString()).isEqualTo("32");
				assertThat(command.path("contexts").toString()).isEqualTo("[0]");
			}
		}
		JsonNode wallet = find(commands, "wallet");
		assertThat(wallet.path("default_member_permissions").isNull()).isTrue();
		assertThat(wallet.path("contexts").toString()).isEqualTo("[0,1]");
		assertThat(wallet.path("options").get(0).path("name").asString()).isEqualTo("balance");
	}

	@Test
	void registeringInAGuildPutsTheDefinitionsThereAndAnswersWhatDiscordHas() {
		String guild = DiscordBot.newGuildId();
		ApiResponse response = this.client.admin("PUT", PATH, json(Map.of("guild_id", guild)));
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		assertThat(response.text("guild_id")).isEqualTo(guild);
		assertThat(response.text("application_id")).isEqualTo(DiscordBot.APPLICATION_ID);
		JsonNode saved = this.discord.commands(DiscordBot.APPLICATION_ID, guild);
		assertThat(saved).isNotNull();
		JsonNode answered = response.json().path("commands");
		assertThat(answered).hasSize(saved.size());
		for (int i = 0; i < saved.size(); i++) {
			assertThat(answered.get(i).path("name").asString()).isEqualTo(saved.get(i).path("name").asString());
			assertThat(answered.get(i).path("id").asString()).isEqualTo(saved.get(i).path("id").asString());
		}
		// What was sent is exactly what GET shows.
		JsonNode definitions = this.client.admin("GET", PATH, null).json().path("commands");
		List<FakeDiscord.Request> puts = this.discord
			.requestsTo("/applications/" + DiscordBot.APPLICATION_ID + "/guilds/" + guild + "/commands");
		assertThat(puts).hasSize(1);
		assertThat(puts.getFirst().json()).isEqualTo(definitions);
	}

	@Test
	void registeringGloballyTwiceLeavesTheSameCommands() {
		ApiResponse first = this.client.admin("PUT", PATH, null);
		assertThat(first.status()).as(first.toString()).isEqualTo(200);
		assertThat(first.json().path("guild_id").isNull()).isTrue();
		JsonNode once = names(this.discord.commands(DiscordBot.APPLICATION_ID, null));
		ApiResponse second = this.client.admin("PUT", PATH, "{}");
		assertThat(second.status()).as(second.toString()).isEqualTo(200);
		JsonNode twice = names(this.discord.commands(DiscordBot.APPLICATION_ID, null));
		assertThat(twice).isEqualTo(once);
		assertThat(names(second.json().path("commands"))).isEqualTo(once);
		List<FakeDiscord.Request> puts = this.discord
			.requestsTo("/applications/" + DiscordBot.APPLICATION_ID + "/commands");
		assertThat(puts.get(puts.size() - 1).json()).isEqualTo(puts.get(puts.size() - 2).json());
	}

	@Test
	void aRateLimitedRegistrationIsUnavailableWithRetryAfter() {
		String guild = DiscordBot.newGuildId();
		this.discord.rateLimitNext("/guilds/" + guild + "/commands", 30, 1);
		ApiResponse response = this.client.admin("PUT", PATH, json(Map.of("guild_id", guild)));
		assertThat(response.status()).as(response.toString()).isEqualTo(503);
		assertThat(response.problemCode()).isEqualTo("discord_rate_limited");
		assertThat(response.header("Retry-After")).isEqualTo("30");
		assertThat(this.discord.commands(DiscordBot.APPLICATION_ID, guild)).isNull();
	}

	@Test
	void aBadGuildIdIsABadRequest() {
		for (String body : List.of("{\"guild_id\": \"not-a-guild\"}", "{\"guild_id\": \"\"}",
				"{\"guild_id\": \"../../users/@me\"}", "{\"guild_id\": 12}", "{\"guild\": \"1\"}", "[]", "{")) {
			ApiResponse response = this.client.admin("PUT", PATH, body);
			assertThat(response.status()).as(body + " → " + response).isEqualTo(400);
			assertThat(response.json().path("code").asString()).as(body).isNotBlank();
		}
	}

	@Test
	void onlyTheOperatorMayRegister() {
		ApiResponse anonymous = this.client.send("PUT", PATH, "{}", Map.of());
		assertThat(anonymous.status()).isEqualTo(401);
		ApiResponse wrong = this.client.send("GET", PATH, null, Map.of("Authorization", "Bearer nope"));
		assertThat(wrong.status()).isEqualTo(401);
	}

	private static JsonNode find(JsonNode commands, String name) {
		for (JsonNode command : commands) {
			if (command.path("name").asString().equals(name)) {
				return command;
			}
		}
		throw new AssertionError("No command " + name + " in " + commands);
	}

	private static JsonNode names(JsonNode commands) {
		var names = bot.resonance.support.ResonanceClient.MAPPER.createArrayNode();
		commands.forEach((command) -> names.add(command.path("name").asString()));
		return names;
	}

}
