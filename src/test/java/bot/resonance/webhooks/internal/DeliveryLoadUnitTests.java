package bot.resonance.webhooks.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import bot.resonance.webhooks.internal.DeliveryLoad.Signal;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node's accounting of what it sends: each brand's share, and each endpoint's allowance
 * halving as it stops answering and growing back as it answers.
 */
class DeliveryLoadUnitTests {

	private static final String BRAND = "0x" + "a".repeat(40);

	private static final String OTHER_BRAND = "0x" + "b".repeat(40);

	private final AtomicLong nanos = new AtomicLong();

	private final DeliveryLoad load = new DeliveryLoad(8, 16, this.nanos::get);

	@Test
	void aBrandMayHaveItsShareInFlightAndNoMore() {
		UUID endpoint = UUID.randomUUID();
		for (int i = 0; i < 5; i++) {
			this.load.started(BRAND, endpoint);
		}
		DeliveryRepository.Room room = this.load.room();
		assertThat(room.perBrand()).isEqualTo(8);
		assertThat(room.brands()).containsExactlyEntriesOf(java.util.Map.of(BRAND, 3));
		assertThat(room.endpoints()).containsExactlyEntriesOf(java.util.Map.of(endpoint, 11));

		for (int i = 0; i < 3; i++) {
			this.load.started(BRAND, UUID.randomUUID());
		}
		assertThat(this.load.room().brands()).containsEntry(BRAND, 0);
		// Another brand is not held back by it.
		assertThat(this.load.room().brands()).doesNotContainKey(OTHER_BRAND);
	}

	@Test
	void whatFinishesIsGivenBack() {
		UUID endpoint = UUID.randomUUID();
		this.load.started(BRAND, endpoint);
		this.load.started(BRAND, endpoint);
		this.load.finished(BRAND, endpoint, Signal.ANSWERED);
		assertThat(this.load.inFlight(BRAND)).isEqualTo(1);
		this.load.finished(BRAND, endpoint, Signal.NONE);
		assertThat(this.load.inFlight(BRAND)).isZero();
		// Nothing in flight and nothing held against them: nothing to tell the claim.
		assertThat(this.load.room().brands()).isEmpty();
		assertThat(this.load.room().endpoints()).isEmpty();
	}

	@Test
	void anEndpointThatStopsAnsweringIsHalvedDownToOne() {
		UUID endpoint = UUID.randomUUID();
		for (int i = 0; i < 16; i++) {
			this.load.started(BRAND, endpoint);
		}
		int[] expected = { 8, 4, 2, 1, 1 };
		for (int allowed : expected) {
			this.load.finished(BRAND, endpoint, Signal.UNRESPONSIVE);
			assertThat(this.load.allowed(endpoint)).isEqualTo(allowed);
		}
		// 11 still in flight, one allowed: no room until they are done.
		assertThat(this.load.room().endpoints()).containsEntry(endpoint, 0);
		for (int i = 0; i < 11; i++) {
			this.load.finished(BRAND, endpoint, Signal.UNRESPONSIVE);
		}
		assertThat(this.load.room().endpoints()).containsEntry(endpoint, 1);
		// Other endpoints keep the full allowance.
		assertThat(this.load.allowed(UUID.randomUUID())).isEqualTo(16);
		// Its waiting deliveries say nothing about how fast the node sends.
		assertThat(this.load.answersWell(endpoint)).isFalse();
		assertThat(this.load.answersWell(UUID.randomUUID())).isTrue();
	}

	/**
	 * Only endpoints that answer fast count when the node tells how far behind it is: a
	 * slow one holds its own deliveries back.
	 */
	@Test
	void anEndpointAnswersWellWhileItAnswersFast() {
		UUID fast = UUID.randomUUID();
		UUID slow = UUID.randomUUID();
		for (int i = 0; i < 50; i++) {
			this.load.started(BRAND, fast);
			this.load.finished(BRAND, fast, Signal.ANSWERED, 20);
			this.load.started(BRAND, slow);
			this.load.finished(BRAND, slow, Signal.ANSWERED, 3_000);
		}
		assertThat(this.load.answersWell(fast)).isTrue();
		assertThat(this.load.answersWell(slow)).isFalse();
		for (int i = 0; i < 100; i++) {
			this.load.started(BRAND, slow);
			this.load.finished(BRAND, slow, Signal.ANSWERED, 10);
		}
		assertThat(this.load.answersWell(slow)).as("fast again").isTrue();
	}

	@Test
	void answersGrowItBackOneAtATime() {
		UUID endpoint = UUID.randomUUID();
		this.load.started(BRAND, endpoint);
		this.load.started(BRAND, endpoint);
		this.load.finished(BRAND, endpoint, Signal.UNRESPONSIVE);
		this.load.finished(BRAND, endpoint, Signal.UNRESPONSIVE);
		assertThat(this.load.allowed(endpoint)).isEqualTo(4);
		for (int allowed = 5; allowed <= 16; allowed++) {
			this.load.started(BRAND, endpoint);
			this.load.finished(BRAND, endpoint, Signal.ANSWERED);
			assertThat(this.load.allowed(endpoint)).isEqualTo(allowed);
		}
		this.load.started(BRAND, endpoint);
		this.load.finished(BRAND, endpoint, Signal.ANSWERED);
		assertThat(this.load.allowed(endpoint)).isEqualTo(16);
		// Back to full: forgotten.
		assertThat(this.load.room().endpoints()).isEmpty();
	}

	@Test
	void aReducedAllowanceOutlastsRetriesButNotForever() {
		UUID endpoint = UUID.randomUUID();
		this.load.started(BRAND, endpoint);
		this.load.finished(BRAND, endpoint, Signal.UNRESPONSIVE);
		// Between retries it has nothing in flight, but is still held to 8.
		this.nanos.addAndGet(Duration.ofMinutes(4).toNanos());
		assertThat(this.load.room().endpoints()).containsEntry(endpoint, 8);
		this.nanos.addAndGet(DeliveryLoad.FORGET_AFTER.toNanos());
		assertThat(this.load.room().endpoints()).isEmpty();
		assertThat(this.load.allowed(endpoint)).isEqualTo(16);
	}

	@Test
	void timeoutsAndOverloadShrinkAnswersGrowWhatWasNotSentChangesNothing() {
		Instant now = Instant.now();
		assertThat(DeliveryWorker.signal(DeliverySender.Attempt.timedOut(now, 15_000, "No answer within 15 s.")))
			.isEqualTo(Signal.UNRESPONSIVE);
		assertThat(DeliveryWorker.signal(DeliverySender.Attempt.unreachable(now, 3, "Connection refused.")))
			.isEqualTo(Signal.UNRESPONSIVE);
		assertThat(DeliveryWorker.signal(answer(DeliverySender.Outcome.FAILED, 429))).isEqualTo(Signal.UNRESPONSIVE);
		assertThat(DeliveryWorker.signal(answer(DeliverySender.Outcome.FAILED, 503))).isEqualTo(Signal.UNRESPONSIVE);
		assertThat(DeliveryWorker.signal(answer(DeliverySender.Outcome.SUCCEEDED, 200))).isEqualTo(Signal.ANSWERED);
		assertThat(DeliveryWorker.signal(answer(DeliverySender.Outcome.FAILED, 500))).isEqualTo(Signal.ANSWERED);
		assertThat(DeliveryWorker.signal(answer(DeliverySender.Outcome.GONE, 410))).isEqualTo(Signal.ANSWERED);
		assertThat(DeliveryWorker.signal(DeliverySender.Attempt.failed(now, 0, "Not sent: a private address.")))
			.isEqualTo(Signal.NONE);
	}

	private static DeliverySender.Attempt answer(DeliverySender.Outcome outcome, int status) {
		return new DeliverySender.Attempt(outcome, Instant.now(), 5, status, null, "", null);
	}

}
