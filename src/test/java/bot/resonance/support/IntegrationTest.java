package bot.resonance.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/**
 * The whole application on a random port with its embedded PostgreSQL, a clock tests can
 * move, and a {@link FakeDiscord} as Discord. All integration tests share this one
 * configuration (and so one running server); each test isolates itself by creating its
 * own brands.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "resonance.admin.token=" + ResonanceClient.ADMIN_TOKEN,
				"resonance.rewards.pending-poll-interval=1h", "resonance.analytics.rollup-interval=3650d",
				"resonance.shopify.held-refund-interval=1h", "resonance.webhooks.allowed-private-targets=127.0.0.0/8",
				"resonance.webhooks.poll-interval=200ms",
				"resonance.discord.interactions.public-key=" + DiscordInteractions.PUBLIC_KEY,
				"resonance.discord.interactions.application-id=" + DiscordBot.APPLICATION_ID })
@Import({ TestClockConfiguration.class, FakeDiscordConfiguration.class })
public @interface IntegrationTest {

}
