package bot.resonance.rewards.internal.ingest;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TokenBucketUnitTests {

	static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

	@Test
	void aNewBucketAllowsABurstOfTheLimitThenOneRequestPerInterval() {
		TokenBucket bucket = new TokenBucket(null, null);
		for (int i = 0; i < 60; i++) {
			assertThat(bucket.tryAcquire(T0, 60)).isTrue();
		}
		assertThat(bucket.tryAcquire(T0, 60)).isFalse();
		assertThat(bucket.retryAfterSeconds(T0, 60)).isEqualTo(1);
		assertThat(bucket.tryAcquire(T0.plusMillis(999), 60)).isFalse();
		assertThat(bucket.tryAcquire(T0.plusSeconds(1), 60)).isTrue();
		assertThat(bucket.tryAcquire(T0.plusSeconds(1), 60)).isFalse();
	}

	@Test
	void retryAfterIsWhenTheNextTokenArrives() {
		TokenBucket bucket = new TokenBucket(0.0, T0);
		// 2 per minute: a token every 30 seconds.
		assertThat(bucket.retryAfterSeconds(T0, 2)).isEqualTo(30);
		assertThat(bucket.retryAfterSeconds(T0.plusSeconds(20), 2)).isEqualTo(10);
		assertThat(bucket.tryAcquire(T0.plusSeconds(30), 2)).isTrue();
	}

	@Test
	void sustainedRateNeverExceedsTheLimitPlusTheBurst() {
		TokenBucket bucket = new TokenBucket(null, null);
		int allowed = 0;
		// Ten minutes of a request every 10 ms.
		for (int i = 0; i < 60_000; i++) {
			if (bucket.tryAcquire(T0.plusMillis(i * 10L), 60)) {
				allowed++;
			}
		}
		assertThat(allowed).isBetween(60 * 10, 60 * 10 + 60);
	}

	@Test
	void theBucketNeverHoldsMoreThanTheLimit() {
		TokenBucket bucket = new TokenBucket(5.0, T0);
		assertThat(bucket.tryAcquire(T0.plusSeconds(3600), 10)).isTrue();
		assertThat(bucket.tokens()).isEqualTo(9.0);
	}

	@Test
	void aBucketIdleForMonthsIsSimplyFull() {
		TokenBucket bucket = new TokenBucket(0.0, T0);
		Instant later = T0.plus(java.time.Duration.ofDays(400));
		assertThat(bucket.tryAcquire(later, 1_000_000)).isTrue();
		assertThat(bucket.tokens()).isEqualTo(999_999.0);
	}

	@Test
	void aClockThatStepsBackDoesNotMintTokens() {
		TokenBucket bucket = new TokenBucket(0.0, T0);
		assertThat(bucket.tryAcquire(T0.minusSeconds(60), 60)).isFalse();
		assertThat(bucket.tryAcquire(T0, 60)).isFalse();
	}

}
