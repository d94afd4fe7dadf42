package bot.resonance.support;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistrar;

/**
 * Points the application's Discord client, and the portal's "Sign in with Discord", at
 * the {@link FakeDiscord} of this test run. A registrar bean rather than
 * {@code @DynamicPropertySource}, so that every {@link IntegrationTest} still shares one
 * application context.
 */
@TestConfiguration(proxyBeanMethods = false)
public class FakeDiscordConfiguration {

	@Bean
	DynamicPropertyRegistrar fakeDiscordProperties() {
		return (registry) -> {
			registry.add("resonance.discord.api-base-url", () -> FakeDiscord.instance().baseUrl());
			registry.add("resonance.discord.bot-token", () -> FakeDiscord.TOKEN);
			registry.add("resonance.portal.discord.client-secret", () -> FakeDiscord.CLIENT_SECRET);
			registry.add("resonance.portal.discord.authorize-url", () -> FakeDiscord.instance().authorizeUrl());
			registry.add("resonance.portal.discord.token-url", () -> FakeDiscord.instance().tokenUrl());
		};
	}

}
