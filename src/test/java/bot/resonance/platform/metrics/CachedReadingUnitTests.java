package bot.resonance.platform.metrics;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A cached reading is read at most once per interval, again once it is older, and keeps
 * its last value when a read fails.
 */
class CachedReadingUnitTests {

	private final AtomicLong nanos = new AtomicLong(1_000);

	private final AtomicInteger reads = new AtomicInteger();

	private volatile boolean failing;

	private final CachedReading<Integer> reading = new CachedReading<>("a test value", -1, () -> {
		if (this.failing) {
			throw new IllegalStateException("the database is away");
		}
		return this.reads.incrementAndGet();
	}, Duration.ofSeconds(5), this.nanos::get);

	@Test
	void readsOncePerIntervalHoweverOftenItIsAsked() {
		assertThat(this.reading.get()).isEqualTo(1);
		advance(Duration.ofMillis(4_999));
		assertThat(this.reading.get()).isEqualTo(1);
		assertThat(this.reading.get()).isEqualTo(1);
		advance(Duration.ofMillis(1));
		assertThat(this.reading.get()).isEqualTo(2);
		assertThat(this.reads).hasValue(2);
	}

	@Test
	void aFailedReadKeepsTheLastValueUntilTheNextInterval() {
		this.failing = true;
		assertThat(this.reading.get()).as("nothing read yet").isEqualTo(-1);
		this.failing = false;
		assertThat(this.reading.get()).as("the failure counts as this interval's read").isEqualTo(-1);
		advance(Duration.ofSeconds(5));
		assertThat(this.reading.get()).isEqualTo(1);
		this.failing = true;
		advance(Duration.ofSeconds(5));
		assertThat(this.reading.get()).isEqualTo(1);
		this.failing = false;
		advance(Duration.ofSeconds(5));
		assertThat(this.reading.get()).isEqualTo(2);
	}

	private void advance(Duration duration) {
		this.nanos.addAndGet(duration.toNanos());
	}

}
