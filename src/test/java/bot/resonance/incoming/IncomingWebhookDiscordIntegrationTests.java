package bot.resonance.incoming;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import bot.resonance.support.ApiResponse;
import bot.resonance.support.FakeDiscord;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.TestBrand;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code role.assign} and {@code message.post} against a fake Discord that speaks
 * Discord's protocol: its paths, the bot token, rate limits and JSON errors.
 */
@IntegrationTest
class IncomingWebhookDiscordIntegrationTests extends IncomingWebhookTestSupport {

	private static final AtomicLong SNOWFLAKES = new AtomicLong(1_200_000_000_000_000_000L);

	private final FakeDiscord discord = FakeDiscord.instance();

	private static String snowflake() {
		return Long.toString(SNOWFLAKES.incrementAndGet());
	}

	@Test
	void roleAssignGivesTheMemberTheRole() {
		Hook hook = createHook(this.client.createBrand(), "role.assign");
		String guild = snowflake();
		String user = snowflake();
		String role = snowflake();
		this.discord.guild(guild).member(user).role(role);

		ApiResponse response = call(hook, action("role.assign",
				Map.of("guild_id", guild, "user_id", user, "role_id", role, "reason", "Bought VIP: order #12 ✓")));
		assertThat(response.status()).isEqualTo(200);
		JsonNode result = response.json().get("result");
		assertThat(result.get("guild_id").asString()).isEqualTo(guild);
		assertThat(result.get("user_id").asString()).isEqualTo(user);
		assertThat(result.get("role_id").asString()).isEqualTo(role);
		assertThat(this.discord.guild(guild).rolesOf(user)).containsExactly(role);

		List<FakeDiscord.Request> requests = this.discord.requestsTo("/guilds/" + guild + "/");
		assertThat(requests).hasSize(1);
		FakeDiscord.Request request = requests.getFirst();
		assertThat(request.method()).isEqualTo("PUT");
		assertThat(request.path()).isEqualTo("/api/v10/guilds/" + guild + "/members/" + user + "/roles/" + role);
		assertThat(request.headers().get("authorization")).isEqualTo("Bot " + FakeDiscord.TOKEN);
		assertThat(request.headers().get("user-agent")).isEqualTo("DiscordBot (https://resonance.bot, 1.0)");
		String reason = request.headers().get("x-audit-log-reason");
		assertThat(reason).doesNotContain(" ").contains("%20");
		assertThat(URLDecoder.decode(reason, StandardCharsets.UTF_8)).isEqualTo("Bought VIP: order #12 ✓");
	}

	@Test
	void discordsRefusalsAreClearAnswers() {
		TestBrand brand = this.client.createBrand();
		Hook hook = createHook(brand, "role.assign");
		String guild = snowflake();
		String user = snowflake();
		String role = snowflake();
		String high = snowflake();
		this.discord.guild(guild).member(user).role(role).roleAboveBot(high);

		ApiResponse forbidden = call(hook,
				action("role.assign", Map.of("guild_id", guild, "user_id", user, "role_id", high)));
		assertThat(forbidden.status()).isEqualTo(422);
		assertThat(forbidden.problemCode()).isEqualTo("discord_missing_permissions");
		assertThat(forbidden.json().get("discord_code").asInt()).isEqualTo(50013);
		assertThat(forbidden.json().get("discord_message").asString()).isEqualTo("Missing Permissions");
		assertThat(forbidden.json().get("detail").asString()).contains("Manage Roles");

		Map<String, Map<String, Object>> cases = Map.of("discord_unknown_member",
				Map.of("guild_id", guild, "user_id", snowflake(), "role_id", role), "discord_unknown_role",
				Map.of("guild_id", guild, "user_id", user, "role_id", snowflake()), "discord_unknown_guild",
				Map.of("guild_id", snowflake(), "user_id", user, "role_id", role));
		cases.forEach((code, data) -> {
			ApiResponse response = call(hook, action("role.assign", data));
			assertThat(response.status()).as(code).isEqualTo(422);
			assertThat(response.problemCode()).as(code).isEqualTo(code);
		});
		assertThat(this.discord.guild(guild).rolesOf(user)).isEmpty();

		JsonNode logged = this.client.get(brand, "/v1/incoming-webhooks/" + hook.id() + "/calls?limit=100")
			.json()
			.get("data");
		assertThat(logged).hasSize(4);
		assertThat(logged.get(3).get("error_code").asString()).isEqualTo("discord_missing_permissions");
		assertThat(logged.get(3).get("outcome").asString()).isEqualTo("rejected");
	}

	@Test
	void aRateLimitedRequestIsRetriedAfterDiscordsRetryAfter() {
		Hook hook = createHook(this.client.createBrand(), "role.assign");
		String guild = snowflake();
		String user = snowflake();
		String role = snowflake();
		this.discord.guild(guild).member(user).role(role);
		this.discord.rateLimitNext("/guilds/" + guild + "/", 0.2, 1);

		ApiResponse response = call(hook,
				action("role.assign", Map.of("guild_id", guild, "user_id", user, "role_id", role)));
		assertThat(response.status()).isEqualTo(200);
		assertThat(this.discord.requestsTo("/guilds/" + guild + "/")).hasSize(2);
		assertThat(this.discord.guild(guild).rolesOf(user)).containsExactly(role);
	}

	@Test
	void aLongDiscordRateLimitIsA503WorthRetrying() {
		Hook hook = createHook(this.client.createBrand(), "message.post");
		String channel = snowflake();
		this.discord.channel(channel);
		this.discord.rateLimitNext("/channels/" + channel + "/", 60, 1);
		String body = action("message.post", Map.of("channel_id", channel, "content", "Drop is live!"));
		Map<String, String> key = Map.of("X-Idempotency-Key", "drop-1");

		ApiResponse limited = call(hook, body, key);
		assertThat(limited.status()).isEqualTo(503);
		assertThat(limited.problemCode()).isEqualTo("discord_rate_limited");
		assertThat(limited.header("Retry-After")).isEqualTo("60");
		assertThat(this.discord.requestsTo("/channels/" + channel + "/")).as("not waited for, not retried").hasSize(1);
		assertThat(this.discord.channel(channel).messages()).isEmpty();

		// A failure worth retrying is not stored: the same key is tried again, not
		// replayed.
		// The client still holds the route back for Discord's retry_after, without
		// calling.
		ApiResponse again = call(hook, body, key);
		assertThat(again.status()).isEqualTo(503);
		assertThat(again.header("Idempotent-Replayed")).isNull();
		assertThat(again.text("call_id")).isNotEqualTo(limited.text("call_id"));
		assertThat(this.discord.requestsTo("/channels/" + channel + "/")).hasSize(1);
	}

	@Test
	void messagePostPostsInTheChannel() {
		TestBrand brand = this.client.createBrand();
		Hook hook = createHook(brand, "message.post");
		String channel = snowflake();
		this.discord.channel(channel);

		ApiResponse response = call(hook,
				"{\"action\": \"message.post\", \"data\": {\"channel_id\": \"" + channel
						+ "\", \"content\": \"Welcome <@123> @everyone\", "
						+ "\"embeds\": [{\"title\": \"New drop\", \"color\": 5814783}]}}",
				Map.of("X-Idempotency-Key", "welcome-1"));
		assertThat(response.status()).isEqualTo(200);
		List<FakeDiscord.Message> messages = this.discord.channel(channel).messages();
		assertThat(messages).hasSize(1);
		FakeDiscord.Message message = messages.getFirst();
		assertThat(response.json().get("result").get("message_id").asString()).isEqualTo(message.id());
		assertThat(response.json().get("result").get("channel_id").asString()).isEqualTo(channel);
		assertThat(message.content()).isEqualTo("Welcome <@123> @everyone");
		assertThat(message.embeds().get(0).get("title").asString()).isEqualTo("New drop");
		assertThat(message.request().get("allowed_mentions").get("parse").toString())
			.isEqualTo("[\"users\",\"roles\"]");
		assertThat(message.request().get("enforce_nonce").asBoolean()).isTrue();
		assertThat(message.nonce()).hasSize(25);

		ApiResponse again = call(hook,
				"{\"action\": \"message.post\", \"data\": {\"channel_id\": \"" + channel
						+ "\", \"content\": \"Welcome <@123> @everyone\", "
						+ "\"embeds\": [{\"title\": \"New drop\", \"color\": 5814783}]}}",
				Map.of("X-Idempotency-Key", "welcome-1"));
		assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
		assertThat(this.discord.channel(channel).messages()).hasSize(1);
	}

	@Test
	void messagePostRefusalsComeFromDiscord() {
		Hook hook = createHook(this.client.createBrand(), "message.post");
		String forbidden = snowflake();
		this.discord.channel(forbidden).forbidden();

		ApiResponse unknown = call(hook, action("message.post", Map.of("channel_id", snowflake(), "content", "Hello")));
		assertThat(unknown.status()).isEqualTo(422);
		assertThat(unknown.problemCode()).isEqualTo("discord_unknown_channel");
		assertThat(unknown.json().get("discord_code").asInt()).isEqualTo(10003);

		ApiResponse denied = call(hook, action("message.post", Map.of("channel_id", forbidden, "content", "Hello")));
		assertThat(denied.status()).isEqualTo(422);
		assertThat(denied.problemCode()).isEqualTo("discord_missing_permissions");
		assertThat(this.discord.channel(forbidden).messages()).isEmpty();
	}

}
