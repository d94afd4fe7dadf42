package bot.resonance.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock for tests: it follows real time plus an offset that tests can only move
 * forward, or stands still at a chosen instant. Time never goes backwards, so state
 * written under an earlier setting (cooldowns, ULIDs) stays consistent across tests
 * sharing the clock.
 */
public final class MutableClock extends Clock {

	private Duration offset = Duration.ZERO;

	private Instant frozen;

	@Override
	public ZoneId getZone() {
		return ZoneOffset.UTC;
	}

	@Override
	public Clock withZone(ZoneId zone) {
		throw new UnsupportedOperationException();
	}

	@Override
	public synchronized Instant instant() {
		Instant now = (this.frozen != null) ? this.frozen : Instant.now().plus(this.offset);
		return now.minusNanos(now.getNano() % 1_000);
	}

	/** Moves time forward. */
	public synchronized void advance(Duration duration) {
		if (duration.isNegative()) {
			throw new IllegalArgumentException("Time only moves forward");
		}
		if (this.frozen != null) {
			this.frozen = this.frozen.plus(duration);
		}
		else {
			this.offset = this.offset.plus(duration);
		}
	}

	/** Stops time at {@code instant}, which must not be in this clock's past. */
	public synchronized void freezeAt(Instant instant) {
		if (instant.isBefore(instant())) {
			throw new IllegalArgumentException(instant + " is in this clock's past (" + instant() + ")");
		}
		this.frozen = instant;
	}

	/** Stops time where it is now. */
	public synchronized Instant freeze() {
		this.frozen = instant();
		return this.frozen;
	}

	/** Lets time flow again from where it stands. */
	public synchronized void resume() {
		if (this.frozen != null) {
			Duration ahead = Duration.between(Instant.now(), this.frozen);
			this.offset = ahead.isNegative() ? this.offset : ahead;
			this.frozen = null;
		}
	}

}
