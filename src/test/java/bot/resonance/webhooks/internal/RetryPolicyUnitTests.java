package bot.resonance.webhooks.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import bot.resonance.webhooks.WebhookProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

class RetryPolicyUnitTests {

	static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

	@Test
	void theDefaultScheduleIsFiveAttemptsThirtySecondsDoubling() {
		RetryPolicy policy = new RetryPolicy(properties(java.util.Map.of("jitter", "0")), new SplittableRandom(1));
		assertThat(policy.maxAttempts()).isEqualTo(5);
		assertThat(
				List.of(1, 2, 3, 4).stream().map((attempt) -> Duration.between(NOW, policy.next(attempt, NOW, null))))
			.containsExactly(Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(2),
					Duration.ofMinutes(4));
		assertThat(policy.next(5, NOW, null)).as("after the fifth attempt: DEAD").isNull();
	}

	@Test
	void jitterStaysWithinItsShare() {
		RetryPolicy policy = new RetryPolicy(properties(java.util.Map.of()), new SplittableRandom(7));
		for (int i = 0; i < 1_000; i++) {
			Duration wait = Duration.between(NOW, policy.next(1, NOW, null));
			assertThat(wait.toMillis()).isBetween(27_000L, 33_000L);
		}
	}

	@Test
	void retryAfterIsHonouredButNeverShortensTheWait() {
		RetryPolicy policy = new RetryPolicy(properties(java.util.Map.of("jitter", "0")), new SplittableRandom(1));
		assertThat(policy.next(1, NOW, Duration.ofMinutes(10))).isEqualTo(NOW.plus(Duration.ofMinutes(10)));
		assertThat(policy.next(1, NOW, Duration.ofSeconds(1))).isEqualTo(NOW.plusSeconds(30));
	}

	@Test
	void theScheduleIsConfigurable() {
		RetryPolicy policy = new RetryPolicy(
				properties(java.util.Map.of("jitter", "0", "retry-schedule", "5m,1h,1d,3d")), new SplittableRandom(1));
		assertThat(policy.next(4, NOW, null)).isEqualTo(NOW.plus(Duration.ofDays(3)));
		assertThat(policy.next(5, NOW, null)).isNull();
	}

	@Test
	void retryAfterHeadersAreReadAsSecondsOrDates() {
		assertThat(DeliverySender.retryAfter("120", NOW)).isEqualTo(Duration.ofSeconds(120));
		assertThat(DeliverySender.retryAfter("Mon, 23 Nov 2026 12:05:00 GMT", NOW)).isEqualTo(Duration.ofMinutes(5));
		assertThat(DeliverySender.retryAfter("9999999999", NOW)).isEqualTo(Duration.ofDays(1));
		assertThat(DeliverySender.retryAfter("soon", NOW)).isNull();
		assertThat(DeliverySender.retryAfter("-5", NOW)).isEqualTo(Duration.ZERO);
	}

	private static WebhookProperties properties(java.util.Map<String, String> values) {
		java.util.Map<String, String> prefixed = new java.util.HashMap<>();
		values.forEach((key, value) -> prefixed.put("resonance.webhooks." + key, value));
		return new Binder(new MapConfigurationPropertySource(prefixed)).bindOrCreate("resonance.webhooks",
				WebhookProperties.class);
	}

}
