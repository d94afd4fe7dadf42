package bot.resonance.discord.internal;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of setup codes, with which a brand connects its own Discord server.
 *
 * @param codeTtl how long a setup code works (30 minutes)
 * @param maxLiveCodes how many unused, unexpired setup codes a brand may have at once
 * (10)
 * @param maxFailures how many wrong codes a guild, or a user, may enter within
 * {@code failureWindow} before further tries are refused (5)
 * @param failureWindow the window wrong codes are counted in (15 minutes)
 */
@ConfigurationProperties("resonance.discord.setup")
public record SetupProperties(@DefaultValue("30m") Duration codeTtl, @DefaultValue("10") int maxLiveCodes,
		@DefaultValue("5") int maxFailures, @DefaultValue("15m") Duration failureWindow) {

	public SetupProperties {
		if (!codeTtl.isPositive() || !failureWindow.isPositive()) {
			throw new IllegalArgumentException("resonance.discord.setup durations must be positive");
		}
		if (maxLiveCodes < 1 || maxFailures < 1) {
			throw new IllegalArgumentException("resonance.discord.setup limits must be at least 1");
		}
	}

}
