package bot.resonance.webhooks;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import bot.resonance.webhooks.DeliveryView;
import bot.resonance.platform.ids.IdGenerator;
import bot.resonance.platform.web.ApiException;
import bot.resonance.platform.web.Page;
import bot.resonance.webhooks.WebhookProperties;
import bot.resonance.webhooks.internal.DeliveryQueries;
import bot.resonance.webhooks.internal.DeliveryRepository;
import bot.resonance.webhooks.internal.EndpointRepository;
import bot.resonance.webhooks.internal.OutboxRepository;
import bot.resonance.webhooks.internal.TargetGuard;
import bot.resonance.webhooks.internal.WebhookCatalogue;
import bot.resonance.webhooks.internal.WebhookDirectory;
import bot.resonance.webhooks.internal.WebhookSigner;
import bot.resonance.webhooks.internal.Webhooks;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** What a brand does with its webhook endpoints. */
@Service
public class WebhookAdministration {

	private final EndpointRepository endpoints;

	private final DeliveryRepository deliveries;

	private final DeliveryQueries queries;

	private final OutboxRepository outbox;

	private final WebhookDirectory directory;

	private final WebhookCatalogue catalogue;

	private final TargetGuard guard;

	private final WebhookProperties properties;

	private final IdGenerator ids;

	private final JsonMapper json;

	private final Clock clock;

	WebhookAdministration(EndpointRepository endpoints, DeliveryRepository deliveries, DeliveryQueries queries,
			OutboxRepository outbox, WebhookDirectory directory, WebhookCatalogue catalogue, TargetGuard guard,
			WebhookProperties properties, IdGenerator ids, JsonMapper json, Clock clock) {
		this.endpoints = endpoints;
		this.deliveries = deliveries;
		this.queries = queries;
		this.outbox = outbox;
		this.directory = directory;
		this.catalogue = catalogue;
		this.guard = guard;
		this.properties = properties;
		this.ids = ids;
		this.json = json;
		this.clock = clock;
	}

	@Transactional
	public Created create(String brandId, String url, @Nullable String description, @Nullable List<String> eventTypes,
			boolean enabled) {
		Instant now = this.clock.instant();
		Endpoint endpoint = new Endpoint(brandId, UUID.randomUUID(), checkUrl(url), description,
				checkEvents(eventTypes), enabled, false, null, null, now, now);
		if (this.endpoints.countLocked(brandId) >= this.properties.maxEndpointsPerBrand()) {
			throw ApiException.conflict("webhook_limit_reached", "A brand can have at most "
					+ this.properties.maxEndpointsPerBrand() + " webhook endpoints. Delete one first.");
		}
		this.endpoints.insert(endpoint);
		String secret = WebhookSigner.newSecret();
		this.endpoints.insertSecret(brandId, endpoint.id(), secret, now);
		this.directory.evictEverywhere(brandId);
		return new Created(endpoint, secret);
	}

	public Endpoint get(String brandId, UUID id) {
		return find(brandId, id, false);
	}

	public Page<Endpoint> list(String brandId, @Nullable UUID startingAfter, int limit) {
		return Page.of(this.endpoints.list(brandId, startingAfter, limit + 1), limit, (e) -> e.id().toString());
	}

	/** Changes an endpoint; a field that is absent (null here) keeps its value. */
	@Transactional
	public Endpoint update(String brandId, UUID id, @Nullable String url, @Nullable Description description,
			@Nullable EventTypes eventTypes, @Nullable Boolean enabled) {
		Endpoint current = find(brandId, id, true);
		Instant now = this.clock.instant();
		boolean enable = (enabled != null) ? enabled : current.enabled();
		Endpoint updated = new Endpoint(brandId, id, (url != null) ? checkUrl(url) : current.url(),
				(description != null) ? description.value() : current.description(),
				(eventTypes != null) ? checkEvents(eventTypes.value()) : current.eventTypes(), enable, current.paused(),
				enable ? null : current.disabledReason(), enable ? null : current.failingSince(), current.createdAt(),
				now);
		this.endpoints.update(updated);
		if (enable && !current.enabled() && !updated.paused()) {
			this.deliveries.release(brandId, id, now);
		}
		else if (!enable && current.enabled()) {
			this.deliveries.hold(brandId, id, now);
		}
		this.directory.evictEverywhere(brandId);
		return updated;
	}

	@Transactional
	public void delete(String brandId, UUID id) {
		find(brandId, id, true);
		this.endpoints.delete(brandId, id);
		this.directory.evictEverywhere(brandId);
	}

	@Transactional
	public Endpoint pause(String brandId, UUID id) {
		Endpoint current = find(brandId, id, true);
		Instant now = this.clock.instant();
		Endpoint paused = withPaused(current, true, now);
		this.endpoints.update(paused);
		this.deliveries.hold(brandId, id, now);
		this.directory.evictEverywhere(brandId);
		return paused;
	}

	@Transactional
	public Endpoint resume(String brandId, UUID id) {
		Endpoint current = find(brandId, id, true);
		Instant now = this.clock.instant();
		Endpoint resumed = withPaused(current, false, now);
		this.endpoints.update(resumed);
		if (resumed.enabled()) {
			this.deliveries.release(brandId, id, now);
		}
		this.directory.evictEverywhere(brandId);
		this.outbox.wakeWorkers();
		return resumed;
	}

	@Transactional
	public Rotated rotateSecret(String brandId, UUID id, @Nullable Duration gracePeriod) {
		find(brandId, id, true);
		Instant now = this.clock.instant();
		Instant expires = now.plus((gracePeriod != null) ? gracePeriod : this.properties.secretGracePeriod());
		this.endpoints.expireSecrets(brandId, id, now, expires);
		String secret = WebhookSigner.newSecret();
		this.endpoints.insertSecret(brandId, id, secret, now);
		this.directory.evictEverywhere(brandId);
		return new Rotated(secret, gracePeriod == null || !gracePeriod.isZero() ? expires : now);
	}

	/** The secrets that sign now, newest first. */
	public List<String> secrets(String brandId, UUID id) {
		find(brandId, id, false);
		Instant now = this.clock.instant();
		return this.endpoints.secrets(brandId)
			.getOrDefault(id, List.of())
			.stream()
			.filter((secret) -> secret.expiresAt() == null || secret.expiresAt().isAfter(now))
			.map(EndpointRepository.Secret::value)
			.toList();
	}

	/**
	 * The Test button: sends the catalogue example of an event to this endpoint only,
	 * through the real pipeline (signing, retries, history).
	 */
	@Transactional
	public TestSent test(String brandId, UUID id, String event) {
		Endpoint endpoint = find(brandId, id, false);
		WebhookCatalogue.Entry entry = this.catalogue.find(event)
			.orElseThrow(
					() -> ApiException.invalidRequest("Unknown event '" + event + "'. See GET /v1/webhook-events."));
		Instant now = this.clock.instant();
		String messageId = this.ids.prefixed("msg_");
		ObjectNode example = ((ObjectNode) entry.example()).deepCopy();
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("id", messageId);
		body.put("event", event);
		body.put("guildId", example.path("guildId").isNull() ? null : example.path("guildId").asString());
		body.put("timestamp", Webhooks.timestamp(now));
		body.put("data", example.get("data"));
		example.properties().forEach((field) -> {
			if (!body.containsKey(field.getKey())) {
				body.put(field.getKey(), field.getValue());
			}
		});
		String deliveryId = this.ids.prefixed("dlv_");
		this.outbox.enqueue(
				List.of(new OutboxRepository.Message(brandId, messageId, event, this.json.writeValueAsString(body))),
				List.of(new OutboxRepository.Delivery(brandId, deliveryId, id, messageId, event,
						endpoint.active() ? "pending" : "held")),
				now);
		return new TestSent(messageId, deliveryId, event, endpoint.active() ? "pending" : "held");
	}

	public Page<DeliveryView> deliveries(String brandId, UUID id, @Nullable String status, @Nullable String event,
			@Nullable String startingAfter, int limit) {
		find(brandId, id, false);
		// As the docs write them too: DEAD is dead.
		String state = (status != null) ? status.toLowerCase(java.util.Locale.ROOT) : null;
		if (state != null && !List.of("pending", "sending", "succeeded", "dead", "held").contains(state)) {
			throw ApiException.invalidRequest("status must be one of pending, sending, succeeded, dead, held.");
		}
		return Page.of(this.queries.list(brandId, id, state, event, startingAfter, limit + 1), limit,
				DeliveryView::deliveryId);
	}

	@Transactional
	public DeliveryView retry(String brandId, UUID id, String deliveryId) {
		Endpoint endpoint = find(brandId, id, false);
		DeliveryView delivery = this.queries.find(brandId, id, deliveryId)
			.orElseThrow(() -> ApiException.notFound("delivery_not_found",
					"No delivery " + deliveryId + " of this webhook."));
		if (!this.queries.requeue(brandId, id, deliveryId, endpoint.active(), this.clock.instant())) {
			throw ApiException.conflict("delivery_in_progress", "Delivery " + deliveryId + " is " + delivery.status()
					+ ": only dead or succeeded deliveries are re-queued.");
		}
		this.outbox.wakeWorkers();
		return this.queries.find(brandId, id, deliveryId).orElseThrow();
	}

	@Transactional
	public int recover(String brandId, UUID id, Instant since) {
		Endpoint endpoint = find(brandId, id, false);
		int requeued = this.queries.recover(brandId, id, since, endpoint.active(), this.clock.instant());
		this.outbox.wakeWorkers();
		return requeued;
	}

	/**
	 * Every event an endpoint can subscribe to (and the Test button can send): the
	 * catalogue of {@code GET /v1/webhook-events}, in its order.
	 */
	public List<CatalogueEvent> catalogue() {
		return this.catalogue.all()
			.stream()
			.map((entry) -> new CatalogueEvent(entry.name(), entry.description()))
			.toList();
	}

	/**
	 * What happened to the deliveries of each of the brand's endpoints created since
	 * {@code since}; endpoints without any are absent.
	 */
	public Map<UUID, DeliveryStats> deliveryStats(String brandId, Instant since) {
		Map<UUID, long[]> counts = new LinkedHashMap<>();
		for (DeliveryQueries.StatusCount count : this.queries.countByStatus(brandId, since)) {
			long[] byStatus = counts.computeIfAbsent(count.endpointId(), (id) -> new long[4]);
			int slot = switch (count.status()) {
				case "succeeded" -> 0;
				case "pending", "sending" -> 1;
				case "dead" -> 2;
				default -> 3;
			};
			byStatus[slot] += count.deliveries();
		}
		Map<UUID, DeliveryStats> stats = new LinkedHashMap<>();
		counts.forEach((id, c) -> stats.put(id, new DeliveryStats(c[0], c[1], c[2], c[3])));
		return stats;
	}

	public @Nullable Long balanceChangeThreshold(String brandId) {
		return this.endpoints.balanceChangeThreshold(brandId);
	}

	@Transactional
	public void setBalanceChangeThreshold(String brandId, @Nullable Long threshold) {
		this.endpoints.saveBalanceChangeThreshold(brandId, threshold, this.clock.instant());
		this.directory.evictEverywhere(brandId);
	}

	/**
	 * The endpoint; with {@code lock}, locked (and its deliveries against the delivery
	 * workers) until the transaction ends.
	 */
	private Endpoint find(String brandId, UUID id, boolean lock) {
		if (lock) {
			this.deliveries.lockForChange(id);
		}
		return this.endpoints.find(brandId, id, lock)
			.orElseThrow(() -> ApiException.notFound("webhook_not_found", "No webhook " + id + " for this brand."));
	}

	private static Endpoint withPaused(Endpoint e, boolean paused, Instant now) {
		return new Endpoint(e.brandId(), e.id(), e.url(), e.description(), e.eventTypes(), e.enabled(), paused,
				e.disabledReason(), e.failingSince(), e.createdAt(), now);
	}

	private String checkUrl(String url) {
		String trimmed = url.trim();
		if (trimmed.isEmpty() || trimmed.length() > 2048) {
			throw ApiException.invalidRequest("url must be 1 to 2048 characters.");
		}
		URI uri;
		try {
			uri = new URI(trimmed);
		}
		catch (java.net.URISyntaxException ex) {
			throw ApiException.invalidRequest("url is not a valid URL.");
		}
		this.guard.refusal(uri, true).ifPresent((reason) -> {
			// A refused address (a receiver on localhost while trying Resonance, one in
			// the operator's own network) can be allowed: say how.
			String hint = reason.contains(" resolves to ")
					? " The operator can allow an address range with resonance.webhooks.allowed-private-targets "
							+ "(environment variable RESONANCE_WEBHOOKS_ALLOWEDPRIVATETARGETS, e.g. 127.0.0.0/8 for a "
							+ "receiver on this machine)."
					: "";
			throw ApiException.invalidRequest("url is not allowed: " + reason + "." + hint);
		});
		return trimmed;
	}

	private @Nullable List<String> checkEvents(@Nullable List<String> eventTypes) {
		if (eventTypes == null) {
			return null;
		}
		if (eventTypes.isEmpty()) {
			throw ApiException.invalidRequest("event_types must name at least one event, or be null for all events.");
		}
		for (String event : eventTypes) {
			if (!this.catalogue.contains(event)) {
				throw ApiException
					.invalidRequest("event_types: unknown event '" + event + "'. See GET /v1/webhook-events.");
			}
		}
		return List.copyOf(new LinkedHashSet<>(eventTypes));
	}

	/** A new endpoint with its secret, shown this once. */
	public record Created(Endpoint endpoint, String secret) {
	}

	public record Rotated(String secret, Instant previousSecretExpiresAt) {
	}

	/**
	 * An event of the catalogue.
	 *
	 * @param name its name ({@code duel.finish}), sent as {@code X-Event}
	 * @param description what it tells of
	 */
	public record CatalogueEvent(String name, String description) {
	}

	/**
	 * Counts of an endpoint's deliveries by status.
	 *
	 * @param succeeded delivered (a 2xx answer)
	 * @param pending waiting for an attempt or being sent (including retries)
	 * @param dead every attempt failed
	 * @param held kept while the endpoint is paused or disabled
	 */
	public record DeliveryStats(long succeeded, long pending, long dead, long held) {
	}

	public record TestSent(String messageId, String deliveryId, String event, String status) {
	}

	/** A new description; {@code value} null clears it. */
	public record Description(@Nullable String value) {
	}

	/** New subscriptions; {@code value} null means all events. */
	public record EventTypes(@Nullable List<String> value) {
	}

}
