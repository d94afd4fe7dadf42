package bot.resonance.analytics.internal;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * The buckets of a summary's series: UTC hours or UTC days, each with the longest range
 * it may cover and the range it covers by default.
 */
enum Granularity {

	HOUR("hour", ChronoUnit.HOURS, Duration.ofDays(31), Duration.ofHours(24)),

	DAY("day", ChronoUnit.DAYS, Duration.ofDays(400), Duration.ofDays(7));

	private final String wireName;

	private final ChronoUnit unit;

	private final Duration maxRange;

	private final Duration defaultRange;

	Granularity(String wireName, ChronoUnit unit, Duration maxRange, Duration defaultRange) {
		this.wireName = wireName;
		this.unit = unit;
		this.maxRange = maxRange;
		this.defaultRange = defaultRange;
	}

	String wireName() {
		return this.wireName;
	}

	ChronoUnit unit() {
		return this.unit;
	}

	Duration maxRange() {
		return this.maxRange;
	}

	Duration defaultRange() {
		return this.defaultRange;
	}

	static Optional<Granularity> fromWireName(String name) {
		for (Granularity granularity : values()) {
			if (granularity.wireName.equals(name)) {
				return Optional.of(granularity);
			}
		}
		return Optional.empty();
	}

}
