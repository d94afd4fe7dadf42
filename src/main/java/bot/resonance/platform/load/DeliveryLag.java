package bot.resonance.platform.load;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

/**
 * How far each brand's webhook deliveries on this node are behind: how long the
 * deliveries the node claims for the brand had been due. The delivery dispatcher reports
 * it at every claim; the event pipeline reads it and holds the brand's new events back
 * while it is high, so that events arriving at full speed cannot starve the deliveries
 * they cause (other brands' events go on). A report older than {@link #FRESH} counts as
 * nothing: deliveries no longer claimed hold nothing back.
 */
@Component
public final class DeliveryLag {

	/** How long a report stands. */
	static final Duration FRESH = Duration.ofSeconds(2);

	/** Brands reported before stale reports are forgotten. */
	private static final int FORGET_STALE_ABOVE = 10_000;

	private final Map<String, Report> reports = new ConcurrentHashMap<>();

	/**
	 * Reports how long the brand's deliveries just claimed had been due (zero: none
	 * waited).
	 */
	public void report(String brandId, Duration lag) {
		long now = System.nanoTime();
		if (this.reports.size() > FORGET_STALE_ABOVE) {
			this.reports.values().removeIf((report) -> now - report.atNanos() > FRESH.toNanos());
		}
		this.reports.put(brandId, new Report(Math.max(0, lag.toMillis()), now));
	}

	/** The latest lag reported for the brand, or zero if none was reported lately. */
	public Duration current(String brandId) {
		Report report = this.reports.get(brandId);
		if (report == null || System.nanoTime() - report.atNanos() > FRESH.toNanos()) {
			return Duration.ZERO;
		}
		return Duration.ofMillis(report.lagMillis());
	}

	private record Report(long lagMillis, long atNanos) {
	}

}
