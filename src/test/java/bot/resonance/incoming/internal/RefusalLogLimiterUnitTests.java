package bot.resonance.incoming.internal;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RefusalLogLimiterUnitTests {

	@Test
	void eachHookLogsUpToTheLimitPerMinute() {
		RefusalLogLimiter limiter = new RefusalLogLimiter(3);
		Instant now = Instant.parse("2026-11-23T12:00:00Z");
		assertThat(limiter.admit("a", now)).isTrue();
		assertThat(limiter.admit("a", now.plusSeconds(10))).isTrue();
		assertThat(limiter.admit("a", now.plusSeconds(20))).isTrue();
		assertThat(limiter.admit("a", now.plusSeconds(30))).isFalse();
		assertThat(limiter.admit("b", now.plusSeconds(30))).as("another hook").isTrue();
		assertThat(limiter.admit("a", now.plusSeconds(59))).isFalse();
		assertThat(limiter.admit("a", now.plusSeconds(60))).as("a new minute").isTrue();
		assertThat(limiter.admit("a", now.minusSeconds(5))).as("a clock set back starts over").isTrue();
	}

}
