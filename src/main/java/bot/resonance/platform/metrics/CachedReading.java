package bot.resonance.platform.metrics;

import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A value that gauges read from the database: read again at most once per interval
 * however often the metrics are scraped (and by however many gauges), so a scrape costs
 * the database at most one query every few seconds. A read that fails keeps the last
 * value (logged at DEBUG) until the next interval.
 *
 * @param <T> what one read returns
 */
public final class CachedReading<T> {

	private static final Logger log = LoggerFactory.getLogger(CachedReading.class);

	/** How long a reading of the gauges' queries is kept. */
	public static final Duration INTERVAL = Duration.ofSeconds(5);

	private final String what;

	private final Supplier<T> read;

	private final long intervalNanos;

	private final LongSupplier nanoTime;

	private volatile T value;

	private volatile long takenAtNanos;

	private volatile boolean taken;

	/**
	 * @param what what is read, for the log when a read fails
	 * @param initial the value before the first read succeeds
	 * @param read the query
	 */
	public CachedReading(String what, T initial, Supplier<T> read) {
		this(what, initial, read, INTERVAL, System::nanoTime);
	}

	CachedReading(String what, T initial, Supplier<T> read, Duration interval, LongSupplier nanoTime) {
		this.what = what;
		this.value = initial;
		this.read = read;
		this.intervalNanos = interval.toNanos();
		this.nanoTime = nanoTime;
	}

	/** The last reading, read again first if it is older than the interval. */
	public T get() {
		if (fresh()) {
			return this.value;
		}
		synchronized (this) {
			if (fresh()) {
				return this.value;
			}
			try {
				this.value = this.read.get();
			}
			catch (RuntimeException ex) {
				log.debug("Could not measure {}", this.what, ex);
			}
			this.takenAtNanos = this.nanoTime.getAsLong();
			this.taken = true;
			return this.value;
		}
	}

	private boolean fresh() {
		return this.taken && this.nanoTime.getAsLong() - this.takenAtNanos < this.intervalNanos;
	}

}
