package bot.resonance.rewards.internal.statistics;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the analytics rollups (the name predates the rewards module keeping them).
 *
 * @param rollupInterval how often the weeks and months that ended (or changed) are rolled
 * up into per-member rows: one run per interval across the cluster, a recurring job
 * (default 5m)
 */
@ConfigurationProperties("resonance.analytics")
public record RollupProperties(@DefaultValue("5m") Duration rollupInterval) {

	public RollupProperties {
		if (!rollupInterval.isPositive()) {
			throw new IllegalArgumentException("resonance.analytics.rollup-interval is positive");
		}
	}

}
