package bot.resonance.discord;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import bot.resonance.support.ExpectedLogs;
import bot.resonance.discordapi.DiscordClient;
import bot.resonance.discordapi.DiscordProperties;
import bot.resonance.platform.web.ApiException;
import bot.resonance.support.FakeDiscord;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.http.HttpStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Command registration against the fake Discord, with commands of both kinds: what is
 * sent, where, and every way it can fail.
 */
class CommandRegistrationUnitTests {

	/**
	 * The refusal of the bot token a test provokes, checked here instead of shown in the
	 * build's log.
	 */
	@RegisterExtension
	final ExpectedLogs logs = ExpectedLogs.of(bot.resonance.discordapi.DiscordClient.class);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final List<SlashCommand> COMMANDS = List.of(
			new Fixed(CommandSpec.forMembers("points", "Your points",
					List.of(CommandSpec.option(CommandSpec.USER, "user", "Whose points", false)))),
			new Fixed(CommandSpec.forAdmins("grant", "Give a member points",
					List.of(CommandSpec.integer("amount", "How many", true, 1, 1000L)))),
			new Fixed(CommandSpec.forMembers("daily", "Your daily reward", List.of()).inServersOnly()));

	private final FakeDiscord discord = FakeDiscord.instance();

	private AnnotationConfigApplicationContext context;

	private static long applications = 1_100_000_000_000_100_000L;

	@AfterEach
	void close() {
		if (this.context != null) {
			this.context.close();
		}
	}

	@Test
	void definitionsAreSortedWithPermissionsAndContexts() {
		List<Map<String, Object>> definitions = registration(newApplicationId(), FakeDiscord.TOKEN).definitions();
		assertThat(definitions).extracting((d) -> d.get("name")).containsExactly("daily", "grant", "points");
		Map<String, Object> grant = definitions.get(1);
		assertThat(grant).containsEntry("type", 1)
			.containsEntry("default_member_permissions", "32")
			.containsEntry("contexts", List.of(0));
		assertThat(definitions.get(2)).containsEntry("default_member_permissions", null)
			.containsEntry("contexts", List.of(0, 1));
		assertThat(definitions.get(0)).containsEntry("default_member_permissions", null)
			.containsEntry("contexts", List.of(0));
	}

	@Test
	void registersGloballyWhatDiscordThenHas() {
		String app = newApplicationId();
		CommandRegistration.Registered registered = registration(app, FakeDiscord.TOKEN).register(null);
		assertThat(registered.guildId()).isNull();
		assertThat(registered.applicationId()).isEqualTo(app);
		JsonNode saved = this.discord.commands(app, null);
		assertThat(saved).hasSize(3);
		assertThat(registered.commands()).extracting(CommandRegistration.Command::name)
			.containsExactly("daily", "grant", "points");
		for (int i = 0; i < 3; i++) {
			assertThat(registered.commands().get(i).id()).isEqualTo(saved.get(i).path("id").asString()).isNotBlank();
		}
		JsonNode grant = saved.get(1);
		assertThat(grant.path("default_member_permissions").asString()).isEqualTo("32");
		assertThat(grant.path("options").get(0).path("max_value").asLong()).isEqualTo(1000);
		assertThat(saved.get(2).path("default_member_permissions").isNull()).isTrue();
		assertThat(this.discord.commands(app, "1250000000000000999")).isNull();
	}

	@Test
	void registersInOneGuildOnly() {
		String app = newApplicationId();
		String guild = "1250000000000100001";
		CommandRegistration.Registered registered = registration(app, FakeDiscord.TOKEN).register(guild);
		assertThat(registered.guildId()).isEqualTo(guild);
		assertThat(this.discord.commands(app, guild)).hasSize(3);
		assertThat(this.discord.commands(app, guild).get(0).path("guild_id").asString()).isEqualTo(guild);
		assertThat(this.discord.commands(app, null)).isNull();
	}

	@Test
	void registeringTwiceSendsTheSameAndLeavesTheSameCommands() {
		String app = newApplicationId();
		CommandRegistration registration = registration(app, FakeDiscord.TOKEN);
		registration.register(null);
		JsonNode first = withoutDiscordFields(this.discord.commands(app, null));
		registration.register(null);
		JsonNode second = withoutDiscordFields(this.discord.commands(app, null));
		assertThat(second).isEqualTo(first);
		List<FakeDiscord.Request> puts = this.discord.requestsTo("/applications/" + app + "/commands");
		assertThat(puts).hasSize(2);
		assertThat(puts.get(1).json()).isEqualTo(puts.get(0).json());
	}

	@Test
	void withoutTheApplicationIdItSaysWhichSettingIsMissing() {
		ApiException refused = catchThrowableOfType(ApiException.class,
				() -> registration(null, FakeDiscord.TOKEN).register(null));
		assertThat(refused.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(refused.code()).isEqualTo("discord_not_configured");
		assertThat(refused.getMessage()).contains("DISCORD_APPLICATION_ID");
		ApiException notAnId = catchThrowableOfType(ApiException.class,
				() -> registration("my-app", FakeDiscord.TOKEN).register(null));
		assertThat(notAnId.code()).isEqualTo("discord_not_configured");
		assertThat(notAnId.getMessage()).contains("DISCORD_APPLICATION_ID");
	}

	@Test
	void withoutTheBotTokenItSaysWhichSettingIsMissingAndSendsNothing() {
		String app = newApplicationId();
		ApiException refused = catchThrowableOfType(ApiException.class, () -> registration(app, null).register(null));
		assertThat(refused.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(refused.code()).isEqualTo("discord_not_configured");
		assertThat(refused.getMessage()).contains("DISCORD_BOT_TOKEN");
		assertThat(this.discord.requestsTo("/applications/" + app + "/")).isEmpty();
	}

	@Test
	void discordsRefusalIsABadGatewayWithDiscordsMessage() {
		String app = newApplicationId();
		ApiException refused = catchThrowableOfType(ApiException.class,
				() -> registration(app, "not-the-token").register(null));
		assertThat(refused.status()).isEqualTo(HttpStatus.BAD_GATEWAY);
		assertThat(refused.code()).isEqualTo("discord_refused");
		assertThat(refused.getMessage()).contains("401: Unauthorized").contains("DISCORD_BOT_TOKEN");
		assertThat(refused.properties()).containsEntry("discord_status", 401)
			.containsEntry("discord_message", "401: Unauthorized");
		assertThat(this.logs.expect("Discord refused the bot token (HTTP 401)")).hasSize(1);
	}

	@Test
	void aRateLimitIsUnavailableWithWhenToRetry() {
		String app = newApplicationId();
		String guild = "1250000000000100002";
		this.discord.rateLimitNext("/applications/" + app + "/guilds/" + guild + "/commands", 42, 1);
		ApiException limited = catchThrowableOfType(ApiException.class,
				() -> registration(app, FakeDiscord.TOKEN).register(guild));
		assertThat(limited.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(limited.code()).isEqualTo("discord_rate_limited");
		assertThat(limited.headers().getFirst("Retry-After")).isEqualTo("42");
		assertThat(this.discord.commands(app, guild)).isNull();
	}

	@Test
	void anUnreachableDiscordIsUnavailable() {
		ApiException down = catchThrowableOfType(ApiException.class,
				() -> registration(newApplicationId(), FakeDiscord.TOKEN, URI.create("http://127.0.0.1:1/api/v10"))
					.register(null));
		assertThat(down.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(down.code()).isEqualTo("discord_unavailable");
	}

	@Test
	void aGuildIdThatIsNotASnowflakeIsABadRequest() {
		CommandRegistration registration = registration(newApplicationId(), FakeDiscord.TOKEN);
		for (String guild : List.of("", "abc", "12/34", "0", "-5", "123456789012345678901", "1 2")) {
			ApiException refused = catchThrowableOfType(ApiException.class, () -> registration.register(guild));
			assertThat(refused.status()).as(guild).isEqualTo(HttpStatus.BAD_REQUEST);
			assertThat(refused.code()).isEqualTo("invalid_guild_id");
		}
	}

	private CommandRegistration registration(String applicationId, String token) {
		return registration(applicationId, token, URI.create(this.discord.baseUrl()));
	}

	private CommandRegistration registration(String applicationId, String token, URI discordUrl) {
		this.context = new AnnotationConfigApplicationContext();
		this.context.registerBean(DiscordProperties.class, () -> new DiscordProperties(discordUrl, token,
				Duration.ofSeconds(2), Duration.ofSeconds(5), 3, Duration.ofSeconds(5)));
		this.context.registerBean(JsonMapper.class, () -> JSON);
		this.context.registerBean(DiscordClient.class);
		this.context.refresh();
		return new CommandRegistration(COMMANDS, this.context.getBean(DiscordClient.class), new InteractionsProperties(
				null, applicationId, Duration.ofSeconds(60), Duration.ofDays(90), Duration.ofMinutes(5)), JSON);
	}

	private static synchronized String newApplicationId() {
		return Long.toString(++applications);
	}

	private static JsonNode withoutDiscordFields(JsonNode saved) {
		JsonNode copy = saved.deepCopy();
		for (JsonNode command : copy) {
			((tools.jackson.databind.node.ObjectNode) command).remove(List.of("id", "version"));
		}
		return copy;
	}

	private record Fixed(CommandSpec spec) implements SlashCommand {

		@Override
		public Answer execute(CommandCall call) {
			return Answer.ephemeral("ok");
		}

	}

}
