package bot.resonance.webhooks.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

import bot.resonance.platform.cluster.ClusterSignals;
import org.springframework.stereotype.Component;

/**
 * Each node's copy of every brand's webhook endpoints (with their signing keys) and
 * settings, so the outbox knows whom to deliver to and the workers whom to sign for
 * without a query. A node that changes a brand's webhooks tells every node at commit
 * (PostgreSQL NOTIFY); copies are also re-read after a minute.
 */
@Component
public class WebhookDirectory {

	static final String CHANNEL = "resonance_webhooks_changed";

	private static final long MAX_AGE_NANOS = 60_000_000_000L;

	private static final int MAX_BRANDS = 100_000;

	private final EndpointRepository repository;

	private final ClusterSignals signals;

	private final Clock clock;

	private final ConcurrentHashMap<String, BrandWebhooks> brands = new ConcurrentHashMap<>();

	private final AtomicLong evictions = new AtomicLong();

	WebhookDirectory(EndpointRepository repository, ClusterSignals signals, Clock clock) {
		this.repository = repository;
		this.signals = signals;
		this.clock = clock;
		signals.subscribe(CHANNEL, this::evict, this::clear);
	}

	public BrandWebhooks forBrand(String brandId) {
		BrandWebhooks cached = this.brands.get(brandId);
		if (cached != null && System.nanoTime() - cached.loadedAt < MAX_AGE_NANOS) {
			return cached;
		}
		long evictionsBefore = this.evictions.get();
		Map<UUID, List<EndpointRepository.Secret>> secrets = this.repository.secrets(brandId);
		List<Configured> endpoints = new ArrayList<>();
		for (Endpoint endpoint : this.repository.all(brandId)) {
			List<WebhookSigner.Secret> keys = secrets.getOrDefault(endpoint.id(), List.of())
				.stream()
				.map((secret) -> WebhookSigner.Secret.of(secret.value(), secret.expiresAt()))
				.toList();
			endpoints.add(new Configured(endpoint, keys));
		}
		BrandWebhooks loaded = new BrandWebhooks(List.copyOf(endpoints),
				this.repository.balanceChangeThreshold(brandId), System.nanoTime());
		if (this.evictions.get() == evictionsBefore) {
			if (this.brands.size() > MAX_BRANDS) {
				this.brands.clear();
			}
			this.brands.put(brandId, loaded);
		}
		return loaded;
	}

	/** Forgets a brand on every node once the current transaction commits. */
	public void evictEverywhere(String brandId) {
		evict(brandId);
		this.signals.send(CHANNEL, brandId);
	}

	private void evict(String brandId) {
		this.evictions.incrementAndGet();
		this.brands.remove(brandId);
	}

	private void clear() {
		this.evictions.incrementAndGet();
		this.brands.clear();
	}

	/**
	 * A brand's webhooks.
	 *
	 * @param endpoints its endpoints with their secrets
	 * @param balanceChangeThreshold the smallest balance change worth a balance.change
	 * event ({@code null}: none is sent)
	 * @param loadedAt when this copy was read ({@link System#nanoTime})
	 */
	public record BrandWebhooks(List<Configured> endpoints, @Nullable Long balanceChangeThreshold, long loadedAt) {

		/** Whether any endpoint wants this event (paused and disabled ones included). */
		public boolean anyWants(String event) {
			return this.endpoints.stream().anyMatch((e) -> e.endpoint().subscribes(event));
		}

		public Optional<Configured> endpoint(UUID id) {
			return this.endpoints.stream().filter((e) -> e.endpoint().id().equals(id)).findFirst();
		}

	}

	/** An endpoint with its signing secrets, newest first. */
	public record Configured(Endpoint endpoint, List<WebhookSigner.Secret> secrets) {

		/** The secrets that sign now, newest first. */
		public List<WebhookSigner.Secret> activeSecrets(Instant now) {
			return this.secrets.stream().filter((secret) -> secret.isActiveAt(now)).toList();
		}

	}

	Instant now() {
		return this.clock.instant();
	}

}
