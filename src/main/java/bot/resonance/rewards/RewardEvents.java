package bot.resonance.rewards;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import bot.resonance.platform.load.Deadlines;
import bot.resonance.rewards.internal.EventQueries;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import bot.resonance.rewards.internal.types.EventType;
import bot.resonance.rewards.internal.ingest.RewardsProperties;
import bot.resonance.rewards.internal.ingest.IngestPipeline;
import org.springframework.stereotype.Service;

/**
 * Events into the reward pipeline from any door (the event API, manual events, Shopify,
 * the Discord bot): submit one and wait for its outcome, and read what became of events.
 * Every event goes through the same rules, limits and ledger, whichever door it came in
 * by.
 */
@Service
public class RewardEvents {

	private static final Logger log = LoggerFactory.getLogger(RewardEvents.class);

	private final IngestPipeline pipeline;

	private final EventQueries queries;

	private final Duration timeout;

	private final Deadlines deadlines;

	RewardEvents(IngestPipeline pipeline, EventQueries queries, RewardsProperties properties, Deadlines deadlines) {
		this.pipeline = pipeline;
		this.queries = queries;
		this.timeout = properties.requestTimeout();
		this.deadlines = deadlines;
	}

	/**
	 * Queues the event; the future completes when its batch has committed (or failed).
	 */
	public CompletableFuture<IngestOutcome> submit(Submission.NewEvent event) {
		return this.pipeline.submit(event);
	}

	/**
	 * Submits the event and waits for its outcome, at most
	 * {@code resonance.rewards.request-timeout}: past it the outcome is
	 * {@link IngestOutcome.Unavailable} with {@code tooLong} as its message (retrying
	 * with the same idempotency key learns the outcome without processing the event
	 * twice).
	 */
	public IngestOutcome submitAndWait(Submission.NewEvent event, String tooLong) {
		return submitAndWait(event, this.timeout, tooLong);
	}

	/**
	 * Submits the event and waits for its outcome at most {@code within} (and never
	 * longer than {@code resonance.rewards.request-timeout}), for callers with a deadline
	 * of their own (Discord answers an interaction within three seconds). Past it the
	 * outcome is {@link IngestOutcome.Unavailable} with {@code tooLong} as its message;
	 * the event is still processed, and a retry with the same idempotency key learns its
	 * outcome.
	 */
	public IngestOutcome submitAndWait(Submission.NewEvent event, Duration within, String tooLong) {
		Duration wait = (within.compareTo(this.timeout) < 0) ? within : this.timeout;
		try {
			return this.deadlines.await(submit(event), wait);
		}
		catch (TimeoutException ex) {
			return new IngestOutcome.Unavailable(tooLong);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new IngestOutcome.Unavailable("The server is shutting down. Retry shortly.");
		}
		catch (ExecutionException ex) {
			log.error("Processing event {} of brand {} failed", event.eventId(), event.brandId(), ex);
			return new IngestOutcome.Failed();
		}
	}

	/** What became of these events of a brand, those that were recorded. */
	public Map<String, RecordedEvent> recorded(String brandId, Collection<String> eventIds) {
		return eventIds.isEmpty() ? Map.of() : this.queries.recorded(brandId, eventIds);
	}

	/**
	 * The brand's latest rejected events, newest first: at most {@code limit} of those
	 * among its {@code window} most recent events (of any outcome).
	 */
	public List<EventView> recentRejections(String brandId, int window, int limit) {
		return this.queries.recentRejected(brandId, window, limit);
	}

	/** Whether {@code name} can name an event type: 1 to 64 of a-z, 0-9 and _. */
	public static boolean isValidTypeName(String name) {
		return EventType.isValidName(name);
	}

}
