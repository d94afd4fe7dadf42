package bot.resonance.discord;

import java.util.Map;

import org.junit.jupiter.api.Test;

import bot.resonance.support.DiscordBot;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.IntegrationTestSupport;
import bot.resonance.support.TestBrand;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /register email:…} on a Resonance without email: said at once, and an address
 * that is none is refused before anything else.
 */
@IntegrationTest
class DiscordRegisterIntegrationTests extends IntegrationTestSupport {

	@Test
	void withoutEmailTheMemberIsToldSoAtOnce() {
		TestBrand brand = this.client.createBrand(Map.of("name", "No mail brand"));
		DiscordBot bot = new DiscordBot(this.client);
		String guild = bot.bind(brand);
		String user = newUserId();
		assertThat(DiscordBot.content(
				bot.command(guild, user, DiscordBot.MEMBER, "register", null, Map.of("email", "someone@example.com"))))
			.contains("Email is not set up")
			.contains("registered with No mail brand");
		assertThat(DiscordBot.content(
				bot.command(guild, user, DiscordBot.MEMBER, "register", null, Map.of("email", "someone.example.com"))))
			.contains("not an email address");
		assertThat(DiscordBot.content(bot.command(guild, user, DiscordBot.MEMBER, "register", null, Map.of())))
			.contains("registered with No mail brand");
	}

}
