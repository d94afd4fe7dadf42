package bot.resonance.rewards.internal.ingest;

import bot.resonance.rewards.Submission;
import bot.resonance.rewards.RejectionCode;
import bot.resonance.rewards.IngestOutcome;
import bot.resonance.rewards.EventRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import bot.resonance.brands.Brand;
import bot.resonance.platform.load.DeliveryLag;
import bot.resonance.rewards.internal.ingest.RewardsProperties;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.SimpleTransactionStatus;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pipeline's queueing: one brand's burst cannot fill a lane that other brands share.
 */
class IngestPipelineUnitTests {

	private final CountDownLatch entered = new CountDownLatch(1);

	private final CountDownLatch gate = new CountDownLatch(1);

	private final BlockingProcessor processor = new BlockingProcessor();

	private final IngestPipeline pipeline = new IngestPipeline(this.processor, null, new NoTransactions(),
			new RewardsProperties(1, 1, 100, 3, DataSize.ofKilobytes(64), Duration.ofSeconds(5), Duration.ofSeconds(15),
					Duration.ofMinutes(5), 500, 2, Duration.ofSeconds(1), Duration.ofMillis(250)),
			new SimpleMeterRegistry(), new DeliveryLag());

	@AfterEach
	void stop() {
		this.gate.countDown();
		this.pipeline.stop();
	}

	@Test
	void aBrandMayOnlyHaveSoManyEventsWaiting() throws Exception {
		this.pipeline.start();
		List<CompletableFuture<IngestOutcome>> admitted = new ArrayList<>();
		admitted.add(this.pipeline.submit(event("brand-a", 1)));
		assertThat(this.entered.await(5, TimeUnit.SECONDS)).isTrue(); // the lane is busy
		admitted.add(this.pipeline.submit(event("brand-a", 2)));
		admitted.add(this.pipeline.submit(event("brand-a", 3)));

		CompletableFuture<IngestOutcome> refused = this.pipeline.submit(event("brand-a", 4));
		assertThat(refused).isDone();
		assertThat(refused.get()).isInstanceOfSatisfying(IngestOutcome.Rejected.class, (rejected) -> {
			assertThat(rejected.code()).isEqualTo(RejectionCode.RATE_LIMITED);
			assertThat(rejected.eventId()).as("not recorded").isNull();
			assertThat(rejected.retryAfterSeconds()).isEqualTo(1L);
		});

		CompletableFuture<IngestOutcome> other = this.pipeline.submit(event("brand-b", 1));
		assertThat(other).isNotDone();

		this.gate.countDown();
		for (CompletableFuture<IngestOutcome> future : admitted) {
			assertThat(future.get(5, TimeUnit.SECONDS)).isInstanceOf(IngestOutcome.Awarded.class);
		}
		assertThat(other.get(5, TimeUnit.SECONDS)).isInstanceOf(IngestOutcome.Awarded.class);
		assertThat(this.pipeline.submit(event("brand-a", 5)).get(5, TimeUnit.SECONDS))
			.as("answered events no longer count")
			.isInstanceOf(IngestOutcome.Awarded.class);
	}

	@Test
	void aStoppedPipelineAnswersAtOnce() throws Exception {
		this.gate.countDown();
		this.pipeline.start();
		this.pipeline.stop();
		assertThat(this.pipeline.submit(event("brand-a", 1)).get(1, TimeUnit.SECONDS))
			.isInstanceOf(IngestOutcome.Unavailable.class);
	}

	/**
	 * A lane starts its next batch while the one before commits, not after: the commit (a
	 * WAL flush) overlaps the next batch's start. The next batch is taken only once the
	 * one before has written everything, so it holds what queued meanwhile and locks
	 * after it.
	 */
	@Test
	void aLaneStartsItsNextBatchWhileTheOneBeforeCommits() throws Exception {
		CountDownLatch processing = new CountDownLatch(1);
		CountDownLatch moreQueued = new CountDownLatch(1);
		CountDownLatch commitMayEnd = new CountDownLatch(1);
		List<String> order = new CopyOnWriteArrayList<>();
		ThreadLocal<String> batchOfThread = new ThreadLocal<>();
		IngestBatchProcessor recording = new IngestBatchProcessor(null, null, null, null, null, null, null, null,
				null) {
			@Override
			List<IngestOutcome> process(List<Submission> batch, BatchPhases.Laps laps) {
				String processed = "process " + batch.stream().map((s) -> ((Submission.NewEvent) s).eventId()).toList();
				order.add(processed);
				batchOfThread.set(processed);
				processing.countDown();
				try {
					moreQueued.await(5, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				return awardAll(batch);
			}
		};
		PlatformTransactionManager slowCommits = new NoTransactions() {
			@Override
			public void commit(TransactionStatus status) {
				if ("process [evt_brand-a_1]".equals(batchOfThread.get())) {
					order.add("first commit begins");
					try {
						commitMayEnd.await(5, TimeUnit.SECONDS);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
					order.add("first commit ends");
				}
			}
		};
		IngestPipeline pipelined = new IngestPipeline(recording, null, slowCommits,
				new RewardsProperties(1, 10, 100, 100, DataSize.ofKilobytes(64), Duration.ofSeconds(5),
						Duration.ofSeconds(15), Duration.ofMinutes(5), 500, 2, Duration.ofSeconds(1),
						Duration.ofMillis(250)),
				new SimpleMeterRegistry(), new DeliveryLag());
		pipelined.start();
		try {
			CompletableFuture<IngestOutcome> first = pipelined.submit(event("brand-a", 1));
			assertThat(processing.await(5, TimeUnit.SECONDS)).isTrue();
			CompletableFuture<IngestOutcome> second = pipelined.submit(event("brand-a", 2));
			CompletableFuture<IngestOutcome> third = pipelined.submit(event("brand-a", 3));
			moreQueued.countDown();
			Awaitility.await()
				.atMost(Duration.ofSeconds(5))
				.until(() -> order.contains("process [evt_brand-a_2, evt_brand-a_3]"));
			assertThat(first).as("answered after its commit only").isNotDone();
			commitMayEnd.countDown();
			assertThat(first.get(5, TimeUnit.SECONDS)).isInstanceOf(IngestOutcome.Awarded.class);
			assertThat(second.get(5, TimeUnit.SECONDS)).isInstanceOf(IngestOutcome.Awarded.class);
			assertThat(third.get(5, TimeUnit.SECONDS)).isInstanceOf(IngestOutcome.Awarded.class);
			assertThat(order).containsExactlyInAnyOrder("process [evt_brand-a_1]", "first commit begins",
					"process [evt_brand-a_2, evt_brand-a_3]", "first commit ends");
			assertThat(order.getFirst()).isEqualTo("process [evt_brand-a_1]");
			assertThat(order.indexOf("process [evt_brand-a_2, evt_brand-a_3]"))
				.as("the next batch ran during the first one's commit")
				.isLessThan(order.indexOf("first commit ends"));
		}
		finally {
			commitMayEnd.countDown();
			pipelined.stop();
		}
	}

	/**
	 * A batch's phases are timed as the processor ends them, the commit by the pipeline
	 * once its transaction committed; together they are the batch's duration (no phase
	 * counted twice, none outside the batch).
	 */
	@Test
	void aBatchsPhasesAreTimedAndAddUpToItsDuration() throws Exception {
		IngestBatchProcessor phased = new IngestBatchProcessor(null, null, null, null, null, null, null, null, null) {
			@Override
			List<IngestOutcome> process(List<Submission> batch, BatchPhases.Laps laps) {
				for (BatchPhases.Phase phase : BatchPhases.Phase.values()) {
					if (phase == BatchPhases.Phase.POST) {
						sleep(40);
					}
					if (phase != BatchPhases.Phase.COMMIT) {
						laps.end(phase);
					}
				}
				return awardAll(batch);
			}
		};
		PlatformTransactionManager slowCommits = new NoTransactions() {
			@Override
			public void commit(TransactionStatus status) {
				sleep(60);
			}
		};
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		IngestPipeline pipeline = new IngestPipeline(phased, null, slowCommits,
				new RewardsProperties(1, 10, 100, 100, DataSize.ofKilobytes(64), Duration.ofSeconds(5),
						Duration.ofSeconds(15), Duration.ofMinutes(5), 500, 1, Duration.ofSeconds(1),
						Duration.ofMillis(250)),
				meters, new DeliveryLag());
		pipeline.start();
		try {
			assertThat(pipeline.submit(event("brand-a", 1)).get(5, TimeUnit.SECONDS))
				.isInstanceOf(IngestOutcome.Awarded.class);
			assertThat(pipeline.submit(event("brand-a", 2)).get(5, TimeUnit.SECONDS))
				.isInstanceOf(IngestOutcome.Awarded.class);
		}
		finally {
			pipeline.stop();
		}
		double phasesTotal = 0;
		for (BatchPhases.Phase phase : BatchPhases.Phase.values()) {
			Timer timer = meters.get("resonance.ingest.batch.phase")
				.tag("phase", phase.name().toLowerCase(Locale.ROOT))
				.timer();
			assertThat(timer.count()).as(phase.name()).isEqualTo(2);
			phasesTotal += timer.totalTime(TimeUnit.MILLISECONDS);
		}
		assertThat(phaseTime(meters, "post")).as("the processor's phase").isGreaterThanOrEqualTo(80);
		assertThat(phaseTime(meters, "commit")).as("the transaction's commit").isGreaterThanOrEqualTo(120);
		assertThat(phaseTime(meters, "record")).as("a phase ended right after another").isLessThan(80);
		Timer batches = meters.get("resonance.ingest.batch.duration").timer();
		assertThat(batches.count()).isEqualTo(2);
		assertThat(phasesTotal).isLessThanOrEqualTo(batches.totalTime(TimeUnit.MILLISECONDS))
			.isGreaterThan(batches.totalTime(TimeUnit.MILLISECONDS) - 20);
	}

	/** Each event of {@code batch} awarded. */
	private static List<IngestOutcome> awardAll(List<Submission> batch) {
		return batch.stream()
			.map((s) -> (IngestOutcome) new IngestOutcome.Awarded(((Submission.NewEvent) s).eventId(), "1", 1, 1,
					"POINTS"))
			.toList();
	}

	private static double phaseTime(MeterRegistry meters, String phase) {
		return meters.get("resonance.ingest.batch.phase").tag("phase", phase).timer().totalTime(TimeUnit.MILLISECONDS);
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** Deliveries hold batches back once they are further behind than the setting. */
	@Test
	void deliveriesFurtherBehindThanTheSettingHoldBatchesBack() {
		RewardsProperties properties = new RewardsProperties(1, 10, 100, 100, DataSize.ofKilobytes(64),
				Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofMinutes(5), 500, 2, Duration.ofSeconds(1),
				Duration.ofSeconds(1));
		assertThat(properties.yieldsTo(Duration.ZERO)).isFalse();
		assertThat(properties.yieldsTo(Duration.ofMillis(1000))).isFalse();
		assertThat(properties.yieldsTo(Duration.ofMillis(1001))).isTrue();
		RewardsProperties never = new RewardsProperties(1, 10, 100, 100, DataSize.ofKilobytes(64),
				Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofMinutes(5), 500, 2, Duration.ZERO,
				Duration.ofSeconds(1));
		assertThat(never.yieldsTo(Duration.ofSeconds(30))).isFalse();
	}

	/**
	 * While a brand's deliveries are behind, its new events are held back (and counted in
	 * a metric), in the order they came, until the deliveries caught up; other brands'
	 * events go on. An event is held at most {@code max-yield}.
	 */
	@Test
	void aBrandsEventsWaitWhileItsDeliveriesAreBehind() throws Exception {
		this.gate.countDown();
		DeliveryLag lag = new DeliveryLag();
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		IngestPipeline yielding = yieldingAtMost(Duration.ofSeconds(30), meters, lag);
		yielding.start();
		try {
			lag.report("brand-a", Duration.ofSeconds(3));
			CompletableFuture<IngestOutcome> first = yielding.submit(event("brand-a", 1));
			CompletableFuture<IngestOutcome> second = yielding.submit(event("brand-a", 2));
			assertThat(yielding.submit(event("brand-b", 1)).get(5, TimeUnit.SECONDS))
				.as("another brand's event goes on")
				.isInstanceOf(IngestOutcome.Awarded.class);
			assertThat(first).isNotDone();
			assertThat(second).isNotDone();
			assertThat(meters.timer("resonance.ingest.yields").count()).isZero();

			lag.report("brand-a", Duration.ZERO);
			assertThat(first.get(5, TimeUnit.SECONDS)).isInstanceOf(IngestOutcome.Awarded.class);
			assertThat(second.get(5, TimeUnit.SECONDS)).isInstanceOf(IngestOutcome.Awarded.class);
			assertThat(meters.timer("resonance.ingest.yields").count()).isEqualTo(2);
			assertThat(this.processor.processed).containsSubsequence("evt_brand-a_1", "evt_brand-a_2");
		}
		finally {
			yielding.stop();
		}
	}

	/**
	 * An event is held back at most max-yield, and a stopping pipeline answers held ones.
	 */
	@Test
	void heldEventsGoOnAfterMaxYieldAndAreAnsweredOnStop() throws Exception {
		this.gate.countDown();
		DeliveryLag lag = new DeliveryLag();
		IngestPipeline yielding = yieldingAtMost(Duration.ofMillis(100), new SimpleMeterRegistry(), lag);
		yielding.start();
		lag.report("brand-a", Duration.ofSeconds(3));
		assertThat(yielding.submit(event("brand-a", 1)).get(5, TimeUnit.SECONDS))
			.as("processed after max-yield although still behind")
			.isInstanceOf(IngestOutcome.Awarded.class);

		IngestPipeline stopping = yieldingAtMost(Duration.ofSeconds(30), new SimpleMeterRegistry(), lag);
		stopping.start();
		CompletableFuture<IngestOutcome> held = stopping.submit(event("brand-a", 2));
		assertThat(held).isNotDone();
		stopping.stop();
		yielding.stop();
		assertThat(held.get(5, TimeUnit.SECONDS)).isInstanceOf(IngestOutcome.Unavailable.class);
	}

	/**
	 * A stopped pipeline starts again (a paused application context does: Spring's test
	 * contexts are paused while other tests run), and holds and releases events as
	 * before.
	 */
	@Test
	void aPipelineStartedAgainHoldsAndReleasesEvents() throws Exception {
		this.gate.countDown();
		DeliveryLag lag = new DeliveryLag();
		IngestPipeline restarted = yieldingAtMost(Duration.ofSeconds(30), new SimpleMeterRegistry(), lag);
		restarted.start();
		restarted.stop();
		restarted.start();
		try {
			lag.report("brand-a", Duration.ofSeconds(3));
			CompletableFuture<IngestOutcome> held = restarted.submit(event("brand-a", 1));
			assertThat(held).isNotDone();
			lag.report("brand-a", Duration.ZERO);
			assertThat(held.get(5, TimeUnit.SECONDS)).isInstanceOf(IngestOutcome.Awarded.class);
			assertThat(restarted.submit(event("brand-b", 1)).get(5, TimeUnit.SECONDS))
				.isInstanceOf(IngestOutcome.Awarded.class);
		}
		finally {
			restarted.stop();
		}
	}

	/** A pipeline that holds a brand's events back at most {@code maxYield}. */
	private IngestPipeline yieldingAtMost(Duration maxYield, MeterRegistry meters, DeliveryLag lag) {
		return new IngestPipeline(this.processor, null, new NoTransactions(),
				new RewardsProperties(1, 10, 100, 100, DataSize.ofKilobytes(64), Duration.ofSeconds(5),
						Duration.ofSeconds(15), Duration.ofMinutes(5), 500, 1, Duration.ofSeconds(1), maxYield),
				meters, lag);
	}

	private static Submission.NewEvent event(String brandId, int n) {
		Brand brand = new Brand(brandId, "Brand", 1000, null, false, "POINTS", Instant.EPOCH, Instant.EPOCH);
		return new Submission.NewEvent("evt_" + brandId + "_" + n, brand,
				new EventRequest("custom_event", "1", "2", 1L, null, null), null, new byte[32], Instant.EPOCH, "api");
	}

	/** Awards everything, once the gate opens. */
	private final class BlockingProcessor extends IngestBatchProcessor {

		BlockingProcessor() {
			super(null, null, null, null, null, null, null, null, null);
		}

		final List<String> processed = new CopyOnWriteArrayList<>();

		@Override
		List<IngestOutcome> process(List<Submission> batch, BatchPhases.Laps laps) {
			batch.forEach((s) -> this.processed.add(((Submission.NewEvent) s).eventId()));
			IngestPipelineUnitTests.this.entered.countDown();
			try {
				IngestPipelineUnitTests.this.gate.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return awardAll(batch);
		}

	}

	private static class NoTransactions implements PlatformTransactionManager {

		@Override
		public TransactionStatus getTransaction(TransactionDefinition definition) {
			return new SimpleTransactionStatus();
		}

		@Override
		public void commit(TransactionStatus status) {
		}

		@Override
		public void rollback(TransactionStatus status) {
		}

	}

}
