package bot.resonance.portal.internal;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.web.server.ResponseStatusException;

/**
 * A password encoder that computes a bounded number of hashes at once. Each portal
 * password hash (Argon2id) takes tens of milliseconds of a core and 16 MiB of memory, and
 * every sign-in computes one, even for an email nobody has (so that a wrong email takes
 * as long as a wrong password). Unbounded, a burst of sign-ins could fill the heap and
 * take every core from the event API; bounded, the burst waits its turn (a request's
 * virtual thread parks while it waits) and what waits longer than {@code maxWait} is
 * refused ({@link Busy}), a page that says to try again rather than a server error.
 */
final class PasswordHashing implements PasswordEncoder {

	private final PasswordEncoder delegate;

	private final Semaphore permits;

	private final long maxWaitNanos;

	private final Timer waits;

	private final Counter refused;

	PasswordHashing(PasswordEncoder delegate, int concurrentHashes, Duration maxWait, MeterRegistry meters) {
		if (concurrentHashes < 1) {
			throw new IllegalArgumentException("At least one hash at a time");
		}
		this.delegate = delegate;
		this.permits = new Semaphore(concurrentHashes, true);
		this.maxWaitNanos = maxWait.toNanos();
		this.waits = Timer.builder("resonance.portal.password.hash.waits")
			.description("How long portal password hashes waited for their turn")
			.register(meters);
		this.refused = Counter.builder("resonance.portal.password.hashes.refused")
			.description("Portal sign-ins and password changes refused because their hash could not start in time")
			.register(meters);
	}

	/**
	 * How many hashes to compute at once when not configured: half the processors, at
	 * least one, so that sign-ins never take every core.
	 */
	static int defaultConcurrency(int processors) {
		return Math.max(1, processors / 2);
	}

	@Override
	public @Nullable String encode(@Nullable CharSequence rawPassword) {
		return hashing(() -> this.delegate.encode(rawPassword));
	}

	@Override
	public boolean matches(@Nullable CharSequence rawPassword, @Nullable String encodedPassword) {
		return hashing(() -> this.delegate.matches(rawPassword, encodedPassword));
	}

	@Override
	public boolean upgradeEncoding(@Nullable String encodedPassword) {
		return this.delegate.upgradeEncoding(encodedPassword);
	}

	private <T> T hashing(Supplier<T> hash) {
		long start = System.nanoTime();
		boolean acquired;
		try {
			acquired = this.permits.tryAcquire(this.maxWaitNanos, TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			acquired = false;
		}
		if (!acquired) {
			this.refused.increment();
			throw new Busy();
		}
		this.waits.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
		try {
			return hash.get();
		}
		finally {
			this.permits.release();
		}
	}

	/**
	 * Too many passwords were being checked at once to check this one in time: the
	 * request is answered {@code 503}, to be tried again (the sign-in form says so).
	 */
	static final class Busy extends ResponseStatusException {

		Busy() {
			super(HttpStatus.SERVICE_UNAVAILABLE,
					"Too many people are signing in at this moment; please try again in a few seconds.");
		}

	}

}
