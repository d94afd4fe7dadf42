package bot.resonance.discord.internal;

import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import bot.resonance.discord.InteractionsProperties;
import bot.resonance.discordapi.DiscordProperties;
import bot.resonance.support.DiscordInteractions;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code discordInteractions} health detail says loudly when signatures are not
 * checked, and which settings the bot lacks, without taking the node out of service.
 */
class InteractionsHealthIndicatorUnitTests {

	@Test
	void saysSignaturesAreSkippedWithoutAPublicKey() {
		Health health = new InteractionsHealthIndicator(new InteractionsProperties(null, null, Duration.ofSeconds(60),
				Duration.ofDays(90), Duration.ofMinutes(5)), discord(null))
			.health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails().get("signatureVerification").toString()).startsWith("skipped")
			.contains("DISCORD_INTERACTIONS_PUBLIC_KEY");
		assertThat(health.getDetails()).containsEntry("botToken", false).containsEntry("applicationId", false);
	}

	@Test
	void saysEd25519WhenConfigured() {
		Health health = new InteractionsHealthIndicator(new InteractionsProperties(DiscordInteractions.PUBLIC_KEY,
				"1100000000000000042", Duration.ofSeconds(60), Duration.ofDays(90), Duration.ofMinutes(5)),
				discord("token"))
			.health();
		assertThat(health.getDetails()).containsEntry("signatureVerification", "ed25519")
			.containsEntry("botToken", true)
			.containsEntry("applicationId", true);
	}

	private static DiscordProperties discord(String token) {
		return new DiscordProperties(URI.create("https://discord.com/api/v10"), token, Duration.ofSeconds(5),
				Duration.ofSeconds(10), 3, Duration.ofSeconds(5));
	}

}
