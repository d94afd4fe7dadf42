package bot.resonance.discordapi;

import java.net.URI;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the Discord REST client.
 *
 * @param apiBaseUrl Discord's REST API, versioned; tests and staging point it at a fake
 * @param botToken the bot's token ({@code RESONANCE_DISCORD_BOTTOKEN}); without it every
 * call answers "not configured"
 * @param connectTimeout how long to wait for a connection to Discord
 * @param requestTimeout how long to wait for one answer from Discord
 * @param maxRateLimitRetries how many times a request rate-limited by Discord
 * ({@code 429}) is sent again after the wait Discord asks for
 * @param maxRateLimitWait the longest a single call waits for Discord's rate limits in
 * all; a call that would have to wait longer reports itself rate-limited at once
 */
@ConfigurationProperties("resonance.discord")
public record DiscordProperties(@DefaultValue("https://discord.com/api/v10") URI apiBaseUrl, @Nullable String botToken,
		@DefaultValue("5s") Duration connectTimeout, @DefaultValue("10s") Duration requestTimeout,
		@DefaultValue("3") int maxRateLimitRetries, @DefaultValue("5s") Duration maxRateLimitWait) {

	/** Whether a bot token is set. */
	public boolean configured() {
		return this.botToken != null && !this.botToken.isBlank();
	}

}
