package bot.resonance.platform;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import bot.resonance.support.ApiResponse;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.IntegrationTestSupport;
import bot.resonance.support.TestBrand;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Text and numbers that PostgreSQL cannot store (NUL characters, unpaired UTF-16
 * surrogates, numbers beyond {@code numeric}) are refused with a 400 naming the field,
 * wherever they arrive: event bodies signed or not, management bodies, paths and query
 * strings. Nothing reaches the database to fail there with a 500.
 */
@IntegrationTest
class UnstorableInputIntegrationTests extends IntegrationTestSupport {

	private static final String SERVER = "987654321098765432";

	@Test
	void signedEventsWithUnstorableFieldsAreRecordedAsInvalid() {
		TestBrand brand = brandWith(1_000, "custom_event", Map.of());
		String body = "{\"brand_id\":\"" + brand.brandId() + "\",\"event_type\":\"custom_event\",\"user_id\":\""
				+ newUserId() + "\",\"server_id\":\"guild\\u0000one\"}";
		ApiResponse response = this.client.signedEvent(brand, body, Map.of());
		assertThat(response.status()).as(response.toString()).isEqualTo(400);
		assertThat(response.errorCode()).isEqualTo("INVALID_REQUEST");
		assertThat(response.json().at("/error/message").asString()).contains("server_id").contains("NUL");
		String eventId = response.text("event_id");
		ApiResponse recorded = this.client.get(brand, "/v1/events/" + eventId);
		assertThat(recorded.status()).as(recorded.toString()).isEqualTo(200);
		assertThat(recorded.text("server_id")).isEqualTo("guildone");
	}

	@Test
	void metadataMustBeStorable() {
		TestBrand brand = brandWith(1_000, "custom_event", Map.of());
		for (String metadata : List.of("{\"note\":\"a\\u0000b\"}", "{\"a\\u0000\":1}", "{\"note\":\"\\ud800\"}",
				"{\"list\":[\"\\udc00x\"]}", "{\"n\":1e999999999}", "{\"n\":1e99999999999}", "{\"n\":1e-20000}",
				"{\"n\":1e1000}", "{\"n\":1e-1000}")) {
			ApiResponse response = this.client.signedEvent(brand, event(brand, "\"metadata\":" + metadata), Map.of());
			assertThat(response.status()).as(metadata + " " + response).isEqualTo(400);
			assertThat(response.errorCode()).isEqualTo("INVALID_REQUEST");
			assertThat(response.json().at("/error/message").asString()).as(metadata).contains("metadata");
		}
		// Well-formed, beyond what the JSON reader takes: said so, not "not valid JSON".
		for (String metadata : List.of("{\"n\":" + "9".repeat(1001) + "}",
				"{\"a\":" + "[".repeat(600) + "]".repeat(600) + "}", "{\"" + "k".repeat(50_001) + "\":1}")) {
			ApiResponse response = this.client.signedEvent(brand, event(brand, "\"metadata\":" + metadata), Map.of());
			assertThat(response.status()).as(response.toString()).isEqualTo(400);
			assertThat(response.json().at("/error/message").asString())
				.isEqualTo("The body goes beyond what Resonance reads as JSON: at most 500 levels of nesting, numbers "
						+ "of at most 1,000 characters and field names of at most 50,000 characters.");
		}
		ApiResponse paired = this.client.signedEvent(brand,
				event(brand, "\"metadata\":{\"emoji\":\"\\ud83c\\udf89\",\"n\":1e300,\"small\":-1.5e-900}"), Map.of());
		assertThat(paired.status()).as(paired.toString()).isEqualTo(200);
		ApiResponse recorded = this.client.get(brand, "/v1/events/" + paired.text("event_id"));
		assertThat(recorded.json().at("/metadata/emoji").asString()).isEqualTo("\uD83C\uDF89");
		assertThat(recorded.json().at("/metadata/n").decimalValue()).isEqualByComparingTo("1e300");
	}

	@Test
	void hugeNumbersAreInvalidAmounts() {
		TestBrand brand = brandWith(1_000, "custom_event", Map.of());
		for (String amount : List.of("1e99999999999", "1e999999999", "-1e99999999999", "1e-99999999999")) {
			ApiResponse response = this.client.signedEvent(brand, event(brand, "\"amount\":" + amount), Map.of());
			assertThat(response.status()).as(amount + " " + response).isEqualTo(400);
			assertThat(response.json().at("/error/message").asString()).contains("amount");
		}
	}

	@Test
	void unsignedBodiesThatCannotBeReadAreRefused() {
		TestBrand brand = brandWith(1_000, "custom_event", Map.of());
		String utf8 = "{\"brand_id\":\"" + brand.brandId() + "\",\"event_type\":\"custom_event\"}";
		for (byte[] body : List.of(utf8.getBytes(StandardCharsets.UTF_16BE), utf8.getBytes(StandardCharsets.UTF_16),
				utf8.getBytes(StandardCharsets.UTF_16LE),
				"{\"brand_id\":\"x\\u0000y\"}".getBytes(StandardCharsets.UTF_8),
				"{\"brand_id\":\"\\ud800\"}".getBytes(StandardCharsets.UTF_8),
				"{\"brand_id\":\"b\",\"amount\":1e99999999999}".getBytes(StandardCharsets.UTF_8))) {
			ApiResponse response = this.client.sendBytes("POST", "/v1/events", body,
					Map.of("Content-Type", "application/json", "X-Resonance-Signature", "a".repeat(64)));
			assertThat(response.status()).as(response.toString()).isEqualTo(400);
			assertThat(response.errorCode()).isIn("INVALID_REQUEST", "BRAND_NOT_FOUND");
		}
	}

	@Test
	void managementBodiesNameTheUnstorableField() {
		TestBrand brand = brandWith(1_000, "custom_event", Map.of());
		ApiResponse currency = this.client.api(brand, "PUT", "/v1/event-types/custom_event",
				"{\"currency\":\"GEM\\u0000S\"}");
		assertThat(currency.status()).as(currency.toString()).isEqualTo(400);
		assertThat(currency.problemCode()).isEqualTo("invalid_request");
		assertThat(currency.json().get("detail").asString()).contains("'currency'").contains("NUL");

		ApiResponse name = this.client.admin("POST", "/admin/v1/brands", "{\"name\":\"Brand \\ud800\"}");
		assertThat(name.status()).as(name.toString()).isEqualTo(400);
		assertThat(name.json().get("detail").asString()).contains("'name'");

		ApiResponse key = this.client.admin("POST", "/admin/v1/brands", "{\"na\\u0000me\":\"Brand\"}");
		assertThat(key.status()).as(key.toString()).isEqualTo(400);
	}

	@Test
	void pathsAndQueriesWithNulAreRefused() {
		TestBrand brand = brandWith(1_000, "custom_event", Map.of());
		for (ApiResponse response : List.of(this.client.get(brand, "/v1/events/evt_%00"),
				this.client.get(brand, "/v1/members/123/events?starting_after=%00"),
				this.client.admin("GET", "/admin/v1/brands?starting_after=a%00b", null),
				this.client.get(brand, "/v1/webhooks?starting_after=%00"),
				this.client.admin("GET", "/admin/v1/brands/%00", null))) {
			assertThat(response.status()).as(response.toString()).isEqualTo(400);
			assertThat(response.problemCode()).as(response.toString()).isEqualTo("invalid_request");
		}
	}

	@Test
	void outOfRangeNumbersNameTheField() {
		ApiResponse response = this.client.admin("POST", "/admin/v1/brands",
				"{\"name\":\"Big\",\"rate_limit_per_minute\":99999999999999999999}");
		assertThat(response.status()).as(response.toString()).isEqualTo(400);
		assertThat(response.json().get("detail").asString()).contains("rate_limit_per_minute");

		ApiResponse twice = this.client.admin("POST", "/admin/v1/brands", "{\"name\":\"A\",\"name\":\"B\"}");
		assertThat(twice.status()).as(twice.toString()).isEqualTo(400);
		assertThat(twice.json().get("detail").asString()).contains("twice").contains("name");
	}

	private String event(TestBrand brand, String extra) {
		return "{\"brand_id\":\"" + brand.brandId() + "\",\"event_type\":\"custom_event\",\"user_id\":\"" + newUserId()
				+ "\",\"server_id\":\"" + SERVER + "\"," + extra + "}";
	}

}
