package bot.resonance.platform;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import bot.resonance.platform.ids.MonotonicUlidGenerator;

import static org.assertj.core.api.Assertions.assertThat;

class MonotonicUlidGeneratorUnitTests {

	@Test
	void encodesTheTimestampInTheFirstTenCharacters() {
		Clock clock = Clock.fixed(Instant.ofEpochMilli(1469918176385L), ZoneOffset.UTC);
		String ulid = new MonotonicUlidGenerator(clock, new Random(1)).ulid();
		// The ULID spec's example timestamp.
		assertThat(ulid).hasSize(26).startsWith("01ARYZ6S41").matches("[0-9A-HJKMNP-TV-Z]{26}");
	}

	@Test
	void idsIncreaseStrictlyWithinOneMillisecondAndWhenTheClockGoesBack() {
		MutableClockStub clock = new MutableClockStub(Instant.parse("2026-11-23T10:00:00Z"));
		MonotonicUlidGenerator generator = new MonotonicUlidGenerator(clock, new Random(7));
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 10_000; i++) {
			if (i == 5_000) {
				clock.now = clock.now.minusSeconds(5);
			}
			ids.add(generator.ulid());
		}
		assertThat(ids).isSorted();
		assertThat(new HashSet<>(ids)).hasSize(ids.size());
	}

	static final class MutableClockStub extends Clock {

		Instant now;

		MutableClockStub(Instant now) {
			this.now = now;
		}

		@Override
		public java.time.ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.now;
		}

	}

}
