package bot.resonance.discord.internal;

import bot.resonance.discord.InteractionsProperties;
import bot.resonance.discordapi.DiscordProperties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The {@code discordInteractions} health detail: whether {@code POST
 * /discord/interactions} checks Discord's signatures (without
 * {@code DISCORD_INTERACTIONS_PUBLIC_KEY} it does not, and says so here), and whether the
 * bot token and application id that some commands need are set. Always {@code UP}: a
 * missing setting limits the bot, it does not make the node unfit for traffic.
 */
@Component
class InteractionsHealthIndicator implements HealthIndicator {

	private final InteractionsProperties properties;

	private final DiscordProperties discord;

	InteractionsHealthIndicator(InteractionsProperties properties, DiscordProperties discord) {
		this.properties = properties;
		this.discord = discord;
	}

	@Override
	public Health health() {
		return Health.up()
			.withDetail("signatureVerification",
					this.properties.verifying() ? "ed25519"
							: "skipped: DISCORD_INTERACTIONS_PUBLIC_KEY is not set, anyone can post interactions")
			.withDetail("botToken", this.discord.configured())
			.withDetail("applicationId",
					this.properties.applicationId() != null && !this.properties.applicationId().isBlank())
			.build();
	}

}
