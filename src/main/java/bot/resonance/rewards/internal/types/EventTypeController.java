package bot.resonance.rewards.internal.types;

import java.math.BigDecimal;
import java.util.Set;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import bot.resonance.brands.AuthenticatedBrand;
import bot.resonance.platform.web.JsonPatch;
import bot.resonance.platform.web.Page;
import bot.resonance.rewards.EventTypes;
import bot.resonance.rewards.EventTypes.EventTypeView;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Event types and their rules: {@code /v1/event-types}. The seven built-in types exist
 * for every brand and start disabled; any other name ({@code [a-z0-9_]{1,64}}) creates a
 * custom type.
 */
@RestController
@RequestMapping("/v1/event-types")
@Tag(name = "Event types", description = "Which events are rewarded, how much, how often.")
@SecurityRequirement(name = "apiKey")
class EventTypeController {

	private final EventTypes eventTypes;

	EventTypeController(EventTypes eventTypes) {
		this.eventTypes = eventTypes;
	}

	@GetMapping
	@Operation(operationId = "listEventTypes", summary = "List event types",
			responses = @ApiResponse(responseCode = "200",
					description = "Every event type of the brand, built-in ones first, in one page"),
			description = "The built-in types first, then custom ones by name.")
	Page<EventTypeView> list(AuthenticatedBrand caller) {
		return new Page<>(this.eventTypes.list(caller.brand()), false, null);
	}

	@GetMapping("/{event_type}")
	@Operation(operationId = "getEventType", summary = "Get an event type",
			responses = @ApiResponse(responseCode = "200", description = "The event type and its settings"),
			description = "Its settings: enabled, amount, cooldown, daily limit, cap, currency, amount rule and affiliate "
					+ "amount. event_type_not_found (404) for a name the brand does not have.")
	EventTypeView get(AuthenticatedBrand caller, @PathVariable("event_type") String name) {
		return this.eventTypes.get(caller.brand(), name);
	}

	@PutMapping("/{event_type}")
	@Operation(operationId = "putEventType", summary = "Create or change an event type",
			responses = { @ApiResponse(responseCode = "200", description = "Changed"),
					@ApiResponse(responseCode = "201", description = "Created (a new custom type)") },
			description = "Fields not sent keep their value (or the default for a new type). daily_limit and max_amount accept null to remove the limit; currency null means the brand's default. amount_field (a top-level metadata field) and amount_per_unit make events that give no amount worth floor(metadata[amount_field] × amount_per_unit), capped by max_amount; null clears them.")
	ResponseEntity<EventTypeView> put(AuthenticatedBrand caller, @PathVariable("event_type") String name,
			@io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
					schema = @Schema(implementation = EventTypeChange.class))) @RequestBody JsonNode body) {
		EventTypes.Saved saved = this.eventTypes.put(caller.brand(), name,
				JsonPatch.of(body, Set.copyOf(EventTypes.FIELDS)));
		return ResponseEntity.status(saved.created() ? HttpStatus.CREATED : HttpStatus.OK).body(saved.type());
	}

	@DeleteMapping("/{event_type}")
	@Operation(operationId = "deleteEventType", summary = "Delete a custom event type",
			description = "Built-in types cannot be deleted; disable them instead.",
			responses = @ApiResponse(responseCode = "204", description = "Deleted"))
	ResponseEntity<Void> delete(AuthenticatedBrand caller, @PathVariable("event_type") String name) {
		this.eventTypes.delete(caller.brand(), name);
		return ResponseEntity.noContent().build();
	}

	/** What PUT accepts; every field is optional. */
	@Schema(example = """
			{"enabled": true, "amount": 25, "cooldown_seconds": 72000, "daily_limit": 1}""")
	record EventTypeChange(@Schema(description = "Whether events of this type are rewarded") @Nullable Boolean enabled,
			@Schema(description = "The reward when an event does not give one (1 or more)") @Nullable Long amount,
			@Schema(description = "How long after a reward a member cannot earn this type again (0 to 31536000)") @Nullable Integer cooldownSeconds,
			@Schema(description = "Rewards per member per UTC day; events over it are pending until the next day "
					+ "(null: none)") @Nullable Integer dailyLimit,
			@Schema(description = "The largest amount an event may ask for (null: none)") @Nullable Long maxAmount,
			@Schema(description = "The currency paid (null: the brand's default)") @Nullable String currency,
			@Schema(description = "Amount rule: a top-level metadata field whose value sets the reward of events "
					+ "that give no amount (null: the fixed amount)") @Nullable String amountField,
			@Schema(description = "Amount rule: what one unit of amount_field is worth (null: 1)") @Nullable BigDecimal amountPerUnit,
			@Schema(description = "What the member's referrer earns each time the member is rewarded for this type "
					+ "(null: nothing)") @Nullable Long affiliateAmount) {
	}

}
