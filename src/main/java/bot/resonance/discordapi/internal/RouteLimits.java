package bot.resonance.discordapi.internal;

import java.math.BigDecimal;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What this node knows of Discord's rate limits: per route (a method and path with its
 * top-level resource, as Discord counts them) until when its bucket is empty, and until
 * when the bot's global limit holds. Learned from the {@code X-RateLimit-*} headers of
 * every answer and from {@code 429}s, so the next request waits instead of being refused.
 */
public final class RouteLimits {

	private static final int MAX_ROUTES = 10_000;

	private final Pacer pacer;

	/** Route to the {@link Pacer#nanoTime()} before which it must not be called. */
	private final ConcurrentHashMap<String, Long> blockedUntil = new ConcurrentHashMap<>();

	private final AtomicLong globalUntil = new AtomicLong(Long.MIN_VALUE);

	private volatile boolean anyGlobal;

	public RouteLimits(Pacer pacer) {
		this.pacer = pacer;
	}

	/** How long a request on {@code route} must wait before it is sent (zero: none). */
	public Duration waitBefore(String route) {
		long now = this.pacer.nanoTime();
		long until = Long.MIN_VALUE;
		Long routeUntil = this.blockedUntil.get(route);
		if (routeUntil != null) {
			if (routeUntil - now <= 0) {
				this.blockedUntil.remove(route, routeUntil);
			}
			else {
				until = routeUntil;
			}
		}
		if (this.anyGlobal) {
			long global = this.globalUntil.get();
			if (global - now > 0 && (until == Long.MIN_VALUE || global - until > 0)) {
				until = global;
			}
		}
		return (until == Long.MIN_VALUE) ? Duration.ZERO : Duration.ofNanos(until - now);
	}

	/** Whether the wait {@link #waitBefore} reports is the global limit's. */
	public boolean globalHolds() {
		return this.anyGlobal && this.globalUntil.get() - this.pacer.nanoTime() > 0;
	}

	/**
	 * Learns from an answer's headers: a bucket with no requests remaining blocks the
	 * route until it resets.
	 */
	public void observe(String route, HttpHeaders headers) {
		Optional<String> remaining = headers.firstValue("X-RateLimit-Remaining");
		if (remaining.isPresent() && remaining.get().trim().equals("0")) {
			seconds(headers.firstValue("X-RateLimit-Reset-After").orElse(null))
				.ifPresent((resetAfter) -> block(route, resetAfter, false));
		}
	}

	/** Blocks a route, or every route when {@code global}, for {@code duration}. */
	public void block(String route, Duration duration, boolean global) {
		long until = this.pacer.nanoTime() + duration.toNanos();
		if (global) {
			this.globalUntil.accumulateAndGet(until, (a, b) -> (a == Long.MIN_VALUE || b - a > 0) ? b : a);
			this.anyGlobal = true;
			return;
		}
		if (this.blockedUntil.size() > MAX_ROUTES) {
			this.blockedUntil.clear();
		}
		this.blockedUntil.merge(route, until, (a, b) -> (a - b > 0) ? a : b);
	}

	/**
	 * A duration in seconds as Discord writes them ({@code 1.337}); empty if absent or
	 * not a finite, non-negative number.
	 */
	public static Optional<Duration> seconds(@org.jspecify.annotations.Nullable String value) {
		if (value == null) {
			return Optional.empty();
		}
		try {
			BigDecimal seconds = new BigDecimal(value.trim());
			if (seconds.signum() < 0) {
				return Optional.empty();
			}
			// A day is longer than any wait worth knowing exactly.
			return Optional.of(Duration.ofNanos(seconds.min(BigDecimal.valueOf(86_400)).movePointRight(9).longValue()));
		}
		catch (NumberFormatException | ArithmeticException ex) {
			return Optional.empty();
		}
	}

}
