package bot.resonance.rewards.internal.types;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import bot.resonance.brands.Brand;
import bot.resonance.ledger.Ledger;
import bot.resonance.platform.web.ApiException;
import bot.resonance.platform.web.JsonPatch;
import bot.resonance.rewards.EventTypes;
import org.springframework.stereotype.Service;

/** {@link EventTypes}: their rules checked and saved through the catalog. */
@Service
class EventTypeAdministration implements EventTypes {

	/** The largest {@code amount_per_unit}. */
	static final BigDecimal MAX_PER_UNIT = BigDecimal.valueOf(1_000_000_000L);

	/** The most decimal places of {@code amount_per_unit}. */
	static final int PER_UNIT_SCALE = 6;

	private final EventTypeRepository repository;

	private final EventTypeCatalog catalog;

	private final Ledger ledger;

	private final Clock clock;

	EventTypeAdministration(EventTypeRepository repository, EventTypeCatalog catalog, Ledger ledger, Clock clock) {
		this.repository = repository;
		this.catalog = catalog;
		this.ledger = ledger;
		this.clock = clock;
	}

	@Override
	public List<EventTypeView> list(Brand brand) {
		return this.repository.all(brand.brandId()).stream().map((t) -> view(brand, t)).toList();
	}

	@Override
	public EventTypeView get(Brand brand, String name) {
		checkName(name);
		return this.repository.find(brand.brandId(), name)
			.map((type) -> view(brand, type))
			.orElseThrow(() -> ApiException.notFound("event_type_not_found",
					"Event type '" + name + "' does not exist for this brand. PUT it to create it."));
	}

	@Override
	public Saved put(Brand brand, String name, JsonPatch patch) {
		checkName(name);
		Instant now = this.clock.instant();
		EventTypeCatalog.Saved saved = this.catalog.change(brand.brandId(), name, now,
				(existing) -> apply(brand, name, patch, existing.orElse(
						new EventType(name, false, BuiltInEventTypes.DEFAULT_AMOUNT, 0, null, null, null, false, null)),
						now));
		return new Saved(view(brand, saved.type()), saved.created() && !saved.type().builtIn());
	}

	private EventType apply(Brand brand, String name, JsonPatch patch, EventType current, Instant now) {
		boolean enabled = patch.has("enabled") ? patch.bool("enabled") : current.enabled();
		long amount = patch.has("amount") ? patch.wholeNumber("amount", 1, AmountRules.MAX_AMOUNT) : current.amount();
		int cooldown = patch.has("cooldown_seconds") ? (int) patch.wholeNumber("cooldown_seconds", 0, 31_536_000)
				: current.cooldownSeconds();
		Integer dailyLimit = current.dailyLimit();
		if (patch.has("daily_limit")) {
			Long value = patch.nullableWholeNumber("daily_limit", 1, 1_000_000);
			dailyLimit = (value != null) ? value.intValue() : null;
		}
		Long maxAmount = patch.has("max_amount") ? patch.nullableWholeNumber("max_amount", 1, AmountRules.MAX_AMOUNT)
				: current.maxAmount();
		String currency = current.currency();
		if (patch.has("currency")) {
			currency = patch.isNull("currency") ? null : patch.string("currency", 16);
			if (currency != null && !bot.resonance.ledger.NetworkCurrency.isNetwork(currency)
					&& this.ledger.currency(brand.brandId(), currency).isEmpty()) {
				throw ApiException
					.invalidRequest("The brand has no currency '" + currency + "' (its own currencies, or "
							+ bot.resonance.ledger.NetworkCurrency.CODE + ", the network's).");
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
		BigDecimal amountPerUnit = patch.has("amount_per_unit") ? perUnit(patch.node("amount_per_unit"))
				: current.amountPerUnit();
		Long affiliateAmount = patch.has("affiliate_amount")
				? patch.nullableWholeNumber("affiliate_amount", 1, AmountRules.MAX_AMOUNT) : current.affiliateAmount();
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
		// A number beyond a double's range (1e400) is read as an infinite double, which
		// has no decimal value.
		if (!node.isNumber()
				|| (node.isFloatingPointNumber() && !node.isBigDecimal() && !Double.isFinite(node.doubleValue()))) {
			throw ApiException.invalidRequest(problem);
		}
		BigDecimal value = AmountRules.normalise(node.decimalValue());
		if (value == null || value.signum() <= 0 || value.compareTo(MAX_PER_UNIT) > 0
				|| value.scale() > PER_UNIT_SCALE) {
			throw ApiException.invalidRequest(problem);
		}
		return value;
	}

	@Override
	public void delete(Brand brand, String name) {
		checkName(name);
		if (BuiltInEventTypes.isBuiltIn(name)) {
			throw ApiException.badRequest("built_in_event_type",
					"Built-in event types cannot be deleted. Disable it with {\"enabled\": false} instead.");
		}
		if (!this.catalog.delete(brand.brandId(), name)) {
			throw ApiException.notFound("event_type_not_found",
					"Event type '" + name + "' does not exist for this brand.");
		}
	}

	private static void checkName(String name) {
		if (!EventType.isValidName(name)) {
			throw ApiException.invalidRequest("Event type names are 1 to 64 characters of a-z, 0-9 and _.");
		}
	}

	private static EventTypeView view(Brand brand, EventType type) {
		return new EventTypeView(type.name(), type.enabled(), type.amount(), type.cooldownSeconds(), type.dailyLimit(),
				type.maxAmount(), type.currencyOr(brand.defaultCurrency()), type.amountField(), type.amountPerUnit(),
				type.affiliateAmount(), type.builtIn(), type.updatedAt());
	}

}
