package bot.resonance.rewards.internal.ingest;

import java.time.Instant;

/**
 * A sliding-window rate limit of {@code limit} requests per minute, kept as two counters:
 * the current calendar minute's and the previous one's. The previous minute counts in
 * proportion to how much of it still lies within the last 60 seconds, so bursts at a
 * minute boundary cannot double the rate, and the state is just three numbers per brand.
 */
public final class RateWindow {

	private static final long MINUTE_MILLIS = 60_000;

	private long minute;

	private int current;

	private int previous;

	public RateWindow(long minute, int current, int previous) {
		this.minute = minute;
		this.current = current;
		this.previous = previous;
	}

	/**
	 * Counts a request at {@code now} if it fits under {@code limit}; false if it does
	 * not.
	 */
	public boolean tryAcquire(Instant now, int limit) {
		roll(now);
		if (estimate(now.toEpochMilli()) + 1 > limit) {
			return false;
		}
		this.current++;
		return true;
	}

	/** Whole seconds from {@code now} until a request would fit again (at least 1). */
	public long retryAfterSeconds(Instant now, int limit) {
		roll(now);
		for (long seconds = 1; seconds <= 120; seconds++) {
			long at = now.toEpochMilli() + seconds * 1000;
			long atMinute = Math.floorDiv(at, MINUTE_MILLIS);
			double previousAt;
			double currentAt;
			if (atMinute == this.minute) {
				previousAt = this.previous;
				currentAt = this.current;
			}
			else if (atMinute == this.minute + 1) {
				previousAt = this.current;
				currentAt = 0;
			}
			else {
				return seconds;
			}
			double fraction = (double) (at - atMinute * MINUTE_MILLIS) / MINUTE_MILLIS;
			if (previousAt * (1 - fraction) + currentAt + 1 <= limit) {
				return seconds;
			}
		}
		return 120;
	}

	private void roll(Instant now) {
		long nowMinute = Math.floorDiv(now.toEpochMilli(), MINUTE_MILLIS);
		if (nowMinute == this.minute) {
			return;
		}
		this.previous = (nowMinute == this.minute + 1) ? this.current : 0;
		this.current = 0;
		this.minute = nowMinute;
	}

	private double estimate(long nowMillis) {
		double fraction = (double) (nowMillis - this.minute * MINUTE_MILLIS) / MINUTE_MILLIS;
		return this.previous * (1 - fraction) + this.current;
	}

	public long minute() {
		return this.minute;
	}

	public int current() {
		return this.current;
	}

	public int previous() {
		return this.previous;
	}

}
