package bot.resonance.discord;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import bot.resonance.support.ApiResponse;
import bot.resonance.support.DiscordBot;
import bot.resonance.support.FakeDiscord;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.IntegrationTestSupport;
import bot.resonance.support.ResonanceClient;
import bot.resonance.support.TestBrand;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code /notify}: an admin has the bot DM a member or post in the channel, in the
 * brand's voice, and learns what became of it; {@code /help}: what the caller may use.
 */
@IntegrationTest
class DiscordNotifyAndHelpIntegrationTests extends IntegrationTestSupport {

	private final FakeDiscord discord = FakeDiscord.instance();

	private DiscordBot bot() {
		return new DiscordBot(this.client);
	}

	@Test
	void anAdminDirectMessagesAMemberInTheBrandsVoice() {
		TestBrand brand = this.client.createBrand(Map.of("name", "Notify brand"));
		String guild = bot().bind(brand);
		String admin = newUserId();
		String member = newUserId();

		JsonNode edit = notify(guild, admin, DiscordBot.ADMIN,
				Map.of("target", "user", "user", member, "message", "Your order shipped!"));
		assertThat(edit.path("content").asString()).contains("Sent to <@" + member + ">");
		List<FakeDiscord.Message> received = this.discord.dmWith(member).orElseThrow().messages();
		assertThat(received).hasSize(1);
		JsonNode embed = received.get(0).embeds().get(0);
		assertThat(embed.path("author").path("name").asString()).isEqualTo("Notify brand");
		assertThat(embed.path("description").asString()).isEqualTo("Your order shipped!");
	}

	@Test
	void aMemberWhoDoesNotAcceptDmsIsReportedNotSent() {
		TestBrand brand = this.client.createBrand(Map.of("name", "Closed DMs"));
		String guild = bot().bind(brand);
		String member = newUserId();
		this.discord.closeDms(member);

		JsonNode edit = notify(guild, newUserId(), DiscordBot.ADMIN,
				Map.of("target", "user", "user", member, "message", "Hello"));
		assertThat(edit.path("content").asString()).contains("does not accept direct messages")
			.contains("nothing was sent");
		assertThat(this.discord.dmWith(member).orElseThrow().messages()).isEmpty();
	}

	@Test
	void anAdminPostsInTheChannelTheCommandWasUsedIn() {
		TestBrand brand = this.client.createBrand(Map.of("name", "Channel brand"));
		String guild = bot().bind(brand);
		String channel = channelOf(guild);
		FakeDiscord.Channel target = this.discord.channel(channel);

		JsonNode edit = notify(guild, newUserId(), DiscordBot.ADMIN,
				Map.of("target", "channel", "message", "Double points tonight"));
		assertThat(edit.path("content").asString()).contains("Posted in <#" + channel + ">");
		assertThat(target.messages()).hasSize(1);
		JsonNode embed = target.messages().get(0).embeds().get(0);
		assertThat(embed.path("author").path("name").asString()).isEqualTo("Channel brand");
		assertThat(embed.path("description").asString()).isEqualTo("Double points tonight");
	}

	@Test
	void aChannelTheBotMayNotPostInIsReported() {
		TestBrand brand = this.client.createBrand(Map.of("name", "Forbidden brand"));
		String guild = bot().bind(brand);
		FakeDiscord.Channel target = this.discord.channel(channelOf(guild)).forbidden();

		JsonNode edit = notify(guild, newUserId(), DiscordBot.ADMIN,
				Map.of("target", "channel", "message", "Hello all"));
		assertThat(edit.path("content").asString()).contains("may not post").contains("Send Messages");
		assertThat(target.messages()).isEmpty();
	}

	@Test
	void discordsRateLimitIsReportedWithWhenToTryAgain() {
		TestBrand brand = this.client.createBrand(Map.of("name", "Busy brand"));
		String guild = bot().bind(brand);
		String channel = channelOf(guild);
		FakeDiscord.Channel target = this.discord.channel(channel);
		// Longer than the client waits for a rate limit
		// (resonance.discord.max-rate-limit-wait).
		this.discord.rateLimitNext("/channels/" + channel + "/messages", 600, 5);

		JsonNode edit = notify(guild, newUserId(), DiscordBot.ADMIN, Map.of("target", "channel", "message", "Later"));
		assertThat(edit.path("content").asString()).contains("rate limit")
			.contains("nothing was sent")
			.containsPattern("<t:[0-9]+:R>");
		assertThat(target.messages()).isEmpty();
	}

	@Test
	void notifyRefusesMembersAndIncompleteRequestsAtOnce() {
		TestBrand brand = this.client.createBrand(Map.of("name", "Strict brand"));
		String guild = bot().bind(brand);
		assertThat(DiscordBot.content(bot().command(guild, newUserId(), DiscordBot.MEMBER, "notify", null,
				Map.of("target", "channel", "message", "hi"))))
			.contains("admins");
		assertThat(DiscordBot.content(bot().command(guild, newUserId(), DiscordBot.ADMIN, "notify", null,
				Map.of("target", "user", "message", "hi"))))
			.contains("Choose the member");
		assertThat(DiscordBot.content(bot().command(guild, newUserId(), DiscordBot.ADMIN, "notify", null,
				Map.of("target", "channel", "message", "x".repeat(2001)))))
			.contains("2001 characters");

		// An interaction without channel_id: nowhere to post.
		String id = DiscordBot.newInteractionId();
		ObjectNode body = (ObjectNode) ResonanceClient.MAPPER.readTree(DiscordBot.commandBody(id, guild, newUserId(),
				DiscordBot.ADMIN, "notify", null, Map.of("target", "channel", "message", "hi")));
		body.remove("channel_id");
		String answer = DiscordBot.content(bot().send(body.toString()));
		assertThat(answer).contains("channel_id");
	}

	@Test
	void helpListsWhatTheCallerMayUse() {
		TestBrand brand = this.client.createBrand(Map.of("name", "Helpful brand"));
		String guild = bot().bind(brand);
		JsonNode member = DiscordBot.data(bot().command(guild, newUserId(), DiscordBot.MEMBER, "help", null, Map.of()));
		assertThat(member.path("flags").asInt()).isEqualTo(64);
		List<String> memberCommands = commandNames(member);
		assertThat(memberCommands).contains("/help", "/register", "/wallet")
			.noneMatch((name) -> name.startsWith("/setup") || name.startsWith("/notify"));
		String wallet = field(member, "/wallet");
		assertThat(wallet).contains("/wallet balance").contains("/wallet redeem");
		assertThat(member.path("embeds").get(0).path("author").path("name").asString()).isEqualTo("Helpful brand");

		JsonNode admin = DiscordBot.data(bot().command(guild, newUserId(), DiscordBot.ADMIN, "help", null, Map.of()));
		assertThat(commandNames(admin)).contains("/help", "/register", "/wallet", "/setup (admins)",
				"/notify (admins)");
		assertThat(field(admin, "/notify (admins)")).contains("DM");

		String user = newUserId();
		bot().command(guild, user, DiscordBot.MEMBER, "register", null, Map.of());
		JsonNode dm = DiscordBot.data(bot().dmCommand(user, "help", null, Map.of()));
		assertThat(commandNames(dm)).contains("/help", "/wallet").noneMatch((name) -> name.startsWith("/setup"));
		// /wallet works in DMs, but not its redeem (spending happens in the brand's
		// server).
		assertThat(field(dm, "/wallet")).contains("/wallet balance").doesNotContain("/wallet redeem");
	}

	private static List<String> commandNames(JsonNode data) {
		List<String> names = new ArrayList<>();
		data.path("embeds").get(0).path("fields").forEach((f) -> names.add(f.path("name").asString()));
		return names;
	}

	private static String field(JsonNode data, String name) {
		for (JsonNode f : data.path("embeds").get(0).path("fields")) {
			if (f.path("name").asString().equals(name)) {
				return f.path("value").asString();
			}
		}
		throw new AssertionError("No field " + name + " in " + data);
	}

	/** Sends /notify; it is deferred, and its outcome edits the original response. */
	private JsonNode notify(String guild, String user, String permissions, Map<String, Object> options) {
		String id = DiscordBot.newInteractionId();
		ApiResponse deferred = bot()
			.send(DiscordBot.commandBody(id, guild, user, permissions, "notify", null, options));
		assertThat(deferred.status()).as(deferred.toString()).isEqualTo(200);
		assertThat(deferred.json().path("type").asInt()).as(deferred.toString()).isEqualTo(5);
		assertThat(deferred.json().path("data").path("flags").asInt()).isEqualTo(64);
		await().atMost(Duration.ofSeconds(20)).until(() -> !this.discord.originalEdits(DiscordBot.token(id)).isEmpty());
		return this.discord.originalEdits(DiscordBot.token(id)).get(0);
	}

	private static String channelOf(String guild) {
		// DiscordBot sends guild interactions from channel guild + 1.
		return Long.toString(Long.parseLong(guild) + 1);
	}

}
