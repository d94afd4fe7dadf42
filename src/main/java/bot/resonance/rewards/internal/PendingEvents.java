package bot.resonance.rewards.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import bot.resonance.rewards.IngestOutcome;
import bot.resonance.rewards.internal.ingest.IngestPipeline;
import bot.resonance.rewards.internal.ingest.PendingEventQueue;
import bot.resonance.rewards.Submission;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Processes pending events when their time comes (after 00:00 UTC for daily limits).
 * Every node polls; a node claims due events for a while so others skip them, and
 * processing them takes them off the queue in the same transaction that rewards them, so
 * each is processed exactly once even if a node dies halfway.
 */
@Component
class PendingEvents {

	private static final Logger log = LoggerFactory.getLogger(PendingEvents.class);

	private final PendingEventQueue queue;

	private final IngestPipeline pipeline;

	private final RewardsProperties properties;

	private final Clock clock;

	PendingEvents(PendingEventQueue queue, IngestPipeline pipeline, RewardsProperties properties, Clock clock) {
		this.queue = queue;
		this.pipeline = pipeline;
		this.properties = properties;
		this.clock = clock;
	}

	@Scheduled(fixedDelayString = "${resonance.rewards.pending-poll-interval:15s}", initialDelayString = "5s")
	void poll() {
		try {
			processDue();
		}
		catch (RuntimeException ex) {
			log.warn("Processing pending events failed; will retry", ex);
		}
	}

	private @Nullable IngestOutcome await(CompletableFuture<IngestOutcome> future) {
		try {
			return future.get(this.properties.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException | ExecutionException ex) {
			log.warn("A pending event was not processed in time; its claim will lapse", ex);
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

	/** Processes every pending event that is due now; returns how many were processed. */
	int processDue() {
		int processed = 0;
		while (true) {
			Instant now = this.clock.instant();
			var due = this.queue.claimDue(now, now.plus(this.properties.pendingClaimTimeout()),
					this.properties.pendingBatchSize());
			if (due.isEmpty()) {
				return processed;
			}
			List<CompletableFuture<IngestOutcome>> futures = new ArrayList<>();
			due.forEach((event) -> futures
				.add(this.pipeline.submit(new Submission.DueEvent(event.brandId(), event.eventId()))));
			for (CompletableFuture<IngestOutcome> future : futures) {
				IngestOutcome outcome = await(future);
				if (outcome == null || outcome instanceof IngestOutcome.Unavailable) {
					// Shutting down or stuck: the claims lapse and another node takes
					// over.
					return processed;
				}
				if (!(outcome instanceof IngestOutcome.Skipped)) {
					processed++;
				}
			}
			if (due.size() < this.properties.pendingBatchSize()) {
				return processed;
			}
		}
	}

}
