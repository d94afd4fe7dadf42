package bot.resonance.rewards.internal.retention;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import bot.resonance.platform.DurationText;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long recorded events are kept.
 *
 * @param events how long a recorded event (with its metadata, stored answer and
 * {@code Idempotency-Key}) is kept after it was received; unset (the default) keeps every
 * event. Pending events are kept until they are processed, whatever their age; ledger
 * transfers and the analytics' aggregates are never pruned. At least one day, so that an
 * {@code Idempotency-Key} retried within a day is always recognized
 * @param metadata how long an event's {@code metadata} (the free-form object its request
 * carried, up to the event size limit: the largest part of an event) is kept after it was
 * received; then it is cleared, the event itself kept. {@code 0} keeps it as long as the
 * event. Pending events keep theirs until processed
 * @param pruneInterval how often events older than their retention are forgotten
 */
@ConfigurationProperties("resonance.rewards.retention")
public record EventRetentionProperties(@Nullable Duration events, @DefaultValue("90d") Duration metadata,
		@DefaultValue("1h") Duration pruneInterval) {

	/** The shortest retention accepted. */
	static final Duration MINIMUM = Duration.ofDays(1);

	public EventRetentionProperties {
		if (events != null && events.compareTo(MINIMUM) < 0) {
			throw new IllegalArgumentException("resonance.rewards.retention.events must be at least " + MINIMUM.toDays()
					+ "d (or unset, to keep every event), not " + DurationText.of(events));
		}
		if (metadata.isNegative()) {
			throw new IllegalArgumentException(
					"resonance.rewards.retention.metadata must be positive (or 0, to keep metadata with its event)");
		}
		if (!pruneInterval.isPositive()) {
			throw new IllegalArgumentException("resonance.rewards.retention.prune-interval must be positive");
		}
	}

	/**
	 * Events received before this instant may lose their metadata; none if it is kept
	 * with the event.
	 */
	Optional<Instant> metadataCutoff(Instant now) {
		return this.metadata.isZero() ? Optional.empty() : Optional.of(now.minus(this.metadata));
	}

	/** Events received before this instant may be pruned; none if events are kept. */
	Optional<Instant> cutoff(Instant now) {
		return Optional.ofNullable(this.events).map(now::minus);
	}

}
