package bot.resonance.rewards.internal.statistics;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the analytics aggregates: their rollups and how often recorded changes are
 * folded into them.
 *
 * @param rollupInterval how often the weeks and months that ended (or changed) are rolled
 * up into per-member rows: one run per interval across the cluster, a recurring job
 * (default 5m)
 * @param foldInterval how often what event batches added to the analytics is folded into
 * the aggregates by a recurring job (default 1s); anything that reads the aggregates
 * folds first, so this bounds the work left for a read, not what it sees
 */
@ConfigurationProperties("resonance.analytics")
public record RollupProperties(@DefaultValue("5m") Duration rollupInterval, @DefaultValue("1s") Duration foldInterval) {

	public RollupProperties {
		if (!rollupInterval.isPositive()) {
			throw new IllegalArgumentException("resonance.analytics.rollup-interval is positive");
		}
		if (!foldInterval.isPositive()) {
			throw new IllegalArgumentException("resonance.analytics.fold-interval is positive");
		}
	}

}
