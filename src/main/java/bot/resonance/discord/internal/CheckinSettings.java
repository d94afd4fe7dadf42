package bot.resonance.discord.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import bot.resonance.platform.web.ApiException;
import bot.resonance.platform.web.JsonPatch;

/**
 * A brand's {@code /checkin} settings.
 *
 * @param graceHours how long after the day following the last check-in ends a check-in
 * still continues the streak (0 to 24)
 * @param bonuses streak bonuses, by {@code everyDays}
 */
record CheckinSettings(int graceHours, List<Bonus> bonuses) {

	/** A brand that changed nothing: 12 hours of grace, no bonuses. */
	static final CheckinSettings DEFAULTS = new CheckinSettings(12, List.of());

	static final int MAX_GRACE_HOURS = 24;

	static final int MAX_BONUSES = 10;

	static final int MIN_EVERY_DAYS = 2;

	static final int MAX_EVERY_DAYS = 365;

	static final BigDecimal MAX_MULTIPLIER = BigDecimal.TEN;

	CheckinSettings {
		bonuses = bonuses.stream().sorted(Comparator.comparingInt(Bonus::everyDays)).toList();
	}

	Duration grace() {
		return Duration.ofHours(this.graceHours);
	}

	/**
	 * The multiplier on streak day {@code day}: the highest of the bonuses whose
	 * {@code everyDays} divides it.
	 */
	Optional<BigDecimal> multiplierOn(int day) {
		return this.bonuses.stream()
			.filter((bonus) -> day % bonus.everyDays() == 0)
			.map(Bonus::multiplier)
			.max(Comparator.naturalOrder());
	}

	/** The first streak day after {@code day} with a bonus, and its multiplier. */
	Optional<NextBonus> nextBonusAfter(int day) {
		NextBonus next = null;
		for (Bonus bonus : this.bonuses) {
			int on = (day / bonus.everyDays() + 1) * bonus.everyDays();
			if (next == null || on < next.day()) {
				next = new NextBonus(on, multiplierOn(on).orElseThrow());
			}
		}
		return Optional.ofNullable(next);
	}

	/**
	 * The reward with a bonus: {@code amount × multiplier}, rounded down and capped by
	 * {@code maxAmount}.
	 */
	static long bonusAmount(long amount, BigDecimal multiplier, @Nullable Long maxAmount) {
		BigDecimal product = BigDecimal.valueOf(amount).multiply(multiplier).setScale(0, RoundingMode.FLOOR);
		long bonus = (product.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) ? Long.MAX_VALUE
				: product.longValueExact();
		return (maxAmount != null) ? Math.min(bonus, maxAmount) : bonus;
	}

	/**
	 * These settings changed by a request body: {@code grace_hours} and {@code bonuses}
	 * (the whole list) are replaced when sent, kept otherwise. Anything malformed is a
	 * 400 naming the field.
	 */
	CheckinSettings changedBy(@Nullable JsonNode body) {
		JsonPatch change = JsonPatch.of(body, Set.of("grace_hours", "bonuses"));
		// An optional field may be absent or null (the API's convention): either keeps
		// it.
		int grace = (change.has("grace_hours") && !change.isNull("grace_hours"))
				? (int) change.wholeNumber("grace_hours", 0, MAX_GRACE_HOURS) : this.graceHours;
		List<Bonus> bonuses = (change.has("bonuses") && !change.isNull("bonuses")) ? readBonuses(change.node("bonuses"))
				: this.bonuses;
		return new CheckinSettings(grace, bonuses);
	}

	private static List<Bonus> readBonuses(JsonNode node) {
		if (!node.isArray()) {
			throw ApiException.invalidRequest(
					"Field 'bonuses' must be a list of {\"every_days\", \"multiplier\"} " + "objects ([] for none).");
		}
		if (node.size() > MAX_BONUSES) {
			throw ApiException.invalidRequest(
					"Field 'bonuses' has " + node.size() + " bonuses; at most " + MAX_BONUSES + " are allowed.");
		}
		List<Bonus> bonuses = new ArrayList<>();
		Set<Integer> seen = new HashSet<>();
		for (int i = 0; i < node.size(); i++) {
			String field = "bonuses[" + i + "]";
			JsonNode item = node.get(i);
			if (!item.isObject()) {
				throw ApiException.invalidRequest(
						"Field '" + field + "' must be an object like {\"every_days\": 7, \"multiplier\": 2}.");
			}
			for (String name : item.propertyNames()) {
				if (!name.equals("every_days") && !name.equals("multiplier")) {
					throw ApiException.invalidRequest(
							"Unknown field '" + field + "." + name + "'. A bonus has every_days and multiplier.");
				}
			}
			int everyDays = everyDays(item.get("every_days"), field + ".every_days");
			BigDecimal multiplier = multiplier(item.get("multiplier"), field + ".multiplier");
			if (!seen.add(everyDays)) {
				throw ApiException.invalidRequest("Field '" + field + ".every_days': another bonus is already every "
						+ everyDays + " days. Give each every_days one multiplier.");
			}
			bonuses.add(new Bonus(everyDays, multiplier));
		}
		return bonuses;
	}

	private static int everyDays(@Nullable JsonNode node, String field) {
		if (node == null || node.isNull()) {
			throw ApiException.invalidRequest("Field '" + field + "' is required: the streak days the bonus is paid "
					+ "on are its multiples (" + MIN_EVERY_DAYS + " to " + MAX_EVERY_DAYS + ").");
		}
		if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < MIN_EVERY_DAYS
				|| node.intValue() > MAX_EVERY_DAYS) {
			throw ApiException.invalidRequest("Field '" + field + "' must be a whole number from " + MIN_EVERY_DAYS
					+ " to " + MAX_EVERY_DAYS + ".");
		}
		return node.intValue();
	}

	private static BigDecimal multiplier(@Nullable JsonNode node, String field) {
		if (node == null || node.isNull()) {
			throw ApiException.invalidRequest("Field '" + field + "' is required: the reward on a bonus day is the "
					+ "event type's amount times it (1 to 10).");
		}
		BigDecimal value = null;
		if (node.isNumber()) {
			try {
				value = node.decimalValue();
			}
			catch (RuntimeException ex) {
				value = null; // not finite
			}
		}
		if (value == null || value.compareTo(BigDecimal.ONE) < 0 || value.compareTo(MAX_MULTIPLIER) > 0) {
			throw ApiException.invalidRequest("Field '" + field + "' must be a number from 1 to 10, such as 2 or 1.5.");
		}
		value = normal(value);
		if (value.scale() > 2) {
			throw ApiException.invalidRequest("Field '" + field + "' may have at most two decimals, such as 1.25.");
		}
		return value;
	}

	/** The number without trailing zeros, and never in exponent form (10, not 1E+1). */
	static BigDecimal normal(BigDecimal value) {
		BigDecimal stripped = value.stripTrailingZeros();
		return (stripped.scale() < 0) ? stripped.setScale(0) : stripped;
	}

	/**
	 * A streak bonus: on streak days that are multiples of {@code everyDays}, the reward
	 * is the type's amount times {@code multiplier}.
	 */
	record Bonus(int everyDays, BigDecimal multiplier) {
	}

	/** The next streak day with a bonus. */
	record NextBonus(int day, BigDecimal multiplier) {
	}

}
