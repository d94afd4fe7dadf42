package bot.resonance.rewards.internal.types;

import java.math.BigDecimal;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class AmountRulesUnitTests {

	@Test
	void paysPerUnitOfANumberRoundedDown() {
		assertThat(amount("1", "{\"total\": 89.99}")).isEqualTo(89);
		assertThat(amount("0.5", "{\"total\": 89.99}")).isEqualTo(44);
		assertThat(amount("10", "{\"total\": 3}")).isEqualTo(30);
		assertThat(amount(null, "{\"total\": 7}")).as("per unit defaults to 1").isEqualTo(7);
	}

	@Test
	void readsNumericStringsAsShopifySendsPrices() {
		assertThat(amount("1", "{\"total\": \"89.99\"}")).isEqualTo(89);
		assertThat(amount("2", "{\"total\": \" 12.50 \"}")).isEqualTo(25);
	}

	@Test
	void readsNumbersExactlyNotThroughDoubles() {
		// 0.1 + 0.2 style errors: 2.3 * 100 is 229.99999999999997 as doubles.
		assertThat(amount("100", "{\"total\": 2.3}")).isEqualTo(230);
		assertThat(amount("100", "{\"total\": \"2.3\"}")).isEqualTo(230);
		assertThat(amount("1", "{\"total\": 123456789012345.9}")).isEqualTo(123456789012345L);
	}

	@Test
	void onlyTheTopLevelFieldCounts() {
		assertThat(amount("1", "{\"order\": {\"total\": 500}, \"items\": [{\"total\": 7}], \"total\": 3}"))
			.isEqualTo(3);
		assertThat(problem("1", "{\"order\": {\"total\": 500}}")).contains("metadata.total is required");
	}

	@Test
	void refusesMissingNonNumericAndTooSmallValuesNamingTheField() {
		assertThat(problem("1", null)).contains("metadata.total is required");
		assertThat(problem("1", "{}")).contains("metadata.total is required");
		assertThat(problem("1", "{\"total\": null}")).contains("metadata.total is required");
		for (String bad : new String[] { "\"abc\"", "\"1e5\"", "\"\"", "true", "[1]", "{\"v\": 1}", "\"12,50\"" }) {
			assertThat(problem("1", "{\"total\": " + bad + "}")).as(bad)
				.contains("metadata.total must be a number or a numeric string");
		}
		assertThat(problem("1", "{\"total\": 0.99}")).contains("less than 1");
		assertThat(problem("1", "{\"total\": -5}")).contains("less than 1");
		assertThat(problem("0.5", "{\"total\": \"1\"}")).contains("less than 1");
		assertThat(problem("1", "{\"total\": 1e30}")).contains("largest amount");
	}

	@Test
	void aTypeWithoutARuleHasNoRuleAmount() {
		EventType fixed = new EventType("place_order", true, 10, 0, null, null, null, false, null);
		assertThatIllegalArgumentException().isThrownBy(() -> AmountRules.amountOf(fixed, "{}"));
	}

	@Test
	void normalisesPerUnitValues() {
		assertThat(AmountRules.normalise(new BigDecimal("1.500000"))).hasToString("1.5");
		assertThat(AmountRules.normalise(new BigDecimal("10.000"))).hasToString("10");
		assertThat(AmountRules.normalise(new BigDecimal("1E+2"))).hasToString("100");
		assertThat(AmountRules.normalise(null)).isNull();
	}

	private static long amount(@Nullable String perUnit, @Nullable String metadata) {
		AmountRules.Result result = AmountRules.amountOf(type(perUnit), metadata);
		assertThat(result).isInstanceOf(AmountRules.Result.Amount.class);
		return ((AmountRules.Result.Amount) result).amount();
	}

	private static String problem(@Nullable String perUnit, @Nullable String metadata) {
		AmountRules.Result result = AmountRules.amountOf(type(perUnit), metadata);
		assertThat(result).isInstanceOf(AmountRules.Result.Problem.class);
		return ((AmountRules.Result.Problem) result).message();
	}

	private static EventType type(@Nullable String perUnit) {
		return new EventType("place_order", true, 10, 0, null, null, null, false, null, "total",
				(perUnit != null) ? new BigDecimal(perUnit) : null, null);
	}

}
