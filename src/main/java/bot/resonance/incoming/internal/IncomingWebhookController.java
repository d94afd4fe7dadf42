package bot.resonance.incoming.internal;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import bot.resonance.brands.AuthenticatedBrand;
import bot.resonance.platform.web.ApiException;
import bot.resonance.platform.web.JsonPatch;
import bot.resonance.platform.web.Page;
import bot.resonance.incoming.internal.IncomingWebhookRepository.CallRecord;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** The incoming webhook management API: {@code /v1/incoming-webhooks}. */
@RestController
@Tag(name = "Incoming webhooks",
		description = "URLs your services call, signed, to make the bot add currency, assign roles or post messages.")
@SecurityRequirement(name = "apiKey")
class IncomingWebhookController {

	private final IncomingWebhookAdministration administration;

	private final IncomingWebhookProperties properties;

	private final JsonMapper json;

	IncomingWebhookController(IncomingWebhookAdministration administration, IncomingWebhookProperties properties,
			JsonMapper json) {
		this.administration = administration;
		this.properties = properties;
		this.json = json;
	}

	@PostMapping("/v1/incoming-webhooks")
	@Operation(summary = "Create an incoming webhook",
			description = "Returns its url and its signing secret (whsec_...), shown only now and on rotation. "
					+ "actions: any of currency.add, role.assign, message.post. legacy_signatures (default false) "
					+ "also accepts the timeless X-Signature, for senders that cannot sign the Standard Webhooks way yet.")
	ResponseEntity<CreatedIncomingWebhook> create(AuthenticatedBrand caller,
			@Valid @RequestBody CreateIncomingWebhook request) {
		IncomingWebhook hook = this.administration.create(caller.brandId(), request.name(), request.actions(),
				request.rateLimitPerMinute(), request.currency(),
				(request.enabled() != null) ? request.enabled() : true,
				(request.legacySignatures() != null) ? request.legacySignatures() : false);
		return ResponseEntity.created(URI.create("/v1/incoming-webhooks/" + hook.id()))
			.body(CreatedIncomingWebhook.of(hook, url(hook)));
	}

	@GetMapping("/v1/incoming-webhooks")
	@Operation(summary = "List incoming webhooks",
			description = "Oldest first; pass next_cursor as starting_after for the next page.")
	Page<IncomingWebhookView> list(AuthenticatedBrand caller,
			@RequestParam(name = "limit", required = false) @Nullable Integer limit,
			@RequestParam(name = "starting_after", required = false) @Nullable String startingAfter) {
		UUID after = null;
		if (startingAfter != null) {
			try {
				after = UUID.fromString(startingAfter);
			}
			catch (IllegalArgumentException ex) {
				throw ApiException.invalidRequest("starting_after must be an incoming webhook id.");
			}
		}
		Page<IncomingWebhook> page = this.administration.list(caller.brandId(), after, Page.limit(limit));
		return new Page<>(page.data().stream().map((hook) -> IncomingWebhookView.of(hook, url(hook))).toList(),
				page.hasMore(), page.nextCursor());
	}

	@GetMapping("/v1/incoming-webhooks/{hook_id}")
	@Operation(summary = "Get an incoming webhook")
	IncomingWebhookView get(AuthenticatedBrand caller, @PathVariable("hook_id") String id) {
		IncomingWebhook hook = this.administration.get(caller.brandId(), uuid(id));
		return IncomingWebhookView.of(hook, url(hook));
	}

	@PatchMapping("/v1/incoming-webhooks/{hook_id}")
	@Operation(summary = "Change an incoming webhook",
			description = "Any of name, actions, rate_limit_per_minute, currency (null: the brand's default), enabled "
					+ "and legacy_signatures.")
	IncomingWebhookView update(AuthenticatedBrand caller, @PathVariable("hook_id") String id,
			@io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
					schema = @Schema(implementation = UpdateIncomingWebhook.class))) @RequestBody JsonNode body) {
		JsonPatch patch = JsonPatch.of(body,
				Set.of("name", "actions", "rate_limit_per_minute", "currency", "enabled", "legacy_signatures"));
		List<String> actions = null;
		if (patch.has("actions")) {
			actions = patch.nullableStringList("actions", 10, 64);
			if (actions == null) {
				throw ApiException.invalidRequest("Field 'actions' must be a list of actions, not null.");
			}
		}
		IncomingWebhook hook = this.administration.update(caller.brandId(), uuid(id),
				patch.has("name") ? patch.string("name", 100) : null, actions,
				patch.has("rate_limit_per_minute") ? (int) patch.wholeNumber("rate_limit_per_minute", 1,
						IncomingWebhookAdministration.MAX_RATE_LIMIT) : null,
				patch.has("currency")
						? new IncomingWebhookAdministration.CurrencyChange(patch.nullableString("currency", 32)) : null,
				patch.has("enabled") ? patch.bool("enabled") : null,
				patch.has("legacy_signatures") ? patch.bool("legacy_signatures") : null);
		return IncomingWebhookView.of(hook, url(hook));
	}

	@DeleteMapping("/v1/incoming-webhooks/{hook_id}")
	@Operation(summary = "Delete an incoming webhook",
			description = "Its URL stops working; its call log goes with it.")
	ResponseEntity<Void> delete(AuthenticatedBrand caller, @PathVariable("hook_id") String id) {
		this.administration.delete(caller.brandId(), uuid(id));
		return ResponseEntity.noContent().build();
	}

	@PostMapping("/v1/incoming-webhooks/{hook_id}/rotate-secret")
	@Operation(summary = "Rotate the signing secret",
			description = "Returns the new secret. The previous one keeps verifying for grace_period_seconds "
					+ "(24 hours by default; 0 ends it at once).")
	CreatedIncomingWebhook rotate(AuthenticatedBrand caller, @PathVariable("hook_id") String id,
			@Valid @RequestBody(required = false) @Nullable Rotate request) {
		Duration grace = (request != null && request.gracePeriodSeconds() != null)
				? Duration.ofSeconds(request.gracePeriodSeconds()) : null;
		IncomingWebhookAdministration.Rotated rotated = this.administration.rotateSecret(caller.brandId(), uuid(id),
				grace);
		return CreatedIncomingWebhook.of(rotated.hook(), url(rotated.hook()))
			.withPreviousSecretExpiresAt(rotated.previousSecretExpiresAt());
	}

	@GetMapping("/v1/incoming-webhooks/{hook_id}/calls")
	@Operation(summary = "List calls",
			description = "The call log, newest first: when, which action, the outcome (succeeded, rejected, failed, "
					+ "replayed), the status and error code answered, and the answer itself. Filter by outcome.")
	Page<CallView> calls(AuthenticatedBrand caller, @PathVariable("hook_id") String id,
			@RequestParam(name = "outcome", required = false) @Nullable String outcome,
			@RequestParam(name = "limit", required = false) @Nullable Integer limit,
			@RequestParam(name = "starting_after", required = false) @Nullable String startingAfter) {
		Page<CallRecord> page = this.administration.calls(caller.brandId(), uuid(id), outcome, startingAfter,
				Page.limit(limit));
		return new Page<>(page.data().stream().map(this::view).toList(), page.hasMore(), page.nextCursor());
	}

	private CallView view(CallRecord call) {
		JsonNode response;
		try {
			response = this.json.readTree(call.response());
		}
		catch (JacksonException ex) {
			response = this.json.getNodeFactory().stringNode(call.response());
		}
		return new CallView(call.id(), call.receivedAt(), call.action(), call.outcome(), call.status(),
				call.errorCode(), call.idempotencyKey(), call.webhookId(), response);
	}

	private String url(IncomingWebhook hook) {
		String base = (this.properties.publicBaseUrl() != null) ? this.properties.publicBaseUrl().toString()
				: ServletUriComponentsBuilder.fromCurrentContextPath().build().toUriString();
		if (base.endsWith("/")) {
			base = base.substring(0, base.length() - 1);
		}
		return base + "/hooks/" + hook.brandId() + "/" + hook.id();
	}

	private static UUID uuid(String id) {
		try {
			return UUID.fromString(id);
		}
		catch (IllegalArgumentException ex) {
			throw IncomingWebhookAdministration.notFound(id);
		}
	}

	record CreateIncomingWebhook(@NotBlank @Size(max = 100) String name,
			@NotNull @Size(min = 1, max = 10) List<@NotBlank String> actions,
			@Nullable @Min(1) @Max(IncomingWebhookAdministration.MAX_RATE_LIMIT) Integer rateLimitPerMinute,
			@Nullable @Size(min = 1, max = 32) String currency, @Nullable Boolean enabled,
			@Nullable Boolean legacySignatures) {
	}

	record UpdateIncomingWebhook(@Nullable String name, @Nullable List<String> actions,
			@Nullable Integer rateLimitPerMinute, @Nullable String currency, @Nullable Boolean enabled,
			@Nullable Boolean legacySignatures) {
	}

	record Rotate(@Nullable @Min(0) @Max(2_592_000) Long gracePeriodSeconds) {
	}

	/**
	 * An incoming webhook.
	 *
	 * @param id its id
	 * @param name what it is for
	 * @param url where to send calls
	 * @param actions what calls may do
	 * @param rateLimitPerMinute calls accepted per minute (bursts up to it)
	 * @param currency the currency of currency.add when the call names none; null: the
	 * brand's default
	 * @param enabled whether it accepts calls
	 * @param legacySignatures whether it also accepts the legacy {@code X-Signature},
	 * which signs no time, so that a copy of a call verifies forever
	 * @param createdAt when it was created
	 * @param updatedAt when it last changed
	 */
	record IncomingWebhookView(UUID id, String name, String url, List<String> actions, int rateLimitPerMinute,
			@Nullable String currency, boolean enabled, boolean legacySignatures, Instant createdAt,
			Instant updatedAt) {

		static IncomingWebhookView of(IncomingWebhook hook, String url) {
			return new IncomingWebhookView(hook.id(), hook.name(), url, hook.actions(), hook.rateLimitPerMinute(),
					hook.currency(), hook.enabled(), hook.legacySignatures(), hook.createdAt(), hook.updatedAt());
		}

	}

	/**
	 * An incoming webhook with its secret: answered on creation and rotation only.
	 *
	 * @param secret signs calls the Standard Webhooks way: {@code webhook-signature} is
	 * {@code v1,} and the base64 HMAC-SHA256 of {@code id.timestamp.body}, keyed with the
	 * base64-decoded part after {@code whsec_} (with {@code legacy_signatures}, also
	 * {@code X-Signature: sha256=<hex HMAC-SHA256 of the body>} keyed with this string's
	 * UTF-8 bytes)
	 * @param previousSecretExpiresAt after a rotation, when the previous secret stops
	 * verifying
	 */
	record CreatedIncomingWebhook(UUID id, String name, String url, List<String> actions, int rateLimitPerMinute,
			@Nullable String currency, boolean enabled, boolean legacySignatures, Instant createdAt, Instant updatedAt,
			String secret, @Nullable Instant previousSecretExpiresAt) {

		static CreatedIncomingWebhook of(IncomingWebhook hook, String url) {
			return new CreatedIncomingWebhook(hook.id(), hook.name(), url, hook.actions(), hook.rateLimitPerMinute(),
					hook.currency(), hook.enabled(), hook.legacySignatures(), hook.createdAt(), hook.updatedAt(),
					hook.secret(), null);
		}

		CreatedIncomingWebhook withPreviousSecretExpiresAt(Instant expiresAt) {
			return new CreatedIncomingWebhook(this.id, this.name, this.url, this.actions, this.rateLimitPerMinute,
					this.currency, this.enabled, this.legacySignatures, this.createdAt, this.updatedAt, this.secret,
					expiresAt);
		}

	}

	/**
	 * One call to an incoming webhook.
	 *
	 * @param id the call id, also in its answer
	 * @param receivedAt when it came in
	 * @param action the action it asked for, if it got that far
	 * @param outcome succeeded, rejected (4xx), failed (5xx) or replayed
	 * @param status the HTTP status answered
	 * @param errorCode the error code answered, if any
	 * @param idempotencyKey the X-Idempotency-Key sent, if any
	 * @param webhookId the webhook-id of a call signed the Standard Webhooks way
	 * @param response the JSON answered
	 */
	record CallView(String id, Instant receivedAt, @Nullable String action, String outcome, int status,
			@Nullable String errorCode, @Nullable String idempotencyKey, @Nullable String webhookId,
			JsonNode response) {
	}

}
