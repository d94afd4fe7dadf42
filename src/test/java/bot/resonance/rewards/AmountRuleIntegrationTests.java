package bot.resonance.rewards;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import bot.resonance.support.ApiResponse;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.IntegrationTestSupport;
import bot.resonance.support.LedgerChecks;
import bot.resonance.support.ResonanceClient;
import bot.resonance.support.TestBrand;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Amount rules ({@code amount_field}, {@code amount_per_unit}) configured through the
 * management API and applied to events of every source.
 */
@IntegrationTest
class AmountRuleIntegrationTests extends IntegrationTestSupport {

	private static final String PATH = "/v1/event-types/custom_event";

	@Autowired
	JdbcClient jdbc;

	@Test
	void eventTypesShowAndChangeTheirAmountRule() {
		TestBrand brand = this.client.createBrand();
		JsonNode initial = this.client.get(brand, PATH).json();
		assertThat(initial.get("amount_field").isNull()).isTrue();
		assertThat(initial.get("amount_per_unit").isNull()).isTrue();

		ApiResponse set = this.client.api(brand, "PUT", PATH, "{\"amount_field\":\"total\",\"amount_per_unit\":0.5}");
		assertThat(set.status()).as(set.toString()).isEqualTo(200);
		assertThat(set.text("amount_field")).isEqualTo("total");
		assertThat(set.json().get("amount_per_unit").decimalValue()).isEqualByComparingTo("0.5");

		// Fields not sent keep their value.
		ApiResponse other = this.client.api(brand, "PUT", PATH, "{\"amount\":3}");
		assertThat(other.text("amount_field")).isEqualTo("total");
		assertThat(other.json().get("amount_per_unit").decimalValue()).isEqualByComparingTo("0.5");
		ApiResponse whole = this.client.api(brand, "PUT", PATH, "{\"amount_per_unit\":10.000}");
		assertThat(whole.json().get("amount_per_unit").toString()).isEqualTo("10");
		assertThat(this.client.get(brand, PATH).json().get("amount_per_unit").toString()).isEqualTo("10");

		// null clears.
		ApiResponse cleared = this.client.api(brand, "PUT", PATH, "{\"amount_field\":null,\"amount_per_unit\":null}");
		assertThat(cleared.json().get("amount_field").isNull()).isTrue();
		assertThat(cleared.json().get("amount_per_unit").isNull()).isTrue();
	}

	@Test
	void badRulesAreRefusedNamingTheField() {
		TestBrand brand = this.client.createBrand();
		for (String bad : List.of("{\"amount_field\":\"Total\"}", "{\"amount_field\":\"order.total\"}",
				"{\"amount_field\":\"\"}", "{\"amount_field\":5}", "{\"amount_field\":\"" + "a".repeat(65) + "\"}",
				"{\"amount_per_unit\":0}", "{\"amount_per_unit\":-1}", "{\"amount_per_unit\":\"1\"}",
				"{\"amount_per_unit\":0.0000001}", "{\"amount_per_unit\":1e12}", "{\"amount_per_unit\":true}",
				"{\"amount_per_unit\":1e400}", "{\"amount_per_unit\":-1e400}")) {
			ApiResponse response = this.client.api(brand, "PUT", PATH, bad);
			assertThat(response.status()).as(bad + " " + response).isEqualTo(400);
			assertThat(response.json().get("detail").asString()).as(bad)
				.containsAnyOf("amount_field", "amount_per_unit");
		}
	}

	@Test
	void eventsWithoutAnAmountArePaidPerUnitOfTheField() {
		TestBrand brand = brandWith(100_000, "custom_event", Map.of("amount", 5, "amount_field", "total"));
		assertThat(awarded(brand, Map.of("total", 89.99))).isEqualTo(89);
		assertThat(awarded(brand, Map.of("total", "89.99"))).isEqualTo(89);
		this.client.eventType(brand, "custom_event", Map.of("amount_per_unit", 0.5));
		assertThat(awarded(brand, Map.of("total", "89.99", "items", 3))).isEqualTo(44);

		// An explicit amount still wins over the rule.
		ApiResponse explicit = this.client.event(brand, Map.of("event_type", "custom_event", "user_id", newUserId(),
				"server_id", "987654321098765432", "amount", 7, "metadata", Map.of("total", 1000)));
		assertThat(explicit.json().get("amount_awarded").asLong()).isEqualTo(7);

		// Without a rule, the fixed amount is paid again.
		assertThat(this.client.api(brand, "PUT", PATH, "{\"amount_field\":null}").status()).isEqualTo(200);
		assertThat(awarded(brand, Map.of("total", 1000))).isEqualTo(5);
		LedgerChecks.assertBalanced(this.jdbc, brand, 100_000);
	}

	@Test
	void eventsTheRuleCannotPriceAreInvalid() {
		TestBrand brand = brandWith(100_000, "custom_event", Map.of("amount_field", "total"));
		for (Map<String, Object> metadata : List.of(Map.<String, Object>of(), Map.<String, Object>of("total", "n/a"),
				Map.<String, Object>of("total", 0.5), Map.<String, Object>of("total", List.of(5)))) {
			ApiResponse response = event(brand, metadata);
			assertThat(response.status()).as(metadata + " " + response).isEqualTo(400);
			assertThat(response.errorCode()).isEqualTo("INVALID_REQUEST");
			assertThat(response.json().at("/error/message").asString()).contains("metadata.total");
			// Recorded, like every invalid event.
			assertThat(this.client.get(brand, "/v1/events/" + response.text("event_id")).text("status"))
				.isEqualTo("rejected");
		}
		ApiResponse noMetadata = this.client.event(brand, "custom_event", newUserId());
		assertThat(noMetadata.json().at("/error/message").asString()).contains("metadata.total is required");
		LedgerChecks.assertBalanced(this.jdbc, brand, 100_000);
	}

	@Test
	void maxAmountCapsWhatARulePays() {
		TestBrand brand = brandWith(100_000, "custom_event",
				Map.of("amount", 5, "amount_field", "total", "max_amount", 50));
		assertThat(awarded(brand, Map.of("total", 20))).isEqualTo(20);
		assertThat(awarded(brand, Map.of("total", 5000))).isEqualTo(50);
		// An explicit amount above max_amount is refused, as always.
		ApiResponse explicit = this.client.event(brand, Map.of("event_type", "custom_event", "user_id", newUserId(),
				"server_id", "987654321098765432", "amount", 51));
		assertThat(explicit.status()).isEqualTo(400);
		LedgerChecks.assertBalanced(this.jdbc, brand, 100_000);
	}

	@Test
	void manualEventsUseTheRuleToo() {
		TestBrand brand = brandWith(100_000, "place_order", Map.of("amount_field", "total", "amount_per_unit", 2));
		String body = ResonanceClient.json(Map.of("event", "place_order", "email",
				"rule" + newUserId() + "@example.com", "metadata", Map.of("order_id", "ORD-9", "total", "10.75")));
		ApiResponse response = this.client.send("POST", "/resonance-api/manual-event", body, Map.of("X-Brand-Id",
				brand.brandId(), "X-Resonance-Signature", ResonanceClient.hmacHex(brand.secretKey(), body)));
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		assertThat(response.json().get("amount_awarded").asLong()).isEqualTo(21);
	}

	private long awarded(TestBrand brand, Map<String, Object> metadata) {
		ApiResponse response = event(brand, metadata);
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		return response.json().get("amount_awarded").asLong();
	}

	private ApiResponse event(TestBrand brand, Map<String, Object> metadata) {
		return this.client.event(brand, Map.of("event_type", "custom_event", "user_id", newUserId(), "server_id",
				"987654321098765432", "metadata", metadata));
	}

}
