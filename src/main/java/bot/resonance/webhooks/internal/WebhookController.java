package bot.resonance.webhooks.internal;

import bot.resonance.webhooks.WebhookAdministration;
import bot.resonance.webhooks.Endpoint;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import bot.resonance.webhooks.DeliveryView;
import bot.resonance.brands.AuthenticatedBrand;
import bot.resonance.platform.web.ApiException;
import bot.resonance.platform.web.JsonPatch;
import bot.resonance.platform.web.Page;
import bot.resonance.platform.web.StrictWholeNumbers;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The webhook management API: {@code /v1/webhooks}, the event catalogue and the brand's
 * webhook settings.
 */
@RestController
@Tag(name = "Webhooks",
		description = "Endpoints that receive signed events, their deliveries, and the event catalogue.")
@SecurityRequirement(name = "apiKey")
class WebhookController implements StrictWholeNumbers {

	private final WebhookAdministration administration;

	private final WebhookCatalogue catalogue;

	WebhookController(WebhookAdministration administration, WebhookCatalogue catalogue) {
		this.administration = administration;
		this.catalogue = catalogue;
	}

	@PostMapping("/v1/webhooks")
	@Operation(operationId = "createWebhook", summary = "Create a webhook endpoint",
			responses = @ApiResponse(responseCode = "201", description = "Created; Location names the new endpoint"),
			description = "At most a fixed number of endpoints per brand (webhook_limit_reached beyond). Returns the endpoint with its signing secret (whsec_..., Standard Webhooks format). event_types absent or null: every event.")
	ResponseEntity<CreatedWebhook> create(AuthenticatedBrand caller, @Valid @RequestBody CreateWebhook request) {
		var created = this.administration.create(caller.brandId(), request.url(), request.description(),
				request.eventTypes(), (request.enabled() != null) ? request.enabled() : true);
		return ResponseEntity.created(URI.create("/v1/webhooks/" + created.endpoint().id()))
			.body(CreatedWebhook.of(created.endpoint(), created.secret()));
	}

	@GetMapping("/v1/webhooks")
	@Operation(operationId = "listWebhooks", summary = "List webhook endpoints",
			responses = @ApiResponse(responseCode = "200",
					description = "A page of the brand's webhook endpoints, oldest first; next_cursor continues it"),
			description = "Oldest first; pass next_cursor as starting_after for the next page.")
	Page<WebhookView> list(AuthenticatedBrand caller,
			@RequestParam(name = "limit", required = false) @Nullable Integer limit,
			@RequestParam(name = "starting_after", required = false) @Nullable String startingAfter) {
		Page<Endpoint> page = this.administration.list(caller.brandId(), Page.uuidCursor(startingAfter, "a webhook id"),
				Page.limit(limit));
		return new Page<>(page.data().stream().map(WebhookView::of).toList(), page.hasMore(), page.nextCursor());
	}

	@GetMapping("/v1/webhooks/{webhook_id}")
	@Operation(operationId = "getWebhook", summary = "Get a webhook endpoint",
			responses = @ApiResponse(responseCode = "200", description = "The endpoint, without its signing secret"),
			description = "With disabled_reason and failing_since when Resonance disabled it after failing deliveries. "
					+ "webhook_not_found (404) when the brand has no such endpoint.")
	WebhookView get(AuthenticatedBrand caller, @PathVariable("webhook_id") String id) {
		return WebhookView.of(this.administration.get(caller.brandId(), uuid(id)));
	}

	@PatchMapping("/v1/webhooks/{webhook_id}")
	@Operation(operationId = "updateWebhook", summary = "Change a webhook endpoint",
			responses = @ApiResponse(responseCode = "200", description = "The endpoint as changed"),
			description = "Any of url, description, event_types (null: every event) and enabled. Enabling a disabled endpoint sends what was held for it.")
	WebhookView update(AuthenticatedBrand caller, @PathVariable("webhook_id") String id,
			@io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
					schema = @Schema(implementation = UpdateWebhook.class))) @RequestBody JsonNode body) {
		JsonPatch patch = JsonPatch.of(body, Set.of("url", "description", "event_types", "enabled"));
		return WebhookView.of(this.administration.update(caller.brandId(), uuid(id),
				patch.has("url") ? patch.string("url", 2048) : null,
				patch.has("description")
						? new WebhookAdministration.Description(patch.nullableString("description", 500)) : null,
				patch.has("event_types")
						? new WebhookAdministration.EventTypes(patch.nullableStringList("event_types", 100, 100))
						: null,
				patch.has("enabled") ? patch.bool("enabled") : null));
	}

	@DeleteMapping("/v1/webhooks/{webhook_id}")
	@Operation(operationId = "deleteWebhook", summary = "Delete a webhook endpoint",
			description = "Its pending deliveries and its history go with it.",
			responses = @ApiResponse(responseCode = "204", description = "Deleted"))
	ResponseEntity<Void> delete(AuthenticatedBrand caller, @PathVariable("webhook_id") String id) {
		this.administration.delete(caller.brandId(), uuid(id));
		return ResponseEntity.noContent().build();
	}

	@GetMapping("/v1/webhooks/{webhook_id}/secret")
	@Operation(operationId = "getWebhookSecret", summary = "Get the signing secrets",
			responses = @ApiResponse(responseCode = "200",
					description = "secret: the current one; secrets: it, then the previous one during a rotation"),
			description = "The current secret first; during a rotation, the previous one too.")
	Map<String, Object> secret(AuthenticatedBrand caller, @PathVariable("webhook_id") String id) {
		List<String> secrets = this.administration.secrets(caller.brandId(), uuid(id));
		return Map.of("secret", secrets.isEmpty() ? "" : secrets.getFirst(), "secrets", secrets);
	}

	@PostMapping("/v1/webhooks/{webhook_id}/rotate-secret")
	@Operation(operationId = "rotateWebhookSecret", summary = "Rotate the signing secret",
			responses = @ApiResponse(responseCode = "200",
					description = "The new secret, and when the previous one stops signing"),
			description = "The previous secret keeps signing (webhook-signature carries both) for grace_period_seconds, 24 hours by default.")
	Map<String, Object> rotate(AuthenticatedBrand caller, @PathVariable("webhook_id") String id,
			@Valid @RequestBody(required = false) @Nullable Rotate request) {
		Duration grace = (request != null && request.gracePeriodSeconds() != null)
				? Duration.ofSeconds(request.gracePeriodSeconds()) : null;
		var rotated = this.administration.rotateSecret(caller.brandId(), uuid(id), grace);
		return Map.of("secret", rotated.secret(), "previous_secret_expires_at", rotated.previousSecretExpiresAt());
	}

	@PostMapping("/v1/webhooks/{webhook_id}/pause")
	@Operation(operationId = "pauseWebhook", summary = "Pause deliveries",
			responses = @ApiResponse(responseCode = "200", description = "The endpoint, now paused"),
			description = "Deliveries are kept and sent on resume, none is dropped.")
	WebhookView pause(AuthenticatedBrand caller, @PathVariable("webhook_id") String id) {
		return WebhookView.of(this.administration.pause(caller.brandId(), uuid(id)));
	}

	@PostMapping("/v1/webhooks/{webhook_id}/resume")
	@Operation(operationId = "resumeWebhook", summary = "Resume deliveries",
			responses = @ApiResponse(responseCode = "200", description = "The endpoint, no longer paused"),
			description = "Everything kept while paused is sent.")
	WebhookView resume(AuthenticatedBrand caller, @PathVariable("webhook_id") String id) {
		return WebhookView.of(this.administration.resume(caller.brandId(), uuid(id)));
	}

	@PostMapping("/v1/webhooks/{webhook_id}/test")
	@Operation(operationId = "testWebhook", summary = "Send a test event",
			responses = @ApiResponse(responseCode = "202", description = "Queued for delivery"),
			description = "Sends the catalogue example of an event (reward.earned by default) to this endpoint through the real pipeline: same signing, retries and history.")
	ResponseEntity<WebhookAdministration.TestSent> test(AuthenticatedBrand caller,
			@PathVariable("webhook_id") String id, @Valid @RequestBody(required = false) @Nullable Test request) {
		String event = (request != null && request.event() != null) ? request.event() : "reward.earned";
		return ResponseEntity.status(HttpStatus.ACCEPTED)
			.body(this.administration.test(caller.brandId(), uuid(id), event));
	}

	@GetMapping("/v1/webhooks/{webhook_id}/deliveries")
	@Operation(operationId = "listWebhookDeliveries", summary = "List deliveries",
			responses = @ApiResponse(responseCode = "200",
					description = "A page of deliveries with their attempts, newest first; next_cursor continues it"),
			description = "Newest first, each with its attempts; filter by status (pending, sending, succeeded, dead, held) and event.")
	Page<DeliveryView> deliveries(AuthenticatedBrand caller, @PathVariable("webhook_id") String id,
			@Parameter(description = "Only deliveries in this state",
					schema = @Schema(
							allowableValues = { "pending", "sending", "succeeded", "dead", "held" })) @RequestParam(
									name = "status", required = false) @Nullable String status,
			@Parameter(description = "Only deliveries of this event",
					example = "reward.earned") @RequestParam(name = "event", required = false) @Nullable String event,
			@RequestParam(name = "limit", required = false) @Nullable Integer limit,
			@RequestParam(name = "starting_after", required = false) @Nullable String startingAfter) {
		return this.administration.deliveries(caller.brandId(), uuid(id), status, event, Page.cursor(startingAfter),
				Page.limit(limit));
	}

	@PostMapping("/v1/webhooks/{webhook_id}/deliveries/{delivery_id}/retry")
	@Operation(operationId = "retryWebhookDelivery", summary = "Send a delivery again",
			responses = @ApiResponse(responseCode = "202", description = "Queued again"),
			description = "Re-queues a dead (or succeeded) delivery with a fresh retry schedule.")
	ResponseEntity<DeliveryView> retry(AuthenticatedBrand caller, @PathVariable("webhook_id") String id, @Parameter(
			description = "The delivery's id, from the delivery log") @PathVariable("delivery_id") String deliveryId) {
		return ResponseEntity.status(HttpStatus.ACCEPTED)
			.body(this.administration.retry(caller.brandId(), uuid(id), deliveryId));
	}

	@PostMapping("/v1/webhooks/{webhook_id}/recover")
	@Operation(operationId = "recoverWebhookDeliveries", summary = "Send failed deliveries again",
			description = "Re-queues every dead delivery created since the given time (ISO 8601); answers how many.",
			responses = @ApiResponse(responseCode = "202", description = "{\"requeued\": n}"))
	ResponseEntity<Map<String, Object>> recover(AuthenticatedBrand caller, @PathVariable("webhook_id") String id,
			@Valid @RequestBody Recover request) {
		Instant since;
		try {
			since = Instant.parse(request.since());
		}
		catch (DateTimeParseException ex) {
			try {
				since = java.time.OffsetDateTime.parse(request.since()).toInstant();
			}
			catch (DateTimeParseException notAnOffset) {
				throw ApiException.invalidRequest("since must be an ISO-8601 time, e.g. 2026-11-23T00:00:00Z.");
			}
		}
		int requeued = this.administration.recover(caller.brandId(), uuid(id), since);
		return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("requeued", requeued));
	}

	@GetMapping("/v1/webhook-events")
	@Operation(operationId = "listWebhookEvents", summary = "The event catalogue",
			responses = @ApiResponse(responseCode = "200",
					description = "Every event of the catalogue, with its description, schema and example"),
			description = "Every event, its description, the JSON Schema of its body and the example the Test button sends.")
	Map<String, Object> catalogue() {
		return Map.of("data", this.catalogue.all()
			.stream()
			.map((entry) -> new CatalogueEvent(entry.name(), entry.description(), entry.schema(), entry.shownExample()))
			.toList());
	}

	/** An event of the catalogue as {@code GET /v1/webhook-events} shows it. */
	record CatalogueEvent(String name, String description, JsonNode schema, JsonNode example) {
	}

	@GetMapping("/v1/webhook-settings")
	@Operation(operationId = "getWebhookSettings", summary = "Get the webhook settings",
			responses = @ApiResponse(responseCode = "200",
					description = "The settings; balance_change_threshold null when balance.change is not sent"),
			description = "balance_change_threshold: the smallest change of a member's balance that sends balance.change; "
					+ "null: balance.change is not sent.")
	Map<String, Object> settings(AuthenticatedBrand caller) {
		Long threshold = this.administration.balanceChangeThreshold(caller.brandId());
		return java.util.Collections.singletonMap("balance_change_threshold", threshold);
	}

	@PutMapping("/v1/webhook-settings")
	@Operation(operationId = "updateWebhookSettings", summary = "Change the webhook settings",
			responses = @ApiResponse(responseCode = "200", description = "The settings as saved"),
			description = "balance_change_threshold: the smallest change of a member's balance (smallest unit) that sends balance.change; null sends none.")
	Map<String, Object> updateSettings(AuthenticatedBrand caller, @io.swagger.v3.oas.annotations.parameters.RequestBody(
			content = @Content(schema = @Schema(implementation = Settings.class))) @RequestBody JsonNode body) {
		JsonPatch patch = JsonPatch.of(body, Set.of("balance_change_threshold"));
		if (patch.has("balance_change_threshold")) {
			this.administration.setBalanceChangeThreshold(caller.brandId(),
					patch.nullableWholeNumber("balance_change_threshold", 1, Long.MAX_VALUE));
		}
		return settings(caller);
	}

	private static UUID uuid(String id) {
		try {
			return UUID.fromString(id);
		}
		catch (IllegalArgumentException ex) {
			throw ApiException.notFound("webhook_not_found", "No webhook " + id + " for this brand.");
		}
	}

	@Schema(example = """
			{"url": "https://example.com/resonance-webhook", "description": "Order sync", "event_types": ["reward.earned"]}""")
	record CreateWebhook(
			@Schema(description = "Where deliveries go (https in production)") @NotBlank @Size(max = 2048) String url,
			@Schema(description = "What the endpoint is for") @Nullable @Size(max = 500) @Pattern(
					regexp = "(?s).*\\S.*",
					message = "must be 1 to 500 characters, not only spaces") String description,
			@Schema(description = "The events it receives (GET /v1/webhook-events lists them); absent or null: every event") @Nullable @Size(
					min = 1, max = 100) List<@NotBlank String> eventTypes,
			@Schema(description = "Whether it receives deliveries; true when absent") @Nullable Boolean enabled) {
	}

	@Schema(description = "Absent fields are kept; event_types null: every event", example = """
			{"enabled": true}""")
	record UpdateWebhook(@Schema(description = "Where deliveries go") @Nullable String url,
			@Schema(description = "What the endpoint is for") @Nullable String description,
			@Schema(description = "The events it receives; null: every event") @Nullable List<String> eventTypes,
			@Schema(description = "false holds deliveries; true sends what was held") @Nullable Boolean enabled) {
	}

	@Schema(example = """
			{"grace_period_seconds": 86400}""")
	record Rotate(@Schema(
			description = "How long the previous secret keeps signing too, 0 to 2592000; 86400 when absent, 0 ends it now") @Nullable @Min(0) @Max(2_592_000) Long gracePeriodSeconds) {
	}

	@Schema(example = """
			{"event": "duel.finish"}""")
	record Test(
			@Schema(description = "The catalogue event to send; reward.earned when absent") @Nullable String event) {
	}

	@Schema(example = """
			{"since": "2026-11-23T00:00:00Z"}""")
	record Recover(@Schema(
			description = "Re-queue the dead deliveries created since this time (ISO 8601)") @NotNull String since) {
	}

	@Schema(example = """
			{"balance_change_threshold": 1000}""")
	record Settings(@Schema(
			description = "The smallest change of a member's balance (smallest unit) that sends balance.change; null sends none") @Nullable Long balanceChangeThreshold) {
	}

	/**
	 * A webhook endpoint.
	 *
	 * @param id its id, sent as {@code X-Webhook-Id}
	 * @param url where deliveries go
	 * @param description what it is for
	 * @param eventTypes the events it receives; null: all
	 * @param enabled whether it receives deliveries
	 * @param paused whether deliveries are kept for it until it is resumed
	 * @param disabledReason why Resonance disabled it
	 * @param failingSince since when every attempt has failed
	 * @param createdAt when it was created
	 * @param updatedAt when it last changed
	 */
	record WebhookView(UUID id, String url, @Nullable String description, @Nullable List<String> eventTypes,
			boolean enabled, boolean paused, @Nullable String disabledReason, @Nullable Instant failingSince,
			Instant createdAt, Instant updatedAt) {

		static WebhookView of(Endpoint e) {
			return new WebhookView(e.id(), e.url(), e.description(), e.eventTypes(), e.enabled(), e.paused(),
					e.disabledReason(), e.failingSince(), e.createdAt(), e.updatedAt());
		}

	}

	/**
	 * A new endpoint: the endpoint and its secret, which can be read again at /secret.
	 */
	record CreatedWebhook(UUID id, String url, @Nullable String description, @Nullable List<String> eventTypes,
			boolean enabled, boolean paused, Instant createdAt, Instant updatedAt, String secret) {

		static CreatedWebhook of(Endpoint e, String secret) {
			return new CreatedWebhook(e.id(), e.url(), e.description(), e.eventTypes(), e.enabled(), e.paused(),
					e.createdAt(), e.updatedAt(), secret);
		}

	}

}
