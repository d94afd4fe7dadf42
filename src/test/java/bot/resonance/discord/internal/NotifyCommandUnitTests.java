package bot.resonance.discord.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import bot.resonance.brands.Brand;
import bot.resonance.discord.Answer;
import bot.resonance.discord.CommandCall;
import bot.resonance.discord.CommandSpec;
import bot.resonance.discordapi.DiscordClient;
import bot.resonance.identity.Member;
import bot.resonance.identity.MemberStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoMoreInteractions;
import static org.mockito.Mockito.when;

/**
 * {@code /notify} without a bot token: a clear answer at once that names
 * {@code DISCORD_BOT_TOKEN}, and nothing sent.
 */
class NotifyCommandUnitTests {

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	void withoutABotTokenNotifyAnswersAtOnceNamingTheSetting() {
		DiscordClient discord = mock(DiscordClient.class);
		when(discord.isConfigured()).thenReturn(false);
		NotifyCommand notify = new NotifyCommand(discord, this.json, Clock.systemUTC());

		for (String target : List.of("user", "channel")) {
			Answer answer = notify.execute(call(target));
			assertThat(answer).isInstanceOf(Answer.Message.class);
			Answer.Message message = (Answer.Message) answer;
			assertThat(message.ephemeral()).isTrue();
			assertThat(message.content()).contains("DISCORD_BOT_TOKEN");
		}
		verify(discord, times(2)).isConfigured();
		verifyNoMoreInteractions(discord);
	}

	@Test
	void withABotTokenNotifyIsDeferred() {
		DiscordClient discord = mock(DiscordClient.class);
		when(discord.isConfigured()).thenReturn(true);
		NotifyCommand notify = new NotifyCommand(discord, this.json, Clock.systemUTC());
		assertThat(notify.execute(call("channel"))).isInstanceOf(Answer.Deferred.class);
		assertThat(notify.spec().access()).isEqualTo(CommandSpec.Access.ADMINS);
	}

	private CommandCall call(String target) {
		Instant now = Instant.parse("2026-04-14T19:00:00Z");
		Brand brand = new Brand("brd_1", "Unit brand", 60, null, false, "PTS", now, now);
		Member member = new Member("brd_1", 1, 1, MemberStatus.ACTIVE, now);
		String body = this.json.writeValueAsString(Map.of("id", "1400000000000000001", "type", 2, "data",
				Map.of("name", "notify", "options",
						List.of(Map.of("name", "target", "type", 3, "value", target),
								Map.of("name", "user", "type", 6, "value", "1000000000000000001"),
								Map.of("name", "message", "type", 3, "value", "Hello")))));
		return new CommandCall(2, brand, "1250000000000000001", "1250000000000000002", "1000000000000000009", member,
				CommandSpec.MANAGE_GUILD, this.json.readTree(body));
	}

}
