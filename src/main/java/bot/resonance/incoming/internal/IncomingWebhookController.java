package bot.resonance.incoming.internal;

import java.net.URI;
import java.time.Duration;
import java.util.List;
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
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import bot.resonance.brands.AuthenticatedBrand;
import bot.resonance.incoming.CreatedIncomingHook;
import bot.resonance.incoming.IncomingCallView;
import bot.resonance.incoming.IncomingHookView;
import bot.resonance.incoming.IncomingWebhooks;
import bot.resonance.platform.web.ApiException;
import bot.resonance.platform.web.JsonPatch;
import bot.resonance.platform.web.Page;
import bot.resonance.platform.web.StrictWholeNumbers;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The incoming webhook management API: {@code /v1/incoming-webhooks}. */
@RestController
@Tag(name = "Incoming webhooks",
		description = "URLs your services call, signed, to make the bot add currency, assign roles or post messages.")
@SecurityRequirement(name = "apiKey")
class IncomingWebhookController implements StrictWholeNumbers {

	private final IncomingWebhooks hooks;

	IncomingWebhookController(IncomingWebhooks hooks) {
		this.hooks = hooks;
	}

	@PostMapping("/v1/incoming-webhooks")
	@Operation(operationId = "createIncomingWebhook", summary = "Create an incoming webhook",
			responses = @ApiResponse(responseCode = "201", description = "Created; Location names it"),
			description = "Returns its url and its signing secret (whsec_...), shown only now and on rotation. "
					+ "actions: any of currency.add, role.assign, message.post. legacy_signatures (default false) "
					+ "also accepts the timeless X-Signature, for senders that cannot sign the Standard Webhooks way yet.")
	ResponseEntity<CreatedIncomingHook> create(AuthenticatedBrand caller,
			@Valid @RequestBody CreateIncomingWebhook request) {
		CreatedIncomingHook hook = this.hooks.create(caller.brandId(), request.name(), request.actions(),
				request.rateLimitPerMinute(), request.currency(),
				(request.enabled() != null) ? request.enabled() : true,
				(request.legacySignatures() != null) ? request.legacySignatures() : false);
		return ResponseEntity.created(URI.create("/v1/incoming-webhooks/" + hook.id())).body(hook);
	}

	@GetMapping("/v1/incoming-webhooks")
	@Operation(operationId = "listIncomingWebhooks", summary = "List incoming webhooks",
			responses = @ApiResponse(responseCode = "200",
					description = "A page of incoming webhooks, oldest first; next_cursor continues it"),
			description = "Oldest first; pass next_cursor as starting_after for the next page.")
	Page<IncomingHookView> list(AuthenticatedBrand caller,
			@RequestParam(name = "limit", required = false) @Nullable Integer limit,
			@RequestParam(name = "starting_after", required = false) @Nullable String startingAfter) {
		return this.hooks.list(caller.brandId(), Page.uuidCursor(startingAfter, "an incoming webhook id"),
				Page.limit(limit));
	}

	@GetMapping("/v1/incoming-webhooks/{hook_id}")
	@Operation(operationId = "getIncomingWebhook", summary = "Get an incoming webhook",
			responses = @ApiResponse(responseCode = "200", description = "The incoming webhook, without its secret"),
			description = "Its url, actions, rate limit, currency and state, without the secret. "
					+ "incoming_webhook_not_found (404) when the brand has no such hook.")
	IncomingHookView get(AuthenticatedBrand caller, @PathVariable("hook_id") String id) {
		return this.hooks.get(caller.brandId(), uuid(id));
	}

	@PatchMapping("/v1/incoming-webhooks/{hook_id}")
	@Operation(operationId = "updateIncomingWebhook", summary = "Change an incoming webhook",
			responses = @ApiResponse(responseCode = "200", description = "The incoming webhook as changed"),
			description = "Any of name, actions, rate_limit_per_minute, currency (null: the brand's default), enabled "
					+ "and legacy_signatures.")
	IncomingHookView update(AuthenticatedBrand caller, @PathVariable("hook_id") String id,
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
		return this.hooks.update(caller.brandId(), uuid(id), patch.has("name") ? patch.string("name", 100) : null,
				actions,
				patch.has("rate_limit_per_minute")
						? (int) patch.wholeNumber("rate_limit_per_minute", 1, IncomingWebhooks.MAX_RATE_LIMIT) : null,
				patch.has("currency") ? new IncomingWebhooks.CurrencyChange(patch.nullableString("currency", 32))
						: null,
				patch.has("enabled") ? patch.bool("enabled") : null,
				patch.has("legacy_signatures") ? patch.bool("legacy_signatures") : null);
	}

	@DeleteMapping("/v1/incoming-webhooks/{hook_id}")
	@Operation(operationId = "deleteIncomingWebhook", summary = "Delete an incoming webhook",
			description = "Its URL stops working; its call log goes with it.",
			responses = @ApiResponse(responseCode = "204", description = "Deleted"))
	ResponseEntity<Void> delete(AuthenticatedBrand caller, @PathVariable("hook_id") String id) {
		this.hooks.delete(caller.brandId(), uuid(id));
		return ResponseEntity.noContent().build();
	}

	@PostMapping("/v1/incoming-webhooks/{hook_id}/rotate-secret")
	@Operation(operationId = "rotateIncomingWebhookSecret", summary = "Rotate the signing secret",
			responses = @ApiResponse(responseCode = "200",
					description = "The incoming webhook with its new secret, and when the previous one stops verifying"),
			description = "Returns the new secret. The previous one keeps verifying for grace_period_seconds "
					+ "(24 hours by default; 0 ends it at once).")
	CreatedIncomingHook rotate(AuthenticatedBrand caller, @PathVariable("hook_id") String id,
			@Valid @RequestBody(required = false) @Nullable Rotate request) {
		Duration grace = (request != null && request.gracePeriodSeconds() != null)
				? Duration.ofSeconds(request.gracePeriodSeconds()) : null;
		return this.hooks.rotateSecret(caller.brandId(), uuid(id), grace);
	}

	@GetMapping("/v1/incoming-webhooks/{hook_id}/calls")
	@Operation(operationId = "listIncomingWebhookCalls", summary = "List calls",
			responses = @ApiResponse(responseCode = "200",
					description = "A page of the hook's calls, newest first; next_cursor continues it"),
			description = "The call log, newest first: when, which action, the outcome (succeeded, rejected, failed, "
					+ "replayed), the status and error code answered, and the answer itself. Filter by outcome.")
	Page<IncomingCallView> calls(AuthenticatedBrand caller, @PathVariable("hook_id") String id,
			@Parameter(description = "Only calls with this outcome",
					schema = @Schema(
							allowableValues = { "succeeded", "rejected", "failed", "replayed" })) @RequestParam(
									name = "outcome", required = false) @Nullable String outcome,
			@RequestParam(name = "limit", required = false) @Nullable Integer limit,
			@RequestParam(name = "starting_after", required = false) @Nullable String startingAfter) {
		return this.hooks.calls(caller.brandId(), uuid(id), outcome, Page.cursor(startingAfter), Page.limit(limit));
	}

	private static UUID uuid(String id) {
		try {
			return UUID.fromString(id);
		}
		catch (IllegalArgumentException ex) {
			throw IncomingWebhookAdministration.notFound(id);
		}
	}

	@Schema(example = """
			{"name": "Shop", "actions": ["currency.add", "role.assign", "message.post"]}""")
	record CreateIncomingWebhook(
			@Schema(description = "What the hook is for, 1 to 100 characters") @NotBlank @Size(max = 100) String name,
			@Schema(description = "The actions calls may trigger: currency.add, role.assign, message.post") @NotNull @Size(
					min = 1, max = 10) List<@NotBlank String> actions,
			@Schema(description = "Calls per minute the hook accepts; 60 when absent") @Nullable @Min(1) @Max(IncomingWebhooks.MAX_RATE_LIMIT) Integer rateLimitPerMinute,
			@Schema(description = "The currency currency.add moves when a call names none; the brand's default when absent") @Nullable @Size(
					min = 1, max = 32) String currency,
			@Schema(description = "false refuses every call with 403") @Nullable Boolean enabled,
			@Schema(description = "true also accepts the old, timeless X-Signature") @Nullable Boolean legacySignatures) {
	}

	@Schema(description = "Absent fields are kept; currency null: the brand's default", example = """
			{"rate_limit_per_minute": 120, "enabled": true}""")
	record UpdateIncomingWebhook(@Schema(description = "What the hook is for") @Nullable String name,
			@Schema(description = "The actions calls may trigger") @Nullable List<String> actions,
			@Schema(description = "Calls per minute the hook accepts") @Nullable Integer rateLimitPerMinute,
			@Schema(description = "The currency currency.add moves when a call names none; null: the brand's default") @Nullable String currency,
			@Schema(description = "false refuses every call with 403") @Nullable Boolean enabled,
			@Schema(description = "true also accepts the old, timeless X-Signature") @Nullable Boolean legacySignatures) {
	}

	@Schema(name = "IncomingWebhookRotate", example = """
			{"grace_period_seconds": 86400}""")
	record Rotate(@Schema(
			description = "How long the previous secret keeps verifying, 0 to 2592000; 0 ends it now") @Nullable @Min(0) @Max(2_592_000) Long gracePeriodSeconds) {
	}

}
