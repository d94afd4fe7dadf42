package bot.resonance.rewards.internal.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import bot.resonance.platform.jobs.Job;
import bot.resonance.platform.jobs.JobHandler;
import bot.resonance.platform.jobs.JobQueue;
import bot.resonance.platform.jobs.Jobs;
import bot.resonance.rewards.IngestOutcome;
import bot.resonance.rewards.Submission;
import bot.resonance.rewards.internal.ingest.IngestPipeline;
import bot.resonance.rewards.internal.ingest.PendingEventQueue;
import bot.resonance.platform.logging.Failures;
import org.springframework.stereotype.Component;

/**
 * Processes pending events when their time comes (after 00:00 UTC for daily limits): the
 * handler of their jobs ({@link PendingEventQueue}). A node claims a batch of due events
 * and submits them to the ingest pipeline, whose batch takes each event's job off the
 * queue in the same transaction that rewards it, so each is processed exactly once; if
 * the node dies halfway, the claim lapses and another node takes over what is left.
 */
@Component
public class PendingEvents implements JobHandler {

	private static final Logger log = LoggerFactory.getLogger(PendingEvents.class);

	private final IngestPipeline pipeline;

	private final RewardsProperties properties;

	private final Jobs jobs;

	PendingEvents(IngestPipeline pipeline, RewardsProperties properties, Jobs jobs) {
		this.pipeline = pipeline;
		this.properties = properties;
		this.jobs = jobs;
	}

	/**
	 * Outside a transaction (the pipeline's batches are theirs), a batch at a time, held
	 * for {@code pending-claim-timeout}. A job is never given up: a pending event waits
	 * until it can be processed.
	 */
	@Override
	public JobQueue queue() {
		return JobQueue.named(PendingEventQueue.QUEUE)
			.nonTransactional()
			.withBatchSize(this.properties.pendingBatchSize())
			.withLease(this.properties.pendingClaimTimeout())
			.withPollInterval(this.properties.pendingPollInterval())
			.withMaxAttempts(Integer.MAX_VALUE);
	}

	@Override
	public void handle(Job job) {
		handleAll(List.of(job));
	}

	/**
	 * Submits the events and waits for them; throws if any was not processed (shutting
	 * down, or stuck), so the jobs still on the queue are retried.
	 */
	@Override
	public void handleAll(List<Job> jobs) {
		List<CompletableFuture<IngestOutcome>> futures = new ArrayList<>();
		jobs.forEach(
				(job) -> futures.add(this.pipeline.submit(new Submission.DueEvent(job.jobKey().brandId(), job.key()))));
		int unprocessed = 0;
		for (CompletableFuture<IngestOutcome> future : futures) {
			IngestOutcome outcome = await(future);
			if (outcome == null || outcome instanceof IngestOutcome.Unavailable
					|| outcome instanceof IngestOutcome.Failed) {
				unprocessed++;
			}
		}
		if (unprocessed > 0) {
			throw new IllegalStateException(unprocessed + " of " + jobs.size()
					+ " pending events were not processed (the pipeline is stopping, full or failing)");
		}
	}

	private @Nullable IngestOutcome await(CompletableFuture<IngestOutcome> future) {
		try {
			return future.get(this.properties.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException | ExecutionException ex) {
			Failures.warn(log, ex, "A pending event was not processed in time; its job is retried");
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

	/**
	 * Processes every pending event that is due now, on this thread (for tests and
	 * tools); returns how many jobs were completed.
	 */
	public int processDue() {
		return this.jobs.runDue(PendingEventQueue.QUEUE);
	}

}
