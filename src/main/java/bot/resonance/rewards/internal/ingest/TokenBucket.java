package bot.resonance.rewards.internal.ingest;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A brand's event API rate limit of {@code limit} requests per minute, as a token bucket:
 * the bucket holds up to {@code limit} tokens (so a burst of {@code limit} requests is
 * fine), every request takes one, and tokens come back at {@code limit} per minute. Two
 * numbers per brand; {@code Retry-After} is exactly when the next token arrives.
 */
public final class TokenBucket {

	private static final double NANOS_PER_MINUTE = 60e9;

	/** Tokens available at {@code updatedAt}; {@code null} for a new, full bucket. */
	private @Nullable Double tokens;

	private @Nullable Instant updatedAt;

	public TokenBucket(@Nullable Double tokens, @Nullable Instant updatedAt) {
		this.tokens = tokens;
		this.updatedAt = updatedAt;
	}

	/** Takes a token at {@code now} if there is one. */
	public boolean tryAcquire(Instant now, int limit) {
		double available = refill(now, limit);
		if (available < 1) {
			return false;
		}
		this.tokens = available - 1;
		return true;
	}

	/** Whole seconds from {@code now} until a token is available (at least 1). */
	public long retryAfterSeconds(Instant now, int limit) {
		double missing = 1 - refill(now, limit);
		if (missing <= 0) {
			return 1;
		}
		// The epsilon absorbs floating-point dust (10.0000001 seconds is 10 seconds).
		return Math.max(1, (long) Math.ceil(missing * 60 / limit - 1e-9));
	}

	private double refill(Instant now, int limit) {
		double available;
		if (this.tokens == null || this.updatedAt == null) {
			available = limit;
		}
		else {
			// In floating point: nanoseconds times the limit overflow a long after a day.
			double minutes = Math.max(0, Duration.between(this.updatedAt, now).toNanos()) / NANOS_PER_MINUTE;
			available = Math.min(limit, this.tokens + minutes * limit);
		}
		this.tokens = available;
		if (this.updatedAt == null || now.isAfter(this.updatedAt)) {
			this.updatedAt = now;
		}
		return available;
	}

	public @Nullable Double tokens() {
		return this.tokens;
	}

	public @Nullable Instant updatedAt() {
		return this.updatedAt;
	}

}
