package bot.resonance.rewards.internal.ingest;

import bot.resonance.rewards.Submission;
import bot.resonance.rewards.RejectionCode;
import bot.resonance.rewards.IngestOutcome;
import bot.resonance.rewards.EventRequest;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import bot.resonance.platform.load.DeliveryLag;
import bot.resonance.platform.web.TextChecks;
import bot.resonance.rewards.internal.ingest.RewardsProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Group commit for the event API. Requests are queued on one of a few lanes (always the
 * same lane for a brand); each lane's worker takes everything queued, up to a batch size,
 * and processes it in one transaction. Under load a batch holds many events, so one
 * commit (and one pass over a brand's hot wallet row) serves them all; an idle lane
 * processes a lone event at once, without waiting for company.
 *
 * <p>
 * A batch that fails is retried if the failure is transient (a deadlock across nodes, a
 * lost connection), otherwise its events are processed one by one, so one bad event never
 * fails its neighbours.
 */
@Component
public class IngestPipeline implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(IngestPipeline.class);

	private static final int TRANSIENT_RETRIES = 3;

	private final IngestBatchProcessor processor;

	private final IngestRepository repository;

	private final TransactionTemplate transactions;

	private final RewardsProperties properties;

	private final DistributionSummary batchSizes;

	private final Timer batchDurations;

	private final BatchPhases phases;

	private final MeterRegistry meters;

	private final Lane[] lanes;

	private final DeliveryLag deliveryLag;

	private final Timer yields;

	/** How often held events are looked at. */
	private static final long RELEASE_CHECK_MILLIS = 10;

	/** New events held back, per brand, in the order they came (guarded by itself). */
	private final Map<String, Deque<Held>> held = new HashMap<>();

	private boolean releaseScheduled;

	/**
	 * Whether any event is held: while none is, a brand whose deliveries are not behind
	 * passes without taking the lock of {@link #held} (every new event asks).
	 */
	private volatile boolean anyHeld;

	/**
	 * Looks at held events while any are; made at every start, as a stopped pipeline may
	 * start again (a paused application context does).
	 */
	private volatile ScheduledExecutorService releaser = newReleaser();

	private final Map<String, Integer> queuedPerBrand = new ConcurrentHashMap<>();

	/** The outcome counters, by kind of submission, outcome and reason. */
	private final Map<String, Counter> counters = new ConcurrentHashMap<>();

	private volatile boolean running;

	IngestPipeline(IngestBatchProcessor processor, IngestRepository repository,
			PlatformTransactionManager transactionManager, RewardsProperties properties, MeterRegistry meters,
			DeliveryLag deliveryLag) {
		this.deliveryLag = deliveryLag;
		this.yields = Timer.builder("resonance.ingest.yields")
			.description("Waits of event batches for webhook deliveries that fell behind")
			.register(meters);
		this.processor = processor;
		this.repository = repository;
		this.transactions = new TransactionTemplate(transactionManager);
		this.properties = properties;
		this.batchSizes = DistributionSummary.builder("resonance.ingest.batch.size")
			.description("Events processed per transaction")
			.register(meters);
		// Buckets too, so a dashboard can show percentiles across nodes (a batch takes
		// milliseconds; one that waited on locks or retried, seconds).
		this.batchDurations = Timer.builder("resonance.ingest.batch.duration")
			.description("Time to process one batch of events in its transaction (retries included)")
			.publishPercentileHistogram()
			.minimumExpectedValue(Duration.ofMillis(1))
			.maximumExpectedValue(Duration.ofSeconds(30))
			.register(meters);
		this.phases = new BatchPhases(meters);
		this.meters = meters;
		registerCounters();
		this.lanes = new Lane[properties.effectiveLanes()];
		for (int i = 0; i < this.lanes.length; i++) {
			Lane lane = new Lane(i, properties.queueCapacity());
			this.lanes[i] = lane;
			Gauge.builder("resonance.ingest.queue.depth", lane.queue, BlockingQueue::size)
				.description("Events waiting in an ingest lane")
				.tag("lane", Integer.toString(i))
				.register(meters);
		}
	}

	/**
	 * Registers the counters of every outcome up front, so each series exists (at zero)
	 * from the first scrape and rates over it start from the beginning, and keeps them:
	 * every event counts itself, and finding a counter in the registry (its name and tags
	 * hashed and compared) would cost more than counting.
	 */
	private void registerCounters() {
		for (String outcome : List.of("awarded", "pending", "replayed", "key_reused", "unavailable", "failed")) {
			counter(false, outcome, "none");
		}
		for (String outcome : List.of("awarded", "skipped", "failed")) {
			counter(true, outcome, "none");
		}
		for (RejectionCode code : RejectionCode.values()) {
			String reason = code.name().toLowerCase(Locale.ROOT);
			counter(false, "rejected", reason);
			counter(true, "rejected", reason);
		}
	}

	/**
	 * The counter of an outcome, kept once registered: every outcome registered up front
	 * (all but a due event's unusual ones) is found without the registry.
	 */
	private Counter counter(boolean deferred, String outcome, String reason) {
		return this.counters.computeIfAbsent((deferred ? "deferred/" : "new/") + outcome + "/" + reason, (key) -> {
			String name = deferred ? "resonance.events.deferred" : "resonance.events";
			return Counter.builder(name)
				.description(
						deferred ? "Pending events processed when due, by outcome" : "Events submitted, by outcome")
				.tag("outcome", outcome)
				.tag("reason", reason)
				.register(this.meters);
		});
	}

	/**
	 * Counts what became of a submission: new events as {@code resonance.events}, pending
	 * events whose time came as {@code resonance.events.deferred}. Tags are bounded
	 * (outcome, rejection reason); nothing names the brand or member.
	 */
	private void count(Submission submission, @Nullable IngestOutcome outcome) {
		String reason = (outcome instanceof IngestOutcome.Rejected rejected)
				? rejected.code().name().toLowerCase(Locale.ROOT) : "none";
		counter(submission instanceof Submission.DueEvent, outcomeName(outcome), reason).increment();
	}

	private static String outcomeName(@Nullable IngestOutcome outcome) {
		return switch (outcome) {
			case null -> "failed";
			case IngestOutcome.Awarded awarded -> "awarded";
			case IngestOutcome.Pending pending -> "pending";
			case IngestOutcome.Rejected rejected -> "rejected";
			case IngestOutcome.Replayed replayed -> "replayed";
			case IngestOutcome.KeyReused reused -> "key_reused";
			case IngestOutcome.Unavailable unavailable -> "unavailable";
			case IngestOutcome.Failed failed -> "failed";
			case IngestOutcome.Skipped skipped -> "skipped";
		};
	}

	/** Queues a submission; the future completes after its batch commits (or fails). */
	public CompletableFuture<IngestOutcome> submit(Submission submission) {
		Pending pending = new Pending(submission, new CompletableFuture<>());
		pending.future.whenComplete((outcome, ex) -> count(submission, outcome));
		if (!this.running) {
			pending.future.complete(new IngestOutcome.Unavailable("The server is shutting down. Retry shortly."));
			return pending.future;
		}
		String brandId = submission.brandId();
		if (submission instanceof Submission.NewEvent && !admit(brandId)) {
			pending.future.complete(new IngestOutcome.Rejected(null, RejectionCode.RATE_LIMITED,
					"Too many of your brand's events are waiting to be processed. Retry after a second.", 1L));
			return pending.future;
		}
		Lane lane = this.lanes[Math.floorMod(brandId.hashCode(), this.lanes.length)];
		if (submission instanceof Submission.NewEvent) {
			pending.future.whenComplete((outcome, ex) -> release(brandId));
			if (holdBack(brandId, pending, lane)) {
				return pending.future;
			}
		}
		if (!lane.queue.offer(pending)) {
			pending.future.complete(new IngestOutcome.Unavailable("The server is overloaded. Retry shortly."));
		}
		return pending.future;
	}

	/**
	 * Holds a brand's new event back, instead of queuing it, while the brand's webhook
	 * deliveries on this node are behind ({@link DeliveryLag}), or while earlier events
	 * of the brand are held (so they keep their order): events arriving at full speed
	 * must not starve the deliveries they cause. Other brands' events go on. A held event
	 * is queued once the deliveries caught up, or after {@code max-yield}; its sender
	 * sees a slower answer, not an error.
	 */
	private boolean holdBack(String brandId, Pending pending, Lane lane) {
		if (!this.anyHeld && !this.properties.yieldsTo(this.deliveryLag.current(brandId))) {
			return false;
		}
		synchronized (this.held) {
			Deque<Held> queue = this.held.get(brandId);
			if (queue == null) {
				if (!this.properties.yieldsTo(this.deliveryLag.current(brandId))) {
					return false;
				}
				queue = new ArrayDeque<>();
				this.held.put(brandId, queue);
			}
			if (!this.releaseScheduled) {
				try {
					this.releaser.schedule(this::releaseHeld, RELEASE_CHECK_MILLIS, TimeUnit.MILLISECONDS);
				}
				catch (RejectedExecutionException ex) {
					// Stopped since it looked: nothing would release it.
					if (queue.isEmpty()) {
						this.held.remove(brandId);
					}
					pending.future
						.complete(new IngestOutcome.Unavailable("The server is shutting down. Retry shortly."));
					return true;
				}
				this.releaseScheduled = true;
			}
			long now = System.nanoTime();
			queue.add(new Held(pending, lane, now, now + this.properties.maxYield().toNanos()));
			this.anyHeld = true;
			return true;
		}
	}

	private static ScheduledExecutorService newReleaser() {
		return Executors
			.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("ingest-held-events").daemon(true).factory());
	}

	/**
	 * Queues the held events whose brand's deliveries caught up, or that waited
	 * {@code max-yield}, in the order they came; looks again shortly while any are held.
	 */
	private void releaseHeld() {
		List<Held> released = new ArrayList<>();
		long now = System.nanoTime();
		synchronized (this.held) {
			try {
				Iterator<Map.Entry<String, Deque<Held>>> brands = this.held.entrySet().iterator();
				while (brands.hasNext()) {
					Map.Entry<String, Deque<Held>> brand = brands.next();
					boolean behind = this.running && this.properties.yieldsTo(this.deliveryLag.current(brand.getKey()));
					Deque<Held> queue = brand.getValue();
					while (!queue.isEmpty() && (!behind || queue.peek().untilNanos() <= now)) {
						released.add(queue.poll());
					}
					if (queue.isEmpty()) {
						brands.remove();
					}
				}
			}
			finally {
				this.anyHeld = !this.held.isEmpty();
				ScheduledExecutorService releaser = this.releaser;
				this.releaseScheduled = !this.held.isEmpty() && !releaser.isShutdown();
				if (this.releaseScheduled) {
					releaser.schedule(this::releaseHeld, RELEASE_CHECK_MILLIS, TimeUnit.MILLISECONDS);
				}
			}
		}
		for (Held event : released) {
			this.yields.record(now - event.sinceNanos(), TimeUnit.NANOSECONDS);
			if (!this.running) {
				event.pending().future
					.complete(new IngestOutcome.Unavailable("The server is shutting down. Retry shortly."));
			}
			else if (!event.lane().queue.offer(event.pending())) {
				event.pending().future
					.complete(new IngestOutcome.Unavailable("The server is overloaded. Retry shortly."));
			}
		}
	}

	/**
	 * Counts a brand's new event as queued, unless it has {@code max-queued-per-brand}
	 * waiting already: one brand's burst must not fill a lane that other brands share.
	 */
	private boolean admit(String brandId) {
		boolean[] admitted = new boolean[1];
		this.queuedPerBrand.compute(brandId, (id, queued) -> {
			int count = (queued != null) ? queued : 0;
			if (count >= this.properties.maxQueuedPerBrand()) {
				return queued;
			}
			admitted[0] = true;
			return count + 1;
		});
		return admitted[0];
	}

	private void release(String brandId) {
		this.queuedPerBrand.computeIfPresent(brandId, (id, queued) -> (queued > 1) ? queued - 1 : null);
	}

	private void process(List<Pending> batch, Runnable written) {
		List<Submission> submissions = batch.stream().map(Pending::submission).toList();
		List<IngestOutcome> outcomes;
		Timer.Sample sample = Timer.start(this.meters);
		try {
			outcomes = processWithRetries(submissions, written);
			sample.stop(this.batchDurations);
		}
		catch (RuntimeException ex) {
			if (batch.size() > 1) {
				log.warn("A batch of {} events failed ({}); processing them one by one", batch.size(), ex.toString());
				for (Pending pending : batch) {
					process(List.of(pending), written);
				}
			}
			else {
				Pending pending = batch.getFirst();
				Submission recordable = isDataException(ex) ? asUnstorable(pending.submission()) : null;
				if (recordable != null) {
					log.warn("Event {} holds a value the database refused ({}); recording it as invalid",
							describe(pending.submission()), ex.getMessage());
					process(List.of(new Pending(recordable, pending.future)), written);
				}
				else {
					IngestOutcome recorded = recordedOutcome(pending.submission());
					if (recorded != null) {
						log.warn("Event {} failed ({}) but was recorded already; answering its outcome",
								describe(pending.submission()), ex.toString());
						pending.future.complete(recorded);
						return;
					}
					log.error("Processing event {} failed", describe(pending.submission()), ex);
					pending.future.complete(new IngestOutcome.Failed());
				}
			}
			return;
		}
		this.batchSizes.record(batch.size());
		for (int i = 0; i < batch.size(); i++) {
			batch.get(i).future.complete(outcomes.get(i));
		}
	}

	private List<IngestOutcome> processWithRetries(List<Submission> submissions, Runnable written) {
		for (int attempt = 1;; attempt++) {
			try {
				BatchPhases.Laps laps = this.phases.start();
				List<IngestOutcome> outcomes = this.transactions.execute((status) -> {
					List<IngestOutcome> processed = this.processor.process(submissions, laps);
					written.run();
					return processed;
				});
				laps.end(BatchPhases.Phase.COMMIT);
				return outcomes;
			}
			catch (TransientDataAccessException | RecoverableDataAccessException ex) {
				if (attempt >= TRANSIENT_RETRIES) {
					throw ex;
				}
				log.debug("Transient failure processing a batch (attempt {}), retrying", attempt, ex);
				sleepQuietly(10L * attempt);
			}
		}
	}

	/**
	 * The outcome of a new event that is recorded although its processing failed: its
	 * earlier attempt committed but the answer was lost with the connection.
	 */
	private @Nullable IngestOutcome recordedOutcome(Submission submission) {
		if (!(submission instanceof Submission.NewEvent event)) {
			return null;
		}
		try {
			return this.repository.recordedOutcome(event.brandId(), event.eventId()).orElse(null);
		}
		catch (RuntimeException ex) {
			log.debug("Could not look up event {}", event.eventId(), ex);
			return null;
		}
	}

	/**
	 * Whether the database refused a value (SQLSTATE class 22, data exception): the
	 * request's content is at fault, and retrying it as it is cannot help.
	 */
	private static boolean isDataException(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("22")) {
				return true;
			}
		}
		return false;
	}

	/**
	 * A new event that the database refused, as an invalid request without its metadata
	 * and with cleaned text, so it is still recorded and answered; {@code null} if it was
	 * that already.
	 */
	private static @Nullable Submission asUnstorable(Submission submission) {
		if (!(submission instanceof Submission.NewEvent event)
				|| (!event.request().isValid() && event.request().metadataJson() == null)) {
			return null;
		}
		EventRequest request = event.request();
		EventRequest unstorable = new EventRequest(clean(request.eventType()), clean(request.userId()),
				clean(request.serverId()), request.amount(), null,
				"The event holds a value that cannot be stored (check metadata for unusual text or numbers).",
				request.identity(), request.amountCap());
		return new Submission.NewEvent(event.eventId(), event.brand(), unstorable, event.idempotencyKey(),
				event.requestHash(), event.receivedAt(), event.source(), event.refusalsBindKey());
	}

	private static @Nullable String clean(@Nullable String text) {
		return (text != null) ? TextChecks.clean(text) : null;
	}

	private static String describe(Submission submission) {
		return switch (submission) {
			case Submission.NewEvent event -> event.eventId() + " of brand " + event.brandId();
			case Submission.DueEvent due -> due.eventId() + " (pending) of brand " + due.brandId();
		};
	}

	private static void sleepQuietly(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void start() {
		if (this.releaser.isShutdown()) {
			this.releaser = newReleaser();
		}
		this.running = true;
		int depth = Math.max(1, this.properties.pipelineDepth());
		for (Lane lane : this.lanes) {
			lane.threads.removeIf((thread) -> !thread.isAlive());
			for (int i = 0; i < depth; i++) {
				lane.threads
					.add(Thread.ofPlatform().name("ingest-lane-" + lane.index + "-" + i).daemon(true).start(lane));
			}
		}
	}

	@Override
	public void stop() {
		this.running = false;
		joining: for (Lane lane : this.lanes) {
			for (Thread thread : lane.threads) {
				try {
					thread.join(this.properties.requestTimeout().toMillis());
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					break joining;
				}
			}
		}
		for (Lane lane : this.lanes) {
			lane.refuseQueued(); // arrived after the lane's last look
		}
		// Shut first: an event held from now on is refused at once, and every event held
		// before is answered here (not running).
		this.releaser.shutdownNow();
		releaseHeld();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Stops after the web server's graceful shutdown (so requests in flight get their
	 * answer) and before the web server and the database go away.
	 */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 1536;
	}

	private record Pending(Submission submission, CompletableFuture<IngestOutcome> future) {
	}

	private record Held(Pending pending, Lane lane, long sinceNanos, long untilNanos) {
	}

	/**
	 * A lane: a queue and its workers ({@code pipeline-depth} of them). One worker at a
	 * time holds the lane's turn: it takes the next batch off the queue and keeps the
	 * turn until the batch holds its brands' locks (or is over). The next worker then
	 * takes what queued meanwhile and asks for its locks, which PostgreSQL grants when
	 * the batch before commits: batches lock in the order they were taken, and a batch's
	 * start does not wait for the one before to be answered.
	 */
	private final class Lane implements Runnable {

		private final int index;

		private final BlockingQueue<Pending> queue;

		private final Semaphore turn = new Semaphore(1, true);

		private final List<Thread> threads = new CopyOnWriteArrayList<>();

		Lane(int index, int capacity) {
			this.index = index;
			this.queue = new ArrayBlockingQueue<>(capacity);
		}

		/** Answers whatever is still queued: nothing will process it on this node. */
		void refuseQueued() {
			Pending pending;
			while ((pending = this.queue.poll()) != null) {
				pending.future.complete(new IngestOutcome.Unavailable("The server is shutting down. Retry shortly."));
			}
		}

		@Override
		public void run() {
			int maxBatch = Math.max(1, IngestPipeline.this.properties.maxBatchSize());
			while (true) {
				try {
					this.turn.acquire();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
				Runnable passTurn = once(this.turn::release);
				List<Pending> batch;
				try {
					batch = take(maxBatch);
				}
				catch (RuntimeException | Error ex) {
					passTurn.run();
					throw ex;
				}
				if (batch == null) {
					passTurn.run();
					if (!IngestPipeline.this.running) {
						return;
					}
					continue;
				}
				try {
					process(batch, passTurn);
				}
				catch (RuntimeException ex) {
					log.error("Unexpected failure in ingest lane {}", this.index, ex);
					batch.forEach((pending) -> pending.future.complete(new IngestOutcome.Failed()));
				}
				finally {
					passTurn.run();
				}
			}
		}

		/**
		 * The next batch: what is queued, up to {@code maxBatch}, waiting a little for
		 * the first; {@code null} if nothing came.
		 */
		private @Nullable List<Pending> take(int maxBatch) {
			Pending first;
			try {
				first = this.queue.poll(50, TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				first = this.queue.poll();
			}
			if (first == null) {
				return null;
			}
			List<Pending> batch = new ArrayList<>(maxBatch);
			batch.add(first);
			this.queue.drainTo(batch, maxBatch - 1);
			return batch;
		}

	}

	/** {@code action}, run at most once however often the result is called. */
	private static Runnable once(Runnable action) {
		AtomicBoolean done = new AtomicBoolean();
		return () -> {
			if (done.compareAndSet(false, true)) {
				action.run();
			}
		};
	}

}
