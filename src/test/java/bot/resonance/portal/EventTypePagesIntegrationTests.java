package bot.resonance.portal;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import bot.resonance.support.ApiResponse;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.TestBrand;

import static bot.resonance.support.ResonanceClient.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Event types in the portal: the same types, rules and refusals as
 * {@code /v1/event-types}, changed by developers and admins, read by everyone, one brand
 * at a time.
 */
@IntegrationTest
class EventTypePagesIntegrationTests extends PortalIntegrationTestSupport {

	private static final String LIST = "/portal/event-types";

	@Test
	void aDeveloperEnablesAnEventTypeAndItsEventsAreAwarded() {
		TestBrand brand = this.client.createBrand();
		this.client.fund(brand, 10_000);
		assertThat(this.client.event(brand, "daily_checkin", newUserId()).errorCode()).isEqualTo("EVENT_DISABLED");
		PortalBrowser developer = signedInUser(brand, "developer");
		PortalBrowser.Page list = developer.get(LIST);
		assertThat(list.status()).isEqualTo(200);
		assertThat(list.body()).contains("id=\"event-type-daily_checkin\" data-enabled=\"false\"")
			.contains("id=\"toggle-daily_checkin\"");

		PortalBrowser.Page saved = developer.submit(LIST + "/daily_checkin", LIST + "/daily_checkin",
				rules(Map.of("enabled", "true", "amount", "25", "cooldown_seconds", "0")));
		assertThat(saved.status()).as(saved.toString()).isEqualTo(302);
		assertThat(saved.location()).endsWith(LIST);
		assertThat(developer.get(LIST).body()).contains("id=\"event-type-daily_checkin\" data-enabled=\"true\"")
			.contains("Saved daily_checkin");
		JsonNode type = this.client.get(brand, "/v1/event-types/daily_checkin").json();
		assertThat(type.get("enabled").asBoolean()).isTrue();
		assertThat(type.get("amount").asLong()).isEqualTo(25);

		ApiResponse awarded = this.client.event(brand, "daily_checkin", newUserId());
		assertThat(awarded.status()).as(awarded.toString()).isEqualTo(200);
		assertThat(awarded.json().get("amount_awarded").asLong()).isEqualTo(25);

		PortalBrowser.Page disabled = developer.submit(LIST, LIST + "/daily_checkin/enabled",
				Map.of("enabled", "false"));
		assertThat(disabled.status()).isEqualTo(302);
		assertThat(this.client.get(brand, "/v1/event-types/daily_checkin").json().get("enabled").asBoolean()).isFalse();
		ApiResponse refused = this.client.event(brand, "daily_checkin", newUserId());
		assertThat(refused.status()).isEqualTo(400);
		assertThat(refused.errorCode()).isEqualTo("EVENT_DISABLED");

		assertThat(developer.submit(LIST, LIST + "/daily_checkin/enabled", Map.of("enabled", "true")).status())
			.isEqualTo(302);
		assertThat(this.client.event(brand, "daily_checkin", newUserId()).status()).isEqualTo(200);
	}

	@Test
	void theListAndTheFormShowTheApisRules() {
		TestBrand brand = brandWith(1_000, "place_order", Map.of("amount", 7, "cooldown_seconds", 3600, "daily_limit",
				3, "max_amount", 500, "amount_field", "total", "amount_per_unit", 0.5));
		PortalBrowser viewer = signedInUser(brand, "viewer");
		String list = viewer.get(LIST).body();
		String row = list.substring(list.indexOf("id=\"event-type-place_order\""));
		row = row.substring(0, row.indexOf("</tr>"));
		assertThat(row).contains("Enabled")
			.contains(">7<")
			.contains(">1 hour<")
			.contains(">3<")
			.contains(">500<")
			.contains("0.5 per metadata.total");
		assertThat(list).doesNotContain("id=\"toggle-place_order\"").doesNotContain("id=\"create-event-type\"");

		PortalBrowser.Page form = viewer.get(LIST + "/place_order");
		assertThat(form.status()).isEqualTo(200);
		assertThat(form.body()).contains("id=\"event-type-enabled\" name=\"enabled\" type=\"checkbox\" value=\"true\"")
			.contains("checked=\"checked\"")
			.contains("id=\"event-type-amount\" name=\"amount\" type=\"text\" autocomplete=\"off\" value=\"7\"")
			.contains("name=\"amount_per_unit\" type=\"text\" autocomplete=\"off\" value=\"0.5\"")
			.contains("name=\"amount_field\" type=\"text\" autocomplete=\"off\" value=\"total\"")
			.doesNotContain("id=\"save-event-type\"");
	}

	@Test
	void aDeveloperCreatesChangesAndDeletesACustomType() {
		TestBrand brand = this.client.createBrand();
		this.client.fund(brand, 10_000);
		PortalBrowser developer = signedInUser(brand, "developer");
		PortalBrowser.Page created = developer.submit(LIST, LIST, Map.of("name", "place_order"));
		assertThat(created.status()).as(created.toString()).isEqualTo(302);
		assertThat(created.location()).endsWith(LIST + "/place_order");
		JsonNode type = this.client.get(brand, "/v1/event-types/place_order").json();
		assertThat(type.get("enabled").asBoolean()).isFalse();
		assertThat(type.get("built_in").asBoolean()).isFalse();

		PortalBrowser.Page again = developer.submit(LIST, LIST, Map.of("name", "place_order"));
		assertThat(again.status()).isEqualTo(422);
		assertThat(again.body()).contains("id=\"new-event-type-name-error\"").contains("exists already");
		assertThat(developer.submit(LIST, LIST, Map.of("name", "daily_checkin")).status()).isEqualTo(422);

		PortalBrowser.Page saved = developer.submit(LIST + "/place_order", LIST + "/place_order",
				rules(Map.of("enabled", "true", "amount", "10", "max_amount", "1000", "amount_field", "total",
						"amount_per_unit", "0.5", "daily_limit", "3", "affiliate_amount", "2")));
		assertThat(saved.status()).as(saved.toString()).isEqualTo(302);
		type = this.client.get(brand, "/v1/event-types/place_order").json();
		assertThat(type.get("enabled").asBoolean()).isTrue();
		assertThat(type.get("max_amount").asLong()).isEqualTo(1000);
		assertThat(type.get("amount_field").asString()).isEqualTo("total");
		assertThat(type.get("amount_per_unit").decimalValue()).isEqualByComparingTo("0.5");
		assertThat(type.get("daily_limit").asInt()).isEqualTo(3);
		assertThat(type.get("affiliate_amount").asLong()).isEqualTo(2);
		ApiResponse ordered = this.client.event(brand, Map.of("event_type", "place_order", "user_id", newUserId(),
				"server_id", "1", "metadata", Map.of("total", "89.99")));
		assertThat(ordered.status()).as(ordered.toString()).isEqualTo(200);
		assertThat(ordered.json().get("amount_awarded").asLong()).isEqualTo(44);

		// Blank fields clear what may be cleared; an unticked box disables.
		Map<String, String> cleared = rules(Map.of("amount", "10"));
		cleared.remove("enabled");
		assertThat(developer.submit(LIST + "/place_order", LIST + "/place_order", cleared).status()).isEqualTo(302);
		type = this.client.get(brand, "/v1/event-types/place_order").json();
		assertThat(type.get("enabled").asBoolean()).isFalse();
		assertThat(type.get("max_amount").isNull()).isTrue();
		assertThat(type.get("amount_field").isNull()).isTrue();
		assertThat(type.get("daily_limit").isNull()).isTrue();

		PortalBrowser.Page deleted = developer.submit(LIST + "/place_order", LIST + "/place_order/delete", Map.of());
		assertThat(deleted.status()).isEqualTo(302);
		assertThat(this.client.get(brand, "/v1/event-types/place_order").status()).isEqualTo(404);
		assertThat(developer.get(LIST + "/place_order").status()).isEqualTo(404);

		PortalBrowser.Page builtIn = developer.submit(LIST + "/daily_checkin", LIST + "/daily_checkin/delete",
				Map.of());
		assertThat(builtIn.status()).isEqualTo(302);
		assertThat(developer.get(builtIn.location().substring(this.client.base().length())).body())
			.contains("Built-in event types cannot be deleted");
	}

	@Test
	void theFormRefusesWhatTheApiRefusesWithTheApisWordsNextToTheField() {
		TestBrand brand = brandWith(1_000, "custom_event", Map.of("amount", 5));
		PortalBrowser developer = signedInUser(brand, "developer");
		String[][] cases = { { "amount", "0", "event-type-amount" }, { "amount", "abc", "event-type-amount" },
				{ "amount", "99999999999999999999999", "event-type-amount" }, { "amount", "1.5", "event-type-amount" },
				{ "cooldown_seconds", "-1", "event-type-cooldown-seconds" },
				{ "cooldown_seconds", "31536001", "event-type-cooldown-seconds" },
				{ "daily_limit", "0", "event-type-daily-limit" }, { "max_amount", "1", "event-type-amount" },
				{ "amount_per_unit", "0.1234567", "event-type-amount-per-unit" },
				{ "amount_per_unit", "1e3", "event-type-amount-per-unit" },
				{ "amount_per_unit", "-2", "event-type-amount-per-unit" },
				{ "amount_field", "Total!", "event-type-amount-field" }, { "currency", "NOPE", "event-type-currency" },
				{ "affiliate_amount", "0", "event-type-affiliate-amount" } };
		for (String[] tried : cases) {
			Map<String, String> values = new LinkedHashMap<>(Map.of("enabled", "true", "amount", "5"));
			values.put(tried[0], tried[1]);
			Map<String, String> form = rules(values);
			PortalBrowser.Page refused = developer.submit(LIST + "/custom_event", LIST + "/custom_event", form);
			assertThat(refused.status()).as(tried[0] + "=" + tried[1] + ": " + refused).isEqualTo(422);
			String detail = apiRefusal(brand, form);
			assertThat(refused.body()).as(tried[0] + "=" + tried[1])
				.contains("<p class=\"field-error\" id=\"" + tried[2] + "-error\">" + escaped(detail) + "</p>")
				.contains("aria-invalid=\"true\"");
			if (!tried[0].equals("currency")) {
				assertThat(refused.body()).as("keeps what was typed")
					.contains("name=\"" + tried[0] + "\" type=\"text\" autocomplete=\"off\" value=\""
							+ escaped(tried[1]) + "\"");
			}
		}
		PortalBrowser.Page notABoolean = developer.submit(LIST + "/custom_event", LIST + "/custom_event",
				rules(Map.of("enabled", "maybe", "amount", "5")));
		assertThat(notABoolean.status()).isEqualTo(422);
		assertThat(notABoolean.body()).contains("Field &#39;enabled&#39; must be true or false.");
		JsonNode unchanged = this.client.get(brand, "/v1/event-types/custom_event").json();
		assertThat(unchanged.get("amount").asLong()).isEqualTo(5);
		assertThat(unchanged.get("max_amount").isNull()).isTrue();

		assertThat(developer.submit(LIST, LIST + "/custom_event/enabled", Map.of("enabled", "maybe")).status())
			.isEqualTo(400);
		assertThat(developer.submit(LIST, LIST, Map.of("name", "Place Order")).status()).isEqualTo(422);
		assertThat(developer.submit(LIST, LIST, Map.of()).status()).isEqualTo(422);
		assertThat(developer.get(LIST + "/" + "x".repeat(65)).status()).isEqualTo(400);
	}

	@Test
	void whatUsersTypeIsRenderedEscaped() {
		TestBrand brand = brandWith(1_000, "custom_event", Map.of("amount", 5));
		PortalBrowser developer = signedInUser(brand, "developer");
		String script = "<script>alert(1)</script>";
		PortalBrowser.Page name = developer.submit(LIST, LIST, Map.of("name", script));
		assertThat(name.status()).isEqualTo(422);
		assertThat(name.body()).doesNotContain("<script>alert(1)").contains("&lt;script&gt;alert(1)&lt;/script&gt;");

		PortalBrowser.Page currency = developer.submit(LIST + "/custom_event", LIST + "/custom_event",
				rules(Map.of("amount", "5", "currency", "<script>x")));
		assertThat(currency.status()).isEqualTo(422);
		assertThat(currency.body()).doesNotContain("<script>x").contains("currency &#39;&lt;script&gt;x&#39;");
		PortalBrowser.Page field = developer.submit(LIST + "/custom_event", LIST + "/custom_event",
				rules(Map.of("amount", "5", "amount_field", script)));
		assertThat(field.status()).isEqualTo(422);
		assertThat(field.body()).doesNotContain("<script>alert(1)").contains("value=\"&lt;script&gt;alert(1)");

		PortalBrowser.Page path = developer.get(LIST + "/%3Cscript%3Ealert(1)%3C%2Fscript%3E");
		assertThat(path.status()).isBetween(400, 404);
		assertThat(path.body()).doesNotContain("<script>alert(1)");
	}

	@Test
	void viewersMayNotChangeEventTypes() {
		TestBrand brand = brandWith(1_000, "custom_event", Map.of("amount", 5));
		this.client.eventType(brand, "place_order", Map.of("amount", 3));
		PortalBrowser viewer = signedInUser(brand, "viewer");
		assertThat(viewer
			.submit(LIST + "/custom_event", LIST + "/custom_event", rules(Map.of("amount", "50", "enabled", "true")))
			.status()).isEqualTo(403);
		assertThat(viewer.submit(LIST, LIST + "/custom_event/enabled", Map.of("enabled", "false")).status())
			.isEqualTo(403);
		assertThat(viewer.submit(LIST, LIST, Map.of("name", "new_type")).status()).isEqualTo(403);
		assertThat(viewer.submit(LIST, LIST + "/place_order/delete", Map.of()).status()).isEqualTo(403);

		JsonNode type = this.client.get(brand, "/v1/event-types/custom_event").json();
		assertThat(type.get("enabled").asBoolean()).isTrue();
		assertThat(type.get("amount").asLong()).isEqualTo(5);
		assertThat(this.client.get(brand, "/v1/event-types/new_type").status()).isEqualTo(404);
		assertThat(this.client.get(brand, "/v1/event-types/place_order").status()).isEqualTo(200);
	}

	@Test
	void anotherBrandsTypesAreNotFound() {
		TestBrand first = brandWith(1_000, "first_brand_only", Map.of("amount", 5));
		TestBrand second = this.client.createBrand();
		PortalBrowser admin = signedInUser(second, "admin");
		assertThat(admin.get(LIST).body()).doesNotContain("first_brand_only");
		assertThat(admin.get(LIST + "/first_brand_only").status()).isEqualTo(404);
		assertThat(admin.submit(LIST, LIST + "/first_brand_only", rules(Map.of("amount", "50"))).status())
			.isEqualTo(404);
		assertThat(admin.submit(LIST, LIST + "/first_brand_only/enabled", Map.of("enabled", "false")).status())
			.isEqualTo(404);
		assertThat(admin.submit(LIST, LIST + "/first_brand_only/delete", Map.of()).status()).isEqualTo(404);
		assertThat(admin
			.submit(LIST, LIST + "/daily_checkin/enabled?brand_id=" + first.brandId(),
					Map.of("enabled", "true", "brand_id", first.brandId()))
			.status()).isEqualTo(302);

		JsonNode type = this.client.get(first, "/v1/event-types/first_brand_only").json();
		assertThat(type.get("enabled").asBoolean()).isTrue();
		assertThat(type.get("amount").asLong()).isEqualTo(5);
		assertThat(this.client.get(first, "/v1/event-types/daily_checkin").json().get("enabled").asBoolean()).isFalse();
		assertThat(this.client.get(second, "/v1/event-types/daily_checkin").json().get("enabled").asBoolean()).isTrue();
		assertThat(this.client.get(second, "/v1/event-types/first_brand_only").status()).isEqualTo(404);
	}

	@Test
	void changesWithoutTheCsrfTokenAreRefused() {
		TestBrand brand = brandWith(1_000, "custom_event", Map.of("amount", 5));
		PortalBrowser developer = signedInUser(brand, "developer");
		developer.get(LIST);
		assertThat(developer.post(LIST + "/custom_event", rules(Map.of("amount", "50"))).status()).isEqualTo(403);
		assertThat(developer.post(LIST + "/custom_event/enabled", Map.of("enabled", "false")).status()).isEqualTo(403);
		assertThat(developer.post(LIST, Map.of("name", "sneaky")).status()).isEqualTo(403);
		JsonNode type = this.client.get(brand, "/v1/event-types/custom_event").json();
		assertThat(type.get("enabled").asBoolean()).isTrue();
		assertThat(type.get("amount").asLong()).isEqualTo(5);
		assertThat(this.client.get(brand, "/v1/event-types/sneaky").status()).isEqualTo(404);
	}

	/**
	 * The edit form as a browser posts it: every field (blank ones empty), the box's
	 * marker, and the box when ticked.
	 */
	private static Map<String, String> rules(Map<String, String> values) {
		Map<String, String> form = new LinkedHashMap<>();
		form.put("_enabled", "present");
		form.put("enabled", "true");
		for (String field : new String[] { "amount", "cooldown_seconds", "daily_limit", "max_amount", "amount_field",
				"amount_per_unit", "affiliate_amount" }) {
			form.put(field, "");
		}
		form.put("cooldown_seconds", "0");
		form.putAll(values);
		if (!values.containsKey("currency")) {
			form.remove("currency");
		}
		return form;
	}

	/** What {@code PUT /v1/event-types/custom_event} answers for the same values. */
	private String apiRefusal(TestBrand brand, Map<String, String> form) {
		Map<String, Object> body = new LinkedHashMap<>();
		form.forEach((field, value) -> {
			if (field.startsWith("_")) {
				return;
			}
			if (value.isEmpty()) {
				body.put(field, null);
			}
			else if (field.equals("enabled")) {
				body.put(field, Boolean.parseBoolean(value));
			}
			else if (value.matches("-?[0-9]+")) {
				body.put(field, new java.math.BigInteger(value));
			}
			else if (value.matches("-?[0-9]*\\.[0-9]+")) {
				body.put(field, new java.math.BigDecimal(value));
			}
			else {
				body.put(field, value);
			}
		});
		ApiResponse response = this.client.api(brand, "PUT", "/v1/event-types/custom_event", json(body));
		assertThat(response.status()).as(response.toString()).isEqualTo(400);
		return response.text("detail");
	}

	private static String escaped(String text) {
		return text.replace("&", "&amp;")
			.replace("<", "&lt;")
			.replace(">", "&gt;")
			.replace("\"", "&quot;")
			.replace("'", "&#39;");
	}

}
