package bot.resonance.webhooks.internal;

import java.time.Clock;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import bot.resonance.platform.cluster.ClusterSignals;
import bot.resonance.webhooks.WebhookProperties;
import bot.resonance.webhooks.Webhooks;
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

	private final Semaphore capacity;

	private final Map<UUID, AtomicInteger> inFlight = new ConcurrentHashMap<>();

	private final BlockingQueue<Result> results = new LinkedBlockingQueue<>();

	private final Semaphore wake = new Semaphore(0);

	private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();

	private volatile boolean running;

	private Thread dispatcher;

	private Thread writer;

	DeliveryWorker(DeliveryRepository repository, WebhookDirectory directory, DeliverySender sender, Webhooks webhooks,
			WebhookProperties properties, PlatformTransactionManager transactionManager, Clock clock,
			ClusterSignals signals) {
		this.repository = repository;
		this.directory = directory;
		this.sender = sender;
		this.webhooks = webhooks;
		this.properties = properties;
		this.transactions = new TransactionTemplate(transactionManager);
		this.clock = clock;
		this.retries = new RetryPolicy(properties, new SplittableRandom());
		this.maxInFlight = Math.max(1, properties.maxInFlight());
		this.capacity = new Semaphore(this.maxInFlight);
		signals.subscribe(OutboxRepository.DELIVERIES_CHANNEL, (payload) -> wakeUp(), this::wakeUp);
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
				// Signals from here on (a send finishing, a new message) are kept for the
				// wait below, so none is lost while the claim runs.
				this.wake.drainPermits();
				List<DeliveryRepository.Claimed> claimed = claim(Math.min(free, this.properties.claimBatchSize()));
				for (DeliveryRepository.Claimed delivery : claimed) {
					this.capacity.acquire();
					this.inFlight.computeIfAbsent(delivery.endpointId(), (id) -> new AtomicInteger()).incrementAndGet();
					this.senders.execute(() -> send(delivery));
				}
				if (claimed.isEmpty()) {
					this.wake.tryAcquire(this.properties.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (RuntimeException ex) {
				log.warn("Claiming webhook deliveries failed; retrying shortly", ex);
				sleep(1_000);
			}
		}
	}

	private List<DeliveryRepository.Claimed> claim(int limit) {
		Map<UUID, Integer> busy = new HashMap<>();
		int cap = Math.max(1, this.properties.perEndpointConcurrency());
		this.inFlight.forEach((endpoint, count) -> {
			int active = count.get();
			if (active > 0) {
				busy.put(endpoint, Math.max(0, cap - active));
			}
		});
		Instant now = this.clock.instant();
		List<DeliveryRepository.Claimed> claimed = this.transactions.execute(
				(status) -> this.repository.claim(now, now.plus(this.properties.claimTimeout()), limit, cap, busy));
		return (claimed != null) ? claimed : List.of();
	}

	private void send(DeliveryRepository.Claimed delivery) {
		try {
			Optional<WebhookDirectory.Configured> target = this.directory.forBrand(delivery.brandId())
				.endpoint(delivery.endpointId());
			Instant now = this.clock.instant();
			if (target.isEmpty()) {
				this.results.add(new Result(delivery, null, Kind.ENDPOINT_GONE, now));
			}
			else if (!target.get().endpoint().active()) {
				this.results.add(new Result(delivery, null, Kind.HELD, now));
			}
			else {
				DeliverySender.Attempt attempt = this.sender.send(delivery, target.get());
				this.results.add(new Result(delivery, attempt, Kind.ATTEMPTED, now));
			}
		}
		catch (RuntimeException ex) {
			log.error("Sending delivery {} failed unexpectedly", delivery.id(), ex);
			this.results.add(new Result(delivery,
					DeliverySender.Attempt.failed(this.clock.instant(), 0, "Internal error while sending."),
					Kind.ATTEMPTED, this.clock.instant()));
		}
		finally {
			AtomicInteger count = this.inFlight.get(delivery.endpointId());
			if (count != null && count.decrementAndGet() <= 0) {
				this.inFlight.remove(delivery.endpointId(), count);
			}
			this.capacity.release();
			wakeUp();
		}
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
				record(batch);
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
				batch.clear();
			}
		}
	}

	private void record(List<Result> batch) {
		Instant now = this.clock.instant();
		List<DeliveryRepository.Completion> completions = new ArrayList<>();
		Set<DeliveryRepository.EndpointKey> succeeded = new LinkedHashSet<>();
		Set<DeliveryRepository.EndpointKey> failed = new LinkedHashSet<>();
		Set<DeliveryRepository.EndpointKey> gone = new LinkedHashSet<>();
		for (Result result : batch) {
			DeliveryRepository.Claimed delivery = result.delivery();
			DeliveryRepository.EndpointKey endpoint = new DeliveryRepository.EndpointKey(delivery.brandId(),
					delivery.endpointId());
			switch (result.kind()) {
				case HELD -> completions
					.add(new DeliveryRepository.Completion(delivery.brandId(), delivery.id(), delivery.attempt(),
							"held", delivery.attempt() - 1, null, null, null, null, result.at(), 0, false));
				case ENDPOINT_GONE -> completions.add(new DeliveryRepository.Completion(delivery.brandId(),
						delivery.id(), delivery.attempt(), "dead", delivery.attempt() - 1, null, null,
						"The endpoint was deleted.", null, result.at(), 0, false));
				case ATTEMPTED -> {
					DeliverySender.Attempt attempt = result.attempt();
					String status;
					Instant next = null;
					switch (attempt.outcome()) {
						case SUCCEEDED -> {
							status = "succeeded";
							succeeded.add(endpoint);
						}
						case GONE -> {
							status = "dead";
							gone.add(endpoint);
						}
						case FAILED, TIMED_OUT, UNREACHABLE -> {
							next = this.retries.next(delivery.attemptInRound(), now, attempt.retryAfter());
							status = (next != null) ? "pending" : "dead";
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
	}

	/** Disables an endpoint and tells the brand's other endpoints (webhook.disabled). */
	private void disable(DeliveryRepository.EndpointKey endpoint, String reason, Instant now) {
		String url = this.repository.disable(endpoint, reason, now);
		if (url == null) {
			return;
		}
		log.warn("Disabled webhook endpoint {} of brand {}: {}", endpoint.id(), endpoint.brandId(), reason);
		this.directory.evictEverywhere(endpoint.brandId());
		Map<String, Object> data = new java.util.LinkedHashMap<>();
		data.put("webhookId", endpoint.id().toString());
		data.put("url", url);
		data.put("reason", reason);
		data.put("disabledAt", Webhooks.timestamp(now));
		this.webhooks.publish(new Webhooks.Publication(endpoint.brandId(), "webhook.disabled", null, data));
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

}
