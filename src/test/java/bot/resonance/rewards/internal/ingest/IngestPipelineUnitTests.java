package bot.resonance.rewards.internal.ingest;

import bot.resonance.rewards.Submission;
import bot.resonance.rewards.RejectionCode;
import bot.resonance.rewards.IngestOutcome;
import bot.resonance.rewards.EventRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import bot.resonance.brands.Brand;
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

	private final IngestPipeline pipeline = new IngestPipeline(
			this.processor, null, new NoTransactions(), new RewardsProperties(1, 1, 100, 3, DataSize.ofKilobytes(64),
					Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofMinutes(5), 500),
			new SimpleMeterRegistry());

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

		@Override
		List<IngestOutcome> process(List<Submission> batch) {
			IngestPipelineUnitTests.this.entered.countDown();
			try {
				IngestPipelineUnitTests.this.gate.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return batch.stream()
				.map((s) -> (IngestOutcome) new IngestOutcome.Awarded(((Submission.NewEvent) s).eventId(), "1", 1, 1,
						"POINTS"))
				.toList();
		}

	}

	private static final class NoTransactions implements PlatformTransactionManager {

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
