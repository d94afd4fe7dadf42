package bot.resonance.webhooks.internal;

import bot.resonance.webhooks.Endpoint;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import bot.resonance.platform.cluster.ClusterCache;
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

	private final EndpointRepository repository;

	private final Clock clock;

	private final ClusterCache<BrandWebhooks> brands;

	WebhookDirectory(EndpointRepository repository, ClusterSignals signals, Clock clock) {
		this.repository = repository;
		this.clock = clock;
		this.brands = new ClusterCache<>(signals, CHANNEL, 100_000, Duration.ofMinutes(1));
	}

	public BrandWebhooks forBrand(String brandId) {
		return this.brands.get(brandId, () -> load(brandId));
	}

	private BrandWebhooks load(String brandId) {
		Map<UUID, List<EndpointRepository.Secret>> secrets = this.repository.secrets(brandId);
		List<Configured> endpoints = new ArrayList<>();
		for (Endpoint endpoint : this.repository.all(brandId)) {
			List<WebhookSigner.Secret> keys = secrets.getOrDefault(endpoint.id(), List.of())
				.stream()
				.map((secret) -> WebhookSigner.Secret.of(secret.value(), secret.expiresAt()))
				.toList();
			endpoints.add(new Configured(endpoint, keys));
		}
		return new BrandWebhooks(List.copyOf(endpoints), this.repository.balanceChangeThreshold(brandId));
	}

	/** Forgets a brand on every node once the current transaction commits. */
	public void evictEverywhere(String brandId) {
		this.brands.evictEverywhere(brandId);
	}

	/**
	 * A brand's webhooks.
	 *
	 * @param endpoints its endpoints with their secrets
	 * @param balanceChangeThreshold the smallest balance change worth a balance.change
	 * event ({@code null}: none is sent)
	 */
	public record BrandWebhooks(List<Configured> endpoints, @Nullable Long balanceChangeThreshold) {

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
