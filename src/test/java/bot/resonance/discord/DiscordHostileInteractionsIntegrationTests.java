package bot.resonance.discord;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import bot.resonance.support.ApiResponse;
import bot.resonance.support.DiscordBot;
import bot.resonance.support.DiscordInteractions;
import bot.resonance.support.FakeDiscord;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.IntegrationTestSupport;
import bot.resonance.support.TestBrand;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Interactions that are well signed and still hostile or odd: each is a clear answer,
 * with nothing stored that should not be, no server error and no line in the log.
 */
@IntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class DiscordHostileInteractionsIntegrationTests extends IntegrationTestSupport {

	private DiscordBot bot() {
		return new DiscordBot(this.client);
	}

	@Test
	void idsThatAreNotSnowflakesAreRefusedBeforeAnythingIsStored(CapturedOutput output) {
		TestBrand brand = this.client.createBrand();
		String guild = bot().bind(brand);
		int before = output.getAll().length();
		String valid = DiscordBot.commandBody(DiscordBot.newInteractionId(), guild, newUserId(), DiscordBot.MEMBER,
				"help", null, Map.of());
		for (String[] field : new String[][] { { "id", "x".repeat(3000) }, { "id", "../../x y" },
				{ "channel_id", "general" }, { "channel_id", "-1" } }) {
			String body = valid.replaceFirst("\"" + field[0] + "\":\"[^\"]*\"",
					"\"" + field[0] + "\":\"" + field[1] + "\"");
			ApiResponse answer = bot().send(body);
			assertThat(answer.status()).as(field[0] + " " + answer).isEqualTo(400);
			assertThat(answer.problemCode()).isEqualTo("invalid_request");
			assertThat(answer.text("detail")).contains(field[0] + " is not a Discord id");
		}
		assertThat(DiscordBot.data(bot().send(valid)).toString()).contains("/checkin");
		assertThat(output.getAll().substring(before)).doesNotContain(" ERROR ").doesNotContain(" WARN ");
	}

	@Test
	void aBoardButtonForAPeriodNotBegunIsRefusedQuietly(CapturedOutput output) {
		TestBrand brand = this.client.createBrand();
		String guild = bot().bind(brand);
		int before = output.getAll().length();
		for (String customId : new String[] { "leaderboard:week:9999-12-27:0", "leaderboard:month:2999-01-01:0" }) {
			String content = DiscordBot
				.content(bot().component(guild, newUserId(), DiscordBot.MEMBER, customId, java.util.List.of()));
			assertThat(content).as(customId).contains("not one Resonance knows");
		}
		assertThat(output.getAll().substring(before)).doesNotContain(" ERROR ");
	}

	/**
	 * A token that cannot go into the path of the follow-up call: the work is done before
	 * answering, and the answer is its outcome.
	 */
	@Test
	void aDeferredAnswerWhoseTokenCannotBeUsedIsAnsweredAtOnce(CapturedOutput output) {
		TestBrand brand = this.client.createBrand(Map.of("name", "Token brand"));
		String guild = bot().bind(brand);
		String channel = Long.toString(Long.parseLong(guild) + 1);
		FakeDiscord.Channel target = FakeDiscord.instance().channel(channel);
		int before = output.getAll().length();
		String id = DiscordBot.newInteractionId();
		String body = DiscordBot
			.commandBody(id, guild, newUserId(), DiscordBot.ADMIN, "notify", null,
					Map.of("target", "channel", "message", "Doors open"))
			.replace("\"token\":\"tok-" + id + "\"", "\"token\":\"a b/../c\"");
		ApiResponse answer = bot().send(body);
		assertThat(answer.json().path("type").asInt()).as(answer.toString()).isEqualTo(4);
		assertThat(DiscordBot.content(answer)).contains("Posted in <#" + channel + ">");
		assertThat(target.messages()).hasSize(1);
		assertThat(output.getAll().substring(before)).doesNotContain("Exception").doesNotContain(" ERROR ");
	}

	/**
	 * JSON the parser takes and PostgreSQL's jsonb does not: a byte order mark is
	 * dropped, a number jsonb cannot hold is refused; neither logs anything.
	 */
	@Test
	void aByteOrderMarkIsDroppedAndNumbersJsonbCannotHoldAreRefused(CapturedOutput output) {
		TestBrand brand = this.client.createBrand();
		String guild = bot().bind(brand);
		int before = output.getAll().length();
		String body = DiscordBot.commandBody(DiscordBot.newInteractionId(), guild, newUserId(), DiscordBot.MEMBER,
				"help", null, Map.of());
		byte[] text = body.getBytes(StandardCharsets.UTF_8);
		byte[] marked = new byte[text.length + 3];
		marked[0] = (byte) 0xEF;
		marked[1] = (byte) 0xBB;
		marked[2] = (byte) 0xBF;
		System.arraycopy(text, 0, marked, 3, text.length);
		String markedBody = new String(marked, StandardCharsets.UTF_8);
		ApiResponse withMark = this.client.sendBytes("POST", "/discord/interactions", marked,
				DiscordInteractions.headers(markedBody));
		assertThat(DiscordBot.data(withMark).toString()).contains("/checkin");

		for (String number : new String[] { "1e200000", "1e-200000", "1".repeat(1001) }) {
			ApiResponse huge = bot().send(
					DiscordBot
						.commandBody(DiscordBot.newInteractionId(), guild, newUserId(), DiscordBot.MEMBER, "help", null,
								Map.of())
						.replace("\"version\":1", "\"version\":" + number));
			assertThat(huge.status()).as(number.substring(0, Math.min(12, number.length()))).isEqualTo(400);
			assertThat(huge.text("detail")).contains(number.startsWith("1e")
					? "The number in version is more than 1000 digits" : "numbers of at most 1,000 characters");
		}
		assertThat(output.getAll().substring(before)).doesNotContain(" ERROR ").doesNotContain(" WARN ");
	}

	/**
	 * A user id with leading zeros is the same user everywhere, the registration that
	 * names their brand in DMs included; permissions are decimal digits and nothing else.
	 */
	@Test
	void oneUserHasOneSpellingAndPermissionsAreDigitsOnly() {
		TestBrand brand = this.client.createBrand();
		String guild = bot().bind(brand);
		String user = newUserId();
		assertThat(DiscordBot.data(bot().command(guild, "00" + user, DiscordBot.MEMBER, "help", null, Map.of()))
			.toString()).contains("/checkin");
		assertThat(DiscordBot.content(bot().dmCommand(user, "balance", null, Map.of())))
			.doesNotContain("Run /register");

		String refused = DiscordBot.content(bot().command(guild, newUserId(), "+32", "config", "events", Map.of()));
		assertThat(refused).contains("is for the server's admins");
	}

}
