package bot.resonance.platform.load;

import java.time.Duration;

import org.springframework.stereotype.Component;

/**
 * How far this node's webhook deliveries are behind while its sending capacity is what
 * holds them back: how long the deliveries it claims have been due. The delivery
 * dispatcher reports it at every claim; the event pipeline reads it and slows down while
 * it is high, so that events arriving at full speed cannot starve the deliveries they
 * cause. A report older than {@link #FRESH} counts as nothing: a dispatcher that stopped
 * reporting holds nothing back.
 */
@Component
public final class DeliveryLag {

	/** How long a report stands. */
	static final Duration FRESH = Duration.ofSeconds(2);

	private volatile long lagMillis;

	private volatile long reportedAtNanos = System.nanoTime() - FRESH.toNanos();

	/** Reports how long the deliveries just claimed had been due (zero: none waited). */
	public void report(Duration lag) {
		this.lagMillis = Math.max(0, lag.toMillis());
		this.reportedAtNanos = System.nanoTime();
	}

	/** The latest lag reported, or zero if none was reported lately. */
	public Duration current() {
		if (System.nanoTime() - this.reportedAtNanos > FRESH.toNanos()) {
			return Duration.ZERO;
		}
		return Duration.ofMillis(this.lagMillis);
	}

}
