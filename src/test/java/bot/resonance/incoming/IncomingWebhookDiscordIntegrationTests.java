package bot.resonance.incoming;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import bot.resonance.support.ApiResponse;
import bot.resonance.support.DiscordBot;
import bot.resonance.support.FakeDiscord;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.TestBrand;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code role.assign} and {@code message.post} against a fake Discord that speaks
 * Discord's protocol: its paths, the bot token, rate limits and JSON errors. A hook acts
 * in its brand's own servers only.
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
		TestBrand brand = this.client.createBrand();
		Hook hook = createHook(brand, "role.assign");
		String guild = bot().bind(brand);
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
		String guild = bot().bind(brand);
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
				Map.of("guild_id", bot().bind(brand), "user_id", user, "role_id", role));
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
		TestBrand brand = this.client.createBrand();
		Hook hook = createHook(brand, "role.assign");
		String guild = bot().bind(brand);
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
		TestBrand brand = this.client.createBrand();
		Hook hook = createHook(brand, "message.post");
		String channel = snowflake();
		this.discord.channel(channel).inGuild(bot().bind(brand));
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
		this.discord.channel(channel).inGuild(bot().bind(brand));

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
		assertThat(message.embeds().get(0).get("color").asInt()).isEqualTo(5814783);
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
		TestBrand brand = this.client.createBrand();
		Hook hook = createHook(brand, "message.post");
		String forbidden = snowflake();
		this.discord.channel(forbidden).inGuild(bot().bind(brand)).forbidden();

		ApiResponse unknown = call(hook, action("message.post", Map.of("channel_id", snowflake(), "content", "Hello")));
		assertThat(unknown.status()).isEqualTo(422);
		assertThat(unknown.problemCode()).isEqualTo("discord_unknown_channel");
		assertThat(unknown.json().get("discord_code").asInt()).isEqualTo(10003);

		ApiResponse denied = call(hook, action("message.post", Map.of("channel_id", forbidden, "content", "Hello")));
		assertThat(denied.status()).isEqualTo(422);
		assertThat(denied.problemCode()).isEqualTo("discord_missing_permissions");
		assertThat(this.discord.channel(forbidden).messages()).isEmpty();
	}

	/**
	 * One bot serves every brand: a hook cannot give roles in, or post to, a server that
	 * is not its brand's (another brand's, or nobody's), nor post in a DM. The refusal
	 * comes before anything is claimed or sent, and follows the bindings as they change.
	 */
	@Test
	void aHookActsOnlyInItsBrandsOwnServers() {
		TestBrand owner = this.client.createBrand();
		TestBrand other = this.client.createBrand();
		String guild = bot().bind(owner);
		String user = snowflake();
		String role = snowflake();
		String channel = snowflake();
		this.discord.guild(guild).member(user).role(role);
		this.discord.channel(channel).inGuild(guild);
		Hook intruder = createHook(other, "role.assign", "message.post");

		ApiResponse roleThere = call(intruder,
				action("role.assign", Map.of("guild_id", guild, "user_id", user, "role_id", role)));
		assertThat(roleThere.status()).as(roleThere.toString()).isEqualTo(403);
		assertThat(roleThere.problemCode()).isEqualTo("guild_not_bound");
		assertThat(roleThere.text("detail")).contains("Guild " + guild + " is not connected to this brand");
		ApiResponse postThere = call(intruder,
				action("message.post", Map.of("channel_id", channel, "content", "Free VIP: click here")));
		assertThat(postThere.status()).isEqualTo(403);
		assertThat(postThere.problemCode()).isEqualTo("guild_not_bound");
		assertThat(postThere.text("detail")).contains("is in guild " + guild);
		assertThat(this.discord.requestsTo("/guilds/" + guild + "/")).isEmpty();
		assertThat(this.discord.guild(guild).rolesOf(user)).isEmpty();
		assertThat(this.discord.channel(channel).messages()).isEmpty();

		String dm = snowflake();
		this.discord.channel(dm);
		ApiResponse toDm = call(intruder, action("message.post", Map.of("channel_id", dm, "content", "Hi")));
		assertThat(toDm.status()).isEqualTo(403);
		assertThat(toDm.text("detail")).contains("not in a Discord server");

		// Refused before acting: nothing is claimed, so once the server is the brand's,
		// the same message acts.
		String nobodys = snowflake();
		this.discord.guild(nobodys).member(user).role(role);
		String body = action("role.assign", Map.of("guild_id", nobodys, "user_id", user, "role_id", role));
		Map<String, String> key = Map.of("X-Idempotency-Key", "vip-" + nobodys);
		assertThat(call(intruder, body, key).status()).isEqualTo(403);
		ApiResponse bound = this.client.admin("POST", "/admin/v1/brands/" + other.brandId() + "/guilds",
				"{\"guild_id\": \"" + nobodys + "\"}");
		assertThat(bound.status()).isEqualTo(201);
		ApiResponse acted = call(intruder, body, key);
		assertThat(acted.status()).as(acted.toString()).isEqualTo(200);
		assertThat(acted.header("Idempotent-Replayed")).isNull();
		assertThat(this.discord.guild(nobodys).rolesOf(user)).containsExactly(role);

		// The owner posts there; the channel's guild is asked of Discord once, whether
		// the
		// guild is the brand's at every call.
		Hook own = createHook(owner, "message.post");
		assertThat(call(own, action("message.post", Map.of("channel_id", channel, "content", "One"))).status())
			.isEqualTo(200);
		assertThat(call(own, action("message.post", Map.of("channel_id", channel, "content", "Two"))).status())
			.isEqualTo(200);
		assertThat(this.discord.channel(channel).messages()).hasSize(2);
		assertThat(this.discord.requestsTo("/channels/" + channel)
			.stream()
			.filter((request) -> request.method().equals("GET"))).hasSize(1);
		assertThat(
				this.client.admin("DELETE", "/admin/v1/brands/" + owner.brandId() + "/guilds/" + guild, null).status())
			.isEqualTo(204);
		assertThat(call(own, action("message.post", Map.of("channel_id", channel, "content", "Three"))).status())
			.isEqualTo(403);
		assertThat(this.discord.channel(channel).messages()).hasSize(2);

		JsonNode logged = this.client.get(other, "/v1/incoming-webhooks/" + intruder.id() + "/calls?limit=100")
			.json()
			.get("data");
		assertThat(logged).hasSize(5);
		assertThat(logged.get(4).get("error_code").asString()).isEqualTo("guild_not_bound");
	}

	/** Embeds reach Discord as they came: their numbers are never read as doubles. */
	@Test
	void embedsArePassedOnAsTheyCame() {
		TestBrand brand = this.client.createBrand();
		Hook hook = createHook(brand, "message.post");
		String channel = snowflake();
		this.discord.channel(channel).inGuild(bot().bind(brand));
		ApiResponse response = call(hook, "{\"action\": \"message.post\", \"data\": {\"channel_id\": \"" + channel
				+ "\", \"embeds\": [{\"title\": \"Exact\", \"color\": 1e400, \"ratio\": 0.1000000000000000055511}]}}");
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		String sent = this.discord.requestsTo("/channels/" + channel + "/messages").getFirst().body();
		assertThat(sent).doesNotContain("Infinity").contains("1E+400").contains("0.1000000000000000055511");
	}

	private DiscordBot bot() {
		return new DiscordBot(this.client);
	}

}
