package bot.resonance.webhooks.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.random.RandomGenerator;

import org.jspecify.annotations.Nullable;

import bot.resonance.webhooks.WebhookProperties;

/**
 * When a failed delivery is tried again: after the schedule's wait for the attempt that
 * just failed, give or take the jitter, and never sooner than the receiver's
 * {@code Retry-After}. After the last attempt there is no next one: the delivery is DEAD.
 */
public final class RetryPolicy {

	private final List<Duration> schedule;

	private final double jitter;

	private final RandomGenerator random;

	public RetryPolicy(WebhookProperties properties, RandomGenerator random) {
		this.schedule = List.copyOf(properties.retrySchedule());
		this.jitter = Math.max(0, Math.min(1, properties.jitter()));
		this.random = random;
	}

	public int maxAttempts() {
		return this.schedule.size() + 1;
	}

	/** When attempt {@code failedAttempt + 1} is due, or null if there is none. */
	public @Nullable Instant next(int failedAttempt, Instant now, @Nullable Duration retryAfter) {
		if (failedAttempt >= maxAttempts()) {
			return null;
		}
		Duration wait = this.schedule.get(failedAttempt - 1);
		long millis = wait.toMillis();
		if (this.jitter > 0 && millis > 0) {
			long spread = (long) (millis * this.jitter);
			millis += this.random.nextLong(-spread, spread + 1);
		}
		Duration scheduled = Duration.ofMillis(millis);
		if (retryAfter != null && retryAfter.compareTo(scheduled) > 0) {
			scheduled = retryAfter;
		}
		return now.plus(scheduled);
	}

}
