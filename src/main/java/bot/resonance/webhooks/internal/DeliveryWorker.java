package bot.resonance.webhooks.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import bot.resonance.platform.cluster.ClusterSignals;
import bot.resonance.platform.load.DeliveryLag;
import bot.resonance.webhooks.WebhookProperties;
import bot.resonance.platform.logging.Failures;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends due deliveries. Every node runs one: it claims due deliveries in batches (other
 * nodes skip what it claimed), sends each on its own virtual thread, and records the
 * outcomes in batches. New messages wake it at once (PostgreSQL NOTIFY at commit);
 * otherwise it looks for due retries every poll interval. A node that dies mid-delivery
 * loses nothing: its claims lapse and another node sends them again (the receiver
 * deduplicates on the message id).
 *
 * <p>
 * No brand can take the node from the others: each brand may have at most
 * {@code max-in-flight-per-brand} of the node's {@code max-in-flight} deliveries in
 * flight, each endpoint at most {@code per-endpoint-concurrency}, fewer while it times
 * out ({@link DeliveryLoad}), and the claim goes round the brands and endpoints rather
 * than taking the oldest due deliveries, which may all be one brand's
 * ({@link DeliveryRepository#claim}).
 */
@Component
public class DeliveryWorker implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);

	private static final int MAX_COMPLETIONS_PER_WRITE = 500;

	private final DeliveryRepository repository;

	private final WebhookDirectory directory;

	private final DeliverySender sender;

	private final Webhooks webhooks;

	private final WebhookProperties properties;

	private final TransactionTemplate transactions;

	private final Clock clock;

	private final RetryPolicy retries;

	private final int maxInFlight;

	private final int maxUnrecorded;

	private final Semaphore capacity;

	private final DeliveryLoad load;

	private final DeliveryLag lag;

	/** What the last claim with deliveries reported per brand (the dispatcher's own). */
	private final Map<String, LagReport> lastLags = new HashMap<>();

	/** Where the next claim goes on from (the dispatcher's own). */
	private DeliveryRepository.Cursor cursor = DeliveryRepository.Cursor.START;

	/**
	 * Where the claims that have found nothing since began; null after one that found
	 * something (the dispatcher's own).
	 */
	private DeliveryRepository.@Nullable Cursor fruitlessSince;

	private final BlockingQueue<Result> results = new LinkedBlockingQueue<>();

	/**
	 * Attempts made whose outcome is not recorded yet: those waiting in {@code results}
	 * and those the writer has taken and is recording (counted down once it is done).
	 */
	private final AtomicInteger unrecorded = new AtomicInteger();

	private final Semaphore wake = new Semaphore(0);

	private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();

	private final AtomicLong claimRounds = new AtomicLong();

	private final MeterRegistry meters;

	private volatile boolean running;

	private Thread dispatcher;

	private Thread writer;

	DeliveryWorker(DeliveryRepository repository, WebhookDirectory directory, DeliverySender sender, Webhooks webhooks,
			WebhookProperties properties, PlatformTransactionManager transactionManager, Clock clock,
			ClusterSignals signals, MeterRegistry meters, DeliveryLag lag) {
		this.meters = meters;
		this.lag = lag;
		// every outcome's series exists from the first scrape
		List.of("succeeded", "retrying", "dead", "held").forEach((outcome) -> deliveries(meters, outcome));
		this.repository = repository;
		this.directory = directory;
		this.sender = sender;
		this.webhooks = webhooks;
		this.properties = properties;
		this.transactions = new TransactionTemplate(transactionManager);
		this.clock = clock;
		this.retries = new RetryPolicy(properties, new SplittableRandom());
		this.maxInFlight = Math.max(1, properties.maxInFlight());
		this.maxUnrecorded = Math.max(1, properties.maxUnrecorded());
		Gauge.builder("resonance.webhook.attempts.unrecorded", this.unrecorded, AtomicInteger::get)
			.description("Webhook attempts made by this node whose outcome is not recorded yet")
			.register(meters);
		this.capacity = new Semaphore(this.maxInFlight);
		this.load = new DeliveryLoad(Math.min(properties.maxInFlightPerBrand(), this.maxInFlight),
				properties.perEndpointConcurrency());
		signals.subscribe(OutboxRepository.DELIVERIES_CHANNEL, (payload) -> wakeUp(), this::wakeUp);
	}

	/**
	 * How many times this node has looked for due deliveries: a test that expects nothing
	 * more to be sent can wait until the dispatcher has looked again, rather than for a
	 * while.
	 */
	public long claimRounds() {
		return this.claimRounds.get();
	}

	/** Looks for due deliveries now rather than at the next poll. */
	public void wakeUp() {
		if (this.wake.availablePermits() == 0) {
			this.wake.release();
		}
	}

	private void dispatch() {
		while (this.running) {
			try {
				int free = this.capacity.availablePermits();
				if (free == 0) {
					this.wake.tryAcquire(this.properties.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
					continue;
				}
				// Sending waits while the recording of outcomes is behind (the writer
				// wakes the dispatcher after each batch it records). The batch the writer
				// is recording counts until it is recorded: taken from the queue, its
				// attempts are no more recorded than before.
				if (this.unrecorded.get() >= this.maxUnrecorded) {
					reportLagWhileHeld();
					this.wake.tryAcquire(this.properties.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
					continue;
				}
				// Signals from here on (a send finishing, a new message) are kept for the
				// wait below, so none is lost while the claim runs.
				this.wake.drainPermits();
				DeliveryRepository.ClaimRound round = claim(Math.min(free, this.properties.claimBatchSize()));
				this.claimRounds.incrementAndGet();
				reportLag(round.deliveries());
				for (DeliveryRepository.Claimed delivery : round.deliveries()) {
					this.capacity.acquire();
					this.load.started(delivery.brandId(), delivery.endpointId());
					this.senders.execute(() -> send(delivery));
				}
				// A claim that found nothing but stopped early goes on at once.
				if (round.deliveries().isEmpty() && !round.more()) {
					this.wake.tryAcquire(this.properties.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (RuntimeException ex) {
				Failures.warn(log, ex, "Claiming webhook deliveries failed; retrying shortly");
				sleep(1_000);
			}
		}
	}

	/**
	 * Tells the event pipeline how far each brand's deliveries are behind
	 * ({@link DeliveryLag}): for every brand with deliveries in the claim, the median
	 * time they had been due, counting only endpoints that answer well
	 * ({@link DeliveryLoad#answersWell}: fast, and allowed their full concurrency). A
	 * slow endpoint, or one that times out or says it is overloaded, holds its own
	 * deliveries back and says nothing about how fast this node sends; the median, not
	 * the oldest, for the same reason.
	 */
	private void reportLag(List<DeliveryRepository.Claimed> claimed) {
		Instant now = this.clock.instant();
		Map<String, List<Long>> waits = new HashMap<>();
		for (DeliveryRepository.Claimed delivery : claimed) {
			if (this.load.answersWell(delivery.endpointId())) {
				waits.computeIfAbsent(delivery.brandId(), (brand) -> new ArrayList<>())
					.add(Duration.between(delivery.dueAt(), now).toMillis());
			}
		}
		long nanos = System.nanoTime();
		if (!waits.isEmpty()) {
			this.lastLags.clear();
		}
		waits.forEach((brand, millis) -> {
			millis.sort(null);
			long median = millis.get(millis.size() / 2);
			this.lag.report(brand, Duration.ofMillis(median));
			this.lastLags.put(brand, new LagReport(median, nanos));
		});
	}

	/**
	 * While no claim is made because outcomes are not recorded fast enough, the brands
	 * last reported fall further behind by the time that passes: reported so, they do not
	 * go stale (which reads as no lag at all) and their events go on yielding to their
	 * deliveries.
	 */
	private void reportLagWhileHeld() {
		long nanos = System.nanoTime();
		this.lastLags.forEach((brand, last) -> this.lag.report(brand,
				Duration.ofMillis(last.millis()).plusNanos(Math.max(0, nanos - last.atNanos()))));
	}

	/**
	 * Claims from where the last claim stopped, all the way round; after claims that
	 * stopped early with nothing, only up to where the first of them began, so that with
	 * nothing due the dispatcher goes round once and then waits.
	 */
	private DeliveryRepository.ClaimRound claim(int limit) {
		DeliveryRepository.Room room = this.load.room();
		DeliveryRepository.Cursor after = this.cursor;
		DeliveryRepository.Cursor stopAt = (this.fruitlessSince != null) ? this.fruitlessSince : after;
		Instant now = this.clock.instant();
		DeliveryRepository.ClaimRound round = this.transactions.execute((status) -> this.repository.claim(now,
				now.plus(this.properties.claimTimeout()), limit, room, after, stopAt));
		if (round == null) {
			return new DeliveryRepository.ClaimRound(List.of(), after, false);
		}
		this.cursor = round.next();
		if (!round.deliveries().isEmpty() || !round.more()) {
			this.fruitlessSince = null;
		}
		else if (this.fruitlessSince == null) {
			this.fruitlessSince = after;
		}
		return round;
	}

	private void send(DeliveryRepository.Claimed delivery) {
		DeliveryLoad.Signal signal = DeliveryLoad.Signal.NONE;
		long answerMillis = -1;
		try {
			Optional<WebhookDirectory.Configured> target = this.directory.forBrand(delivery.brandId())
				.endpoint(delivery.endpointId());
			Instant now = this.clock.instant();
			if (target.isEmpty()) {
				completed(new Result(delivery, null, Kind.ENDPOINT_GONE, now));
			}
			else if (!target.get().endpoint().active()) {
				completed(new Result(delivery, null, Kind.HELD, now));
			}
			else {
				DeliverySender.Attempt attempt = this.sender.send(delivery, target.get());
				signal = signal(attempt);
				answerMillis = (signal != DeliveryLoad.Signal.NONE) ? attempt.durationMillis() : -1;
				completed(new Result(delivery, attempt, Kind.ATTEMPTED, now));
			}
		}
		catch (RuntimeException ex) {
			log.error("Sending delivery {} failed unexpectedly", delivery.id(), ex);
			completed(new Result(delivery,
					DeliverySender.Attempt.failed(this.clock.instant(), 0, "Internal error while sending."),
					Kind.ATTEMPTED, this.clock.instant()));
		}
		finally {
			// Before the next claim can see the free capacity.
			this.load.finished(delivery.brandId(), delivery.endpointId(), signal, answerMillis);
			this.capacity.release();
			wakeUp();
		}
	}

	/** An attempt's outcome, queued for the writer to record. */
	private void completed(Result result) {
		this.unrecorded.incrementAndGet();
		this.results.add(result);
	}

	/** What an attempt tells about how much its endpoint can take at once. */
	static DeliveryLoad.Signal signal(DeliverySender.Attempt attempt) {
		return switch (attempt.outcome()) {
			case TIMED_OUT, UNREACHABLE -> DeliveryLoad.Signal.UNRESPONSIVE;
			case SUCCEEDED, GONE -> DeliveryLoad.Signal.ANSWERED;
			case FAILED -> {
				Integer status = attempt.statusCode();
				if (status == null) {
					yield DeliveryLoad.Signal.NONE; // not sent
				}
				yield (status == 429 || status == 503) ? DeliveryLoad.Signal.UNRESPONSIVE
						: DeliveryLoad.Signal.ANSWERED;
			}
		};
	}

	private void write() {
		List<Result> batch = new ArrayList<>();
		while (this.running || !this.results.isEmpty() || this.capacity.availablePermits() < this.maxInFlight) {
			try {
				Result first = this.results.poll(200, TimeUnit.MILLISECONDS);
				if (first == null) {
					if (!this.running && this.capacity.availablePermits() >= this.maxInFlight) {
						return;
					}
					continue;
				}
				batch.add(first);
				this.results.drainTo(batch, MAX_COMPLETIONS_PER_WRITE - 1);
				count(record(batch));
				wakeUp();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (RuntimeException ex) {
				// The claims lapse and the deliveries are sent again: at least once,
				// never lost.
				log.error("Recording {} webhook attempts failed", batch.size(), ex);
			}
			finally {
				// Recorded, or dropped after a failure (the claims lapse and the
				// deliveries are sent again): no longer waiting to be recorded.
				this.unrecorded.addAndGet(-batch.size());
				batch.clear();
			}
		}
	}

	/**
	 * Records a batch of results; answers what became of each delivery, once committed.
	 */
	private List<String> record(List<Result> batch) {
		Instant now = this.clock.instant();
		List<DeliveryRepository.Completion> completions = new ArrayList<>();
		List<String> outcomes = new ArrayList<>(batch.size());
		Set<DeliveryRepository.EndpointKey> succeeded = new LinkedHashSet<>();
		Set<DeliveryRepository.EndpointKey> failed = new LinkedHashSet<>();
		Set<DeliveryRepository.EndpointKey> gone = new LinkedHashSet<>();
		for (Result result : batch) {
			DeliveryRepository.Claimed delivery = result.delivery();
			DeliveryRepository.EndpointKey endpoint = new DeliveryRepository.EndpointKey(delivery.brandId(),
					delivery.endpointId());
			switch (result.kind()) {
				case HELD -> {
					outcomes.add("held");
					completions
						.add(new DeliveryRepository.Completion(delivery.brandId(), delivery.id(), delivery.attempt(),
								"held", delivery.attempt() - 1, null, null, null, null, result.at(), 0, false));
				}
				case ENDPOINT_GONE -> {
					outcomes.add("dead");
					completions.add(new DeliveryRepository.Completion(delivery.brandId(), delivery.id(),
							delivery.attempt(), "dead", delivery.attempt() - 1, null, null, "The endpoint was deleted.",
							null, result.at(), 0, false));
				}
				case ATTEMPTED -> {
					DeliverySender.Attempt attempt = result.attempt();
					String status;
					Instant next = null;
					switch (attempt.outcome()) {
						case SUCCEEDED -> {
							status = "succeeded";
							outcomes.add("succeeded");
							succeeded.add(endpoint);
						}
						case GONE -> {
							// The endpoint is disabled in this transaction; the delivery
							// is
							// held with the rest of its deliveries and sent again when
							// the
							// endpoint is enabled, not lost.
							status = "held";
							outcomes.add("held");
							gone.add(endpoint);
						}
						case FAILED, TIMED_OUT, UNREACHABLE -> {
							next = this.retries.next(delivery.attemptInRound(), now, attempt.retryAfter());
							status = (next != null) ? "pending" : "dead";
							outcomes.add((next != null) ? "retrying" : "dead");
							failed.add(endpoint);
						}
						default -> throw new IllegalStateException();
					}
					completions.add(new DeliveryRepository.Completion(delivery.brandId(), delivery.id(),
							delivery.attempt(), status, delivery.attempt(), next, attempt.statusCode(), attempt.error(),
							attempt.excerpt(), attempt.startedAt(), attempt.durationMillis(), true));
				}
			}
		}
		succeeded.removeAll(failed);
		Set<UUID> endpoints = new HashSet<>();
		batch.forEach((result) -> endpoints.add(result.delivery().endpointId()));
		this.transactions.executeWithoutResult((status) -> {
			this.repository.lockForRecording(endpoints);
			this.repository.complete(completions, now);
			List<DeliveryRepository.EndpointKey> overdue = this.repository.trackFailures(List.copyOf(succeeded),
					List.copyOf(failed), now, now.minus(this.properties.disableAfter()));
			for (DeliveryRepository.EndpointKey endpoint : gone) {
				disable(endpoint, "The endpoint answered 410 Gone.", now);
			}
			for (DeliveryRepository.EndpointKey endpoint : overdue) {
				disable(endpoint,
						"Every delivery failed for more than " + this.properties.disableAfter().toHours() + " hours.",
						now);
			}
		});
		return outcomes;
	}

	/**
	 * Counts recorded attempts as {@code resonance.webhook.deliveries} by what became of
	 * the delivery: {@code succeeded}, {@code retrying} (failed, another attempt is
	 * scheduled), {@code dead} (no more attempts: out of retries, endpoint deleted) or
	 * {@code held} (its endpoint is disabled, or answered 410 Gone and was disabled).
	 */
	private void count(List<String> outcomes) {
		for (String outcome : outcomes) {
			deliveries(this.meters, outcome).increment();
		}
	}

	private static Counter deliveries(MeterRegistry meters, String outcome) {
		return Counter.builder("resonance.webhook.deliveries")
			.description("Webhook delivery attempts recorded, by what became of the delivery")
			.tag("outcome", outcome)
			.register(meters);
	}

	/** Disables an endpoint and tells the brand's other endpoints (webhook.disabled). */
	private void disable(DeliveryRepository.EndpointKey endpoint, String reason, Instant now) {
		String url = this.repository.disable(endpoint, reason, now);
		if (url == null) {
			return;
		}
		// The brand's receiver failing is the brand's to fix (webhook.disabled tells it),
		// not
		// a fault of this node: information for the operator, not a warning.
		log.info("Disabled webhook endpoint {} of brand {}: {}", endpoint.id(), endpoint.brandId(), reason);
		this.directory.evictEverywhere(endpoint.brandId());
		Map<String, Object> data = new java.util.LinkedHashMap<>();
		data.put("webhookId", endpoint.id().toString());
		data.put("url", url);
		data.put("reason", reason);
		data.put("disabledAt", Webhooks.timestamp(now));
		this.webhooks.publish(
				new Webhooks.Publication(endpoint.brandId(), "webhook.disabled", null, data, Map.of(), endpoint.id()));
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void start() {
		if (!this.properties.workerEnabled()) {
			return;
		}
		this.running = true;
		this.dispatcher = Thread.ofPlatform().name("webhook-dispatcher").daemon(true).start(this::dispatch);
		this.writer = Thread.ofPlatform().name("webhook-writer").daemon(true).start(this::write);
	}

	@Override
	public void stop() {
		if (!this.running) {
			return;
		}
		this.running = false;
		wakeUp();
		try {
			this.dispatcher.join(5_000);
			// Attempts under way finish and are recorded; what is not recorded is sent
			// again later.
			if (this.capacity.tryAcquire(this.maxInFlight, this.properties.requestTimeout().toMillis() + 1_000,
					TimeUnit.MILLISECONDS)) {
				this.capacity.release(this.maxInFlight);
			}
			this.writer.join(5_000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/** Stops before the database does. */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 1536;
	}

	enum Kind {

		ATTEMPTED, HELD, ENDPOINT_GONE

	}

	record Result(DeliveryRepository.Claimed delivery, DeliverySender.Attempt attempt, Kind kind, Instant at) {
	}

	private record LagReport(long millis, long atNanos) {
	}

}
