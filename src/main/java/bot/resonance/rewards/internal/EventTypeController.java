package bot.resonance.rewards.internal;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import bot.resonance.brands.AuthenticatedBrand;
import bot.resonance.ledger.Ledger;
import bot.resonance.platform.web.ApiException;
import bot.resonance.platform.web.JsonPatch;
import bot.resonance.platform.web.Page;
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

	static final Set<String> FIELDS = Set.of("enabled", "amount", "cooldown_seconds", "daily_limit", "max_amount",
			"currency", "amount_field", "amount_per_unit", "affiliate_amount");

	/** The largest {@code amount_per_unit}. */
	static final BigDecimal MAX_PER_UNIT = BigDecimal.valueOf(1_000_000_000L);

	/** The most decimal places of {@code amount_per_unit}. */
	static final int PER_UNIT_SCALE = 6;

	private final EventTypeRepository repository;

	private final EventTypeCatalog catalog;

	private final Ledger ledger;

	private final Clock clock;

	EventTypeController(EventTypeRepository repository, EventTypeCatalog catalog, Ledger ledger, Clock clock) {
		this.repository = repository;
		this.catalog = catalog;
		this.ledger = ledger;
		this.clock = clock;
	}

	@GetMapping
	@Operation(summary = "List event types", description = "The built-in types first, then custom ones by name.")
	Page<EventTypeView> list(AuthenticatedBrand caller) {
		return new Page<>(this.repository.all(caller.brandId()).stream().map((t) -> view(caller, t)).toList(), false,
				null);
	}

	@GetMapping("/{event_type}")
	@Operation(summary = "Get an event type")
	EventTypeView get(AuthenticatedBrand caller, @PathVariable("event_type") String name) {
		checkName(name);
		return this.repository.find(caller.brandId(), name)
			.map((type) -> view(caller, type))
			.orElseThrow(() -> ApiException.notFound("event_type_not_found",
					"Event type '" + name + "' does not exist for this brand. PUT it to create it."));
	}

	@PutMapping("/{event_type}")
	@Operation(summary = "Create or change an event type",
			description = "Fields not sent keep their value (or the default for a new type). daily_limit and max_amount accept null to remove the limit; currency null means the brand's default. amount_field (a top-level metadata field) and amount_per_unit make events that give no amount worth floor(metadata[amount_field] × amount_per_unit), capped by max_amount; null clears them.")
	ResponseEntity<EventTypeView> put(AuthenticatedBrand caller, @PathVariable("event_type") String name,
			@io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
					schema = @Schema(implementation = EventTypeChange.class))) @RequestBody JsonNode body) {
		checkName(name);
		JsonPatch patch = JsonPatch.of(body, FIELDS);
		Instant now = this.clock.instant();
		EventTypeCatalog.Saved saved = this.catalog.change(caller.brandId(), name, now,
				(existing) -> apply(caller, name, patch, body, existing.orElse(
						new EventType(name, false, BuiltInEventTypes.DEFAULT_AMOUNT, 0, null, null, null, false, null)),
						now));
		boolean created = saved.created() && !saved.type().builtIn();
		return ResponseEntity.status(created ? HttpStatus.CREATED : HttpStatus.OK).body(view(caller, saved.type()));
	}

	private EventType apply(AuthenticatedBrand caller, String name, JsonPatch patch, JsonNode body, EventType current,
			Instant now) {
		boolean enabled = patch.has("enabled") ? patch.bool("enabled") : current.enabled();
		long amount = patch.has("amount") ? patch.wholeNumber("amount", 1, EventRequestParser.MAX_AMOUNT)
				: current.amount();
		int cooldown = patch.has("cooldown_seconds") ? (int) patch.wholeNumber("cooldown_seconds", 0, 31_536_000)
				: current.cooldownSeconds();
		Integer dailyLimit = current.dailyLimit();
		if (patch.has("daily_limit")) {
			Long value = patch.nullableWholeNumber("daily_limit", 1, 1_000_000);
			dailyLimit = (value != null) ? value.intValue() : null;
		}
		Long maxAmount = patch.has("max_amount")
				? patch.nullableWholeNumber("max_amount", 1, EventRequestParser.MAX_AMOUNT) : current.maxAmount();
		String currency = current.currency();
		if (patch.has("currency")) {
			currency = patch.isNull("currency") ? null : patch.string("currency", 16);
			if (currency != null && this.ledger.currency(caller.brandId(), currency).isEmpty()) {
				throw ApiException.invalidRequest("The brand has no currency '" + currency + "'.");
			}
		}
		String amountField = current.amountField();
		if (patch.has("amount_field")) {
			amountField = patch.isNull("amount_field") ? null : patch.string("amount_field", 64);
			if (amountField != null && !EventType.isValidName(amountField)) {
				throw ApiException.invalidRequest("Field 'amount_field' must name a top-level metadata field: 1 to 64 "
						+ "characters of a-z, 0-9 and _ (such as \"total\").");
			}
		}
		BigDecimal amountPerUnit = patch.has("amount_per_unit") ? perUnit(body.get("amount_per_unit"))
				: current.amountPerUnit();
		Long affiliateAmount = patch.has("affiliate_amount")
				? patch.nullableWholeNumber("affiliate_amount", 1, EventRequestParser.MAX_AMOUNT)
				: current.affiliateAmount();
		if (maxAmount != null && amount > maxAmount) {
			throw ApiException
				.invalidRequest("amount (" + amount + ") must not exceed max_amount (" + maxAmount + ").");
		}
		return new EventType(name, enabled, amount, cooldown, dailyLimit, maxAmount, currency,
				BuiltInEventTypes.isBuiltIn(name), now, amountField, amountPerUnit, affiliateAmount);
	}

	/** A positive decimal of at most six decimal places, or null. */
	private static @Nullable BigDecimal perUnit(JsonNode node) {
		if (node.isNull()) {
			return null;
		}
		String problem = "Field 'amount_per_unit' must be a number greater than 0 and at most " + MAX_PER_UNIT
				+ ", with at most " + PER_UNIT_SCALE + " decimal places (such as 1, 0.5 or 10).";
		if (!node.isNumber()) {
			throw ApiException.invalidRequest(problem);
		}
		BigDecimal value = AmountRules.normalise(node.decimalValue());
		if (value == null || value.signum() <= 0 || value.compareTo(MAX_PER_UNIT) > 0
				|| value.scale() > PER_UNIT_SCALE) {
			throw ApiException.invalidRequest(problem);
		}
		return value;
	}

	@DeleteMapping("/{event_type}")
	@Operation(summary = "Delete a custom event type",
			description = "Built-in types cannot be deleted; disable them instead.")
	ResponseEntity<Void> delete(AuthenticatedBrand caller, @PathVariable("event_type") String name) {
		checkName(name);
		if (BuiltInEventTypes.isBuiltIn(name)) {
			throw ApiException.badRequest("built_in_event_type",
					"Built-in event types cannot be deleted. Disable it with {\"enabled\": false} instead.");
		}
		if (!this.catalog.delete(caller.brandId(), name)) {
			throw ApiException.notFound("event_type_not_found",
					"Event type '" + name + "' does not exist for this brand.");
		}
		return ResponseEntity.noContent().build();
	}

	private static void checkName(String name) {
		if (!EventType.isValidName(name)) {
			throw ApiException.invalidRequest("Event type names are 1 to 64 characters of a-z, 0-9 and _.");
		}
	}

	private static EventTypeView view(AuthenticatedBrand caller, EventType type) {
		return new EventTypeView(type.name(), type.enabled(), type.amount(), type.cooldownSeconds(), type.dailyLimit(),
				type.maxAmount(), type.currencyOr(caller.brand().defaultCurrency()), type.amountField(),
				type.amountPerUnit(), type.affiliateAmount(), type.builtIn(), type.updatedAt());
	}

	/** What PUT accepts; every field is optional. */
	record EventTypeChange(@Nullable Boolean enabled, @Nullable Long amount, @Nullable Integer cooldownSeconds,
			@Nullable Integer dailyLimit, @Nullable Long maxAmount, @Nullable String currency,
			@Nullable String amountField, @Nullable BigDecimal amountPerUnit, @Nullable Long affiliateAmount) {
	}

	/**
	 * An event type's rules.
	 *
	 * @param name the event type
	 * @param enabled whether its events are rewarded
	 * @param amount the reward when an event gives none
	 * @param cooldownSeconds how long after a reward a member cannot earn it again
	 * (events in cooldown get 429 COOLDOWN_ACTIVE)
	 * @param dailyLimit rewards per member per UTC day; events beyond it are accepted as
	 * pending and processed the next day
	 * @param maxAmount the largest amount an event may ask for
	 * @param currency the currency paid
	 * @param amountField the top-level metadata field an event without an amount is paid
	 * by ({@code null}: the fixed amount)
	 * @param amountPerUnit what one unit of amountField is worth ({@code null}: 1); the
	 * reward is rounded down and capped by maxAmount
	 * @param affiliateAmount what a rewarded member's referrer earns ({@code null}:
	 * nothing)
	 * @param builtIn whether it is one of the seven built-in types
	 * @param updatedAt when the brand last changed it
	 */
	record EventTypeView(String name, boolean enabled, long amount, int cooldownSeconds, @Nullable Integer dailyLimit,
			@Nullable Long maxAmount, String currency, @Nullable String amountField, @Nullable BigDecimal amountPerUnit,
			@Nullable Long affiliateAmount, boolean builtIn, @Nullable Instant updatedAt) {
	}

}
