package bot.resonance.rewards;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import bot.resonance.support.ApiResponse;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.IntegrationTestSupport;
import bot.resonance.support.Race;
import bot.resonance.support.TestBrand;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code Idempotency-Key} on the event API: same key and body, same answer; rewarded
 * once.
 */
@IntegrationTest
class EventIdempotencyIntegrationTests extends IntegrationTestSupport {

	@Test
	void aRetryWithTheSameKeyReplaysTheAnswerAndRewardsOnce() {
		TestBrand brand = brandWith(1_000, "custom_event", Map.of("amount", 40));
		String body = EventApiIntegrationTests.eventBody(brand, newUserId());
		ApiResponse first = this.client.signedEvent(brand, body, Map.of("Idempotency-Key", "order-1"));
		ApiResponse second = this.client.signedEvent(brand, body, Map.of("Idempotency-Key", "order-1"));
		assertThat(first.status()).isEqualTo(200);
		assertThat(second.status()).isEqualTo(200);
		assertThat(second.body()).isEqualTo(first.body());
		assertThat(second.header("Idempotent-Replayed")).isEqualTo("true");
		assertThat(first.header("Idempotent-Replayed")).isNull();
		assertThat(this.client.get(brand, "/v1/wallet").json().get("balance").asLong()).isEqualTo(960);
	}

	@Test
	void theSameKeyWithADifferentBodyIsRefused() {
		TestBrand brand = brandWith(1_000, "custom_event", Map.of());
		this.client.signedEvent(brand, EventApiIntegrationTests.eventBody(brand, newUserId()),
				Map.of("Idempotency-Key", "k-1"));
		ApiResponse reused = this.client.signedEvent(brand, EventApiIntegrationTests.eventBody(brand, newUserId()),
				Map.of("Idempotency-Key", "k-1"));
		assertThat(reused.status()).isEqualTo(422);
		assertThat(reused.errorCode()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
	}

	@Test
	void keysBelongToOneBrand() {
		TestBrand one = brandWith(1_000, "custom_event", Map.of());
		TestBrand two = brandWith(1_000, "custom_event", Map.of());
		String user = newUserId();
		assertThat(this.client
			.signedEvent(one, EventApiIntegrationTests.eventBody(one, user), Map.of("Idempotency-Key", "same"))
			.status()).isEqualTo(200);
		ApiResponse other = this.client.signedEvent(two, EventApiIntegrationTests.eventBody(two, user),
				Map.of("Idempotency-Key", "same"));
		assertThat(other.status()).isEqualTo(200);
		assertThat(other.header("Idempotent-Replayed")).isNull();
	}

	@Test
	void rejectionsByTheRulesAreReplayedToo() {
		TestBrand brand = brandWith(1_000, "custom_event", Map.of("cooldown_seconds", 3600));
		String user = newUserId();
		this.client.event(brand, "custom_event", user);
		String body = EventApiIntegrationTests.eventBody(brand, user);
		ApiResponse first = this.client.signedEvent(brand, body, Map.of("Idempotency-Key", "cool"));
		assertThat(first.status()).isEqualTo(429);
		ApiResponse again = this.client.signedEvent(brand, body, Map.of("Idempotency-Key", "cool"));
		assertThat(again.status()).isEqualTo(429);
		assertThat(again.body()).isEqualTo(first.body());
		assertThat(again.header("Retry-After")).isNotNull();
	}

	@Test
	void aRateLimitedRequestMayBeRetriedWithTheSameKey() {
		TestBrand brand = brandWith(1_000, "custom_event", Map.of());
		this.client.adminPatch(brand, Map.of("rate_limit_per_minute", 1));
		this.clock.freeze();
		assertThat(this.client.event(brand, "custom_event", newUserId()).status()).isEqualTo(200);
		String body = EventApiIntegrationTests.eventBody(brand, newUserId());
		assertThat(this.client.signedEvent(brand, body, Map.of("Idempotency-Key", "later")).errorCode())
			.isEqualTo("RATE_LIMITED");
		this.clock.advance(Duration.ofSeconds(60));
		ApiResponse retried = this.client.signedEvent(brand, body, Map.of("Idempotency-Key", "later"));
		assertThat(retried.status()).as(retried.toString()).isEqualTo(200);
		assertThat(retried.header("Idempotent-Replayed")).isNull();
	}

	@Test
	void concurrentRetriesWithOneKeyRewardOnceAndAllGetTheSameAnswer() {
		TestBrand brand = brandWith(1_000, "custom_event", Map.of("amount", 7));
		String body = EventApiIntegrationTests.eventBody(brand, newUserId());
		List<ApiResponse> responses = Race.run(24,
				(i) -> this.client.signedEvent(brand, body, Map.of("Idempotency-Key", "burst")));
		assertThat(responses).allSatisfy((response) -> assertThat(response.status()).isEqualTo(200));
		assertThat(responses.stream().map((r) -> r.text("event_id")).distinct()).hasSize(1);
		assertThat(this.client.get(brand, "/v1/wallet").json().get("balance").asLong()).isEqualTo(993);
	}

	@Test
	void malformedKeysAreRefused() {
		TestBrand brand = brandWith(1_000, "custom_event", Map.of());
		ApiResponse response = this.client.signedEvent(brand, EventApiIntegrationTests.eventBody(brand, newUserId()),
				Map.of("Idempotency-Key", "x".repeat(256)));
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.errorCode()).isEqualTo("INVALID_REQUEST");
	}

}
