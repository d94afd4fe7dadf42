package bot.resonance.discord;

import java.time.Duration;
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

	@Test
	void registerInAServerChoosesTheBrandDirectMessagesSpeakFor() {
		DiscordBot bot = new DiscordBot(this.client);
		String first = bot.bind(this.client.createBrand(Map.of("name", "First brand")));
		String second = bot.bind(this.client.createBrand(Map.of("name", "Second brand")));
		String user = newUserId();
		bot.command(first, user, DiscordBot.MEMBER, "register", null, Map.of());
		this.clock.advance(Duration.ofSeconds(1));
		// Any use in a server registers the first time: the latest brand speaks in DMs.
		bot.command(second, user, DiscordBot.MEMBER, "help", null, Map.of());
		assertThat(dmBrand(bot, user)).contains("Second brand");
		this.clock.advance(Duration.ofSeconds(1));
		// /register again in the first brand's server makes it the DMs' brand again...
		bot.command(first, user, DiscordBot.MEMBER, "register", null, Map.of());
		assertThat(dmBrand(bot, user)).contains("First brand");
		this.clock.advance(Duration.ofSeconds(1));
		// ... and other commands in the second brand's server, once registered, do not.
		bot.command(second, user, DiscordBot.MEMBER, "help", null, Map.of());
		assertThat(dmBrand(bot, user)).contains("First brand");
	}

	private static String dmBrand(DiscordBot bot, String user) {
		return DiscordBot.data(bot.dmCommand(user, "help", null, Map.of()))
			.path("embeds")
			.get(0)
			.path("title")
			.asString();
	}

}
