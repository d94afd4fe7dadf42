package bot.resonance.integrations.shopify;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import bot.resonance.brands.Brand;
import bot.resonance.identity.Identities;
import bot.resonance.identity.Identity;
import bot.resonance.identity.IdentityKind;
import bot.resonance.identity.InvalidIdentityException;
import bot.resonance.platform.crypto.Hashing;
import bot.resonance.platform.ids.IdGenerator;
import bot.resonance.platform.web.ApiException;
import bot.resonance.platform.web.TextChecks;
import bot.resonance.rewards.EventRequest;
import bot.resonance.rewards.IngestOutcome;
import bot.resonance.rewards.RewardEvents;
import bot.resonance.rewards.RejectionCode;
import bot.resonance.rewards.Submission;
import bot.resonance.platform.logging.Failures;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Acts on a verified Shopify webhook, once per {@code X-Shopify-Webhook-Id}: the brand's
 * order topic becomes an event of its configured type for the customer's email (one event
 * per order, whatever the webhook id: its Idempotency-Key is derived from the order id),
 * {@code refunds/create} reverses the order's reward in proportion, other topics are
 * acknowledged and ignored. What Shopify should not send again is answered {@code 200};
 * only a busy server ({@code 503}) or the brand's rate limit ({@code 429}) asks for a
 * retry, and then the webhook id is forgotten so the retry acts.
 */
@Component
class ShopifyWebhooks {

	private static final Logger log = LoggerFactory.getLogger(ShopifyWebhooks.class);

	static final String SOURCE = "shopify";

	private final ShopifyRepository repository;

	private final RefundReversals reversals;

	private final RewardEvents events;

	private final Identities identities;

	private final IdGenerator ids;

	private final JsonMapper json;

	private final Clock clock;

	private final HeldRefunds heldRefunds;

	ShopifyWebhooks(ShopifyRepository repository, RefundReversals reversals, RewardEvents events, Identities identities,
			IdGenerator ids, JsonMapper json, Clock clock, HeldRefunds heldRefunds) {
		this.repository = repository;
		this.reversals = reversals;
		this.heldRefunds = heldRefunds;
		this.events = events;
		this.identities = identities;
		this.ids = ids;
		this.json = json;
		this.clock = clock;
	}

	/**
	 * Handles a delivery whose signature was verified.
	 * @throws ApiException for a malformed payload ({@code 400}), or to make Shopify
	 * retry ({@code 429}, {@code 503})
	 */
	Map<String, Object> handle(Brand brand, ShopifySettings settings, Delivery delivery) {
		Instant now = this.clock.instant();
		String brandId = brand.brandId();
		if (!settings.enabled()) {
			return answer(Map.of("outcome", "ignored", "note",
					"The Shopify integration is disabled for this brand; the webhook was not acted on."));
		}
		// Read the payload first: a malformed one is refused without being remembered.
		Work work = work(settings, delivery);
		if (!this.repository.claimWebhook(brandId, delivery.webhookId(), delivery.topic(), now)) {
			return duplicate(brandId, delivery.webhookId());
		}
		Handled handled;
		try {
			handled = switch (work) {
				case Work.OrderWork order -> order(brand, settings, delivery, order.order(), now);
				case Work.RefundWork refund -> refund(brandId, refund.refund());
				case Work.Ignored ignored -> new Handled(
						"ignored", null, "Topic " + delivery.topic()
								+ " is not one Resonance acts on (the order topic is " + settings.orderTopic() + ").",
						Map.of());
			};
		}
		catch (RuntimeException ex) {
			this.repository.releaseWebhook(brandId, delivery.webhookId());
			throw ex;
		}
		this.repository.completeWebhook(brandId, delivery.webhookId(), handled.outcome, handled.eventId, handled.note);
		Map<String, Object> body = new LinkedHashMap<>();
		if (handled.eventId != null) {
			body.put("event_id", handled.eventId);
		}
		body.put("outcome", handled.outcome);
		body.putAll(handled.details);
		if (handled.note != null) {
			body.put("note", handled.note);
		}
		return answer(body);
	}

	private Work work(ShopifySettings settings, Delivery delivery) {
		if (delivery.topic().equals(settings.orderTopic())) {
			return new Work.OrderWork(ShopifyPayloads.order(delivery.payload()));
		}
		if (delivery.topic().equals(ShopifySettings.REFUNDS_CREATE)) {
			return new Work.RefundWork(ShopifyPayloads.refund(delivery.payload()));
		}
		return new Work.Ignored();
	}

	private Handled order(Brand brand, ShopifySettings settings, Delivery delivery, ShopifyPayloads.Order order,
			Instant now) {
		if (order.email() == null) {
			return new Handled("no_email", null, "Order " + order.id()
					+ " has no customer email (email, contact_email or customer.email): there is no one to reward.",
					Map.of());
		}
		Identity identity = customer(brand, order.email());
		if (identity == null) {
			return new Handled("invalid_email", null,
					"Order " + order.id() + "'s customer email is not an email address: there is no one to reward.",
					Map.of());
		}
		String key = "shopify-order:" + order.id();
		EventRequest request = new EventRequest(settings.eventType(), identity.value(), null, null,
				metadata(delivery, order), null, identity, null);
		// The key alone identifies the request: the same order sent again (a new
		// webhook id, a re-sent payload with other timestamps) replays the first answer.
		Submission.NewEvent submission = new Submission.NewEvent(this.ids.prefixed("evt_"), brand, request, key,
				Hashing.sha256(key), now, SOURCE);
		IngestOutcome outcome = await(submission);
		return switch (outcome) {
			case IngestOutcome.Awarded awarded -> {
				this.repository.recordOrder(brand.brandId(), order.id(), awarded.eventId(), identity, order.total(),
						now);
				yield new Handled("awarded", awarded.eventId(), heldRefunds(brand.brandId(), order.id(), false),
						Map.of("amount", awarded.amount(), "currency", awarded.currency()));
			}
			case IngestOutcome.Pending pending -> {
				this.repository.recordOrder(brand.brandId(), order.id(), pending.eventId(), identity, order.total(),
						now);
				// Refunds that came first now wait for the event's release.
				recheckHeldRefunds(brand.brandId(), order.id());
				yield new Handled("pending", pending.eventId(), "Accepted as pending (" + pending.reason().name()
						+ "), processed after " + pending.processAfter() + ".", Map.of());
			}
			case IngestOutcome.Rejected rejected -> {
				if (rejected.code() == RejectionCode.RATE_LIMITED) {
					long retryAfter = (rejected.retryAfterSeconds() != null) ? rejected.retryAfterSeconds() : 1L;
					throw new ApiException(HttpStatus.TOO_MANY_REQUESTS, "rate_limited", rejected.message())
						.withHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
				}
				String dropped = heldRefunds(brand.brandId(), order.id(), true);
				yield new Handled("rejected", rejected.eventId(),
						rejected.message() + ((dropped != null) ? " " + dropped : ""),
						Map.of("code", rejected.code().name()));
			}
			case IngestOutcome.Replayed replayed -> replayed(brand.brandId(), order, identity, replayed);
			case IngestOutcome.KeyReused reused -> new Handled("rejected", null,
					"The Idempotency-Key " + key
							+ " was used by another request of this brand (an event sent with that key): the order is "
							+ "not rewarded twice.",
					Map.of("code", "IDEMPOTENCY_KEY_REUSED"));
			case IngestOutcome.Unavailable unavailable -> throw unavailable(unavailable.message());
			case IngestOutcome.Failed failed -> throw unavailable("The order could not be processed; retry later.");
			case IngestOutcome.Skipped skipped -> throw unavailable("The order could not be processed; retry later.");
		};
	}

	/**
	 * The customer an order's email names; {@code null} if it names no one (a NUL or half
	 * a surrogate pair makes it no address, rather than another one once cleaned).
	 */
	private @Nullable Identity customer(Brand brand, String email) {
		if (!TextChecks.isStorable(email)) {
			return null;
		}
		try {
			return this.identities.parse(brand.brandId(), IdentityKind.EMAIL, email);
		}
		catch (InvalidIdentityException ex) {
			return null;
		}
	}

	/**
	 * Settles the refunds that came before the order's outcome was known, and says what
	 * became of them ({@code null} if there were none).
	 */
	private @Nullable String heldRefunds(String brandId, String orderId, boolean rejected) {
		List<RefundReversals.Result> settled;
		try {
			settled = this.reversals.settle(brandId, orderId, rejected, Instant.MIN);
		}
		catch (RuntimeException ex) {
			// The order stands; its held-refund job settles its refunds shortly.
			Failures.warn(log, ex, "Settling the held refunds of Shopify order {} (brand {}) failed; its job retries",
					orderId, brandId);
			recheckHeldRefunds(brandId, orderId);
			return "Refunds received before the order are reversed shortly.";
		}
		if (settled.isEmpty()) {
			return null;
		}
		long reversed = settled.stream().filter((result) -> result instanceof RefundReversals.Result.Reversed).count();
		long taken = settled.stream()
			.mapToLong((result) -> (result instanceof RefundReversals.Result.Reversed r) ? r.reversed() : 0)
			.sum();
		return rejected ? settled.size() + " refund(s) received before the order have nothing to reverse."
				: settled.size() + " refund(s) received before the order were settled: " + reversed
						+ " reversed, taking back " + taken + " of the reward.";
	}

	private void recheckHeldRefunds(String brandId, String orderId) {
		try {
			this.heldRefunds.recheck(brandId, orderId);
		}
		catch (RuntimeException ex) {
			// Its job is due when the refunds are given up at the latest.
			Failures.warn(log, ex, "Rescheduling the held refunds of Shopify order {} (brand {}) failed", orderId,
					brandId);
		}
	}

	/** The order was submitted before (another webhook of the same order). */
	private Handled replayed(String brandId, ShopifyPayloads.Order order, Identity identity,
			IngestOutcome.Replayed replayed) {
		JsonNode first;
		try {
			first = this.json.readTree(replayed.body());
		}
		catch (JacksonException ex) {
			first = this.json.createObjectNode();
		}
		String eventId = first.path("event_id").isString() ? first.path("event_id").stringValue() : null;
		boolean success = first.path("success").asBoolean(false);
		if (success && eventId != null) {
			// Normally recorded already; this heals an order whose first answer was lost.
			this.repository.recordOrder(brandId, order.id(), eventId, identity, order.total(), this.clock.instant());
		}
		String outcome = success ? first.path("status").asString("awarded") : "rejected";
		return new Handled(outcome, eventId, "Order " + order.id() + " was received before; it is rewarded once.",
				Map.of("duplicate", true));
	}

	private Handled refund(String brandId, ShopifyPayloads.Refund refund) {
		RefundReversals.Result result;
		try {
			result = this.reversals.reverse(brandId, refund);
		}
		catch (DuplicateKeyException ex) {
			// The same refund reversed concurrently under another webhook id.
			result = this.repository
				.reversal(brandId, RefundReversals.SOURCE, refund.id()).<RefundReversals
						.Result>map(RefundReversals.Result.AlreadyReversed::new)
				.orElseThrow(() -> ex);
		}
		return switch (result) {
			case RefundReversals.Result.Reversed reversed -> {
				Map<String, Object> details = new LinkedHashMap<>();
				details.put("reversal_id", reversed.reversalId());
				details.put("amount", reversed.amount());
				details.put("reversed", reversed.reversed());
				details.put("shortfall", reversed.shortfall());
				details.put("currency", reversed.currency());
				yield new Handled("reversed", reversed.eventId(),
						(reversed.shortfall() > 0) ? "The member's balance covered " + reversed.reversed() + " of "
								+ reversed.amount() + "; the rest was spent already." : null,
						details);
			}
			case RefundReversals.Result.AlreadyReversed already ->
				new Handled("reversed", already.reversal().eventId(), "Refund " + refund.id() + " was reversed before.",
						Map.of("duplicate", true, "reversal_id", already.reversal().id()));
			case RefundReversals.Result.NothingToReverse nothing ->
				new Handled("nothing_to_reverse", nothing.eventId(), nothing.note(), Map.of());
			case RefundReversals.Result.Held held -> new Handled("held", held.eventId(), held.note(), Map.of());
		};
	}

	private Map<String, Object> duplicate(String brandId, String webhookId) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("duplicate", true);
		this.repository.webhook(brandId, webhookId).ifPresent((previous) -> {
			if (previous.eventId() != null) {
				body.put("event_id", previous.eventId());
			}
			body.put("outcome", previous.outcome());
		});
		body.put("note", "Webhook " + webhookId + " was received before; it was not acted on again.");
		return answer(body);
	}

	private @Nullable String metadata(Delivery delivery, ShopifyPayloads.Order order) {
		Map<String, Object> metadata = new LinkedHashMap<>();
		metadata.put("platform", "shopify");
		if (delivery.shopDomain() != null) {
			metadata.put("shop", delivery.shopDomain());
		}
		metadata.put("order_id", order.id());
		if (order.orderNumber() != null) {
			metadata.put("order_number", order.orderNumber());
		}
		if (order.total() != null) {
			metadata.put("total", order.total());
		}
		if (order.currency() != null) {
			metadata.put("currency", order.currency());
		}
		metadata.put("items", order.items());
		return this.json.writeValueAsString(metadata);
	}

	private IngestOutcome await(Submission.NewEvent submission) {
		return this.events.submitAndWait(submission,
				"The order is taking too long to process; Shopify's retry will learn its outcome without rewarding it twice.");
	}

	private static ApiException unavailable(String message) {
		return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "service_unavailable", message)
			.withHeader(HttpHeaders.RETRY_AFTER, "1");
	}

	private static Map<String, Object> answer(Map<String, Object> details) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("received", true);
		body.putAll(details);
		return body;
	}

	/**
	 * A verified delivery.
	 *
	 * @param topic {@code X-Shopify-Topic}
	 * @param webhookId {@code X-Shopify-Webhook-Id}
	 * @param shopDomain {@code X-Shopify-Shop-Domain}, if sent
	 * @param payload the parsed body
	 */
	record Delivery(String topic, String webhookId, @Nullable String shopDomain, JsonNode payload) {
	}

	/** What a delivery asks for. */
	private sealed interface Work {

		record OrderWork(ShopifyPayloads.Order order) implements Work {
		}

		record RefundWork(ShopifyPayloads.Refund refund) implements Work {
		}

		record Ignored() implements Work {
		}

	}

	/** What was done, for the answer and the webhook record. */
	private record Handled(String outcome, @Nullable String eventId, @Nullable String note,
			Map<String, Object> details) {
	}

}
