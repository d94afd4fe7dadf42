package bot.resonance.portal;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import bot.resonance.support.ApiResponse;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.TestBrand;

import static bot.resonance.support.ResonanceClient.hmacHex;
import static bot.resonance.support.ResonanceClient.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The integrations page ({@code /portal/integrations}): manual events' domains, the
 * set-up check and the Shopify settings, changed on the page and read back through the
 * API (one copy of the data and rules), refused for viewers, brand by brand.
 */
@IntegrationTest
class PortalIntegrationsIntegrationTests extends PortalIntegrationTestSupport {

	private static final String PAGE = "/portal/integrations";

	private static final String SECRET = "shpss_0123456789abcdef";

	@Test
	void shopifyConfiguredOnThePageIsWhatTheApiShowsAndTheSecretIsNeverShown() {
		TestBrand brand = this.client.createBrand();
		PortalBrowser browser = signedInUser(brand, "developer");
		PortalBrowser.Page before = browser.get(PAGE);
		assertThat(before.status()).isEqualTo(200);
		assertThat(before.body()).contains("Not configured").contains("id=\"shopify-form\"");
		assertThat(this.client.get(brand, "/v1/integrations/shopify").status()).isEqualTo(404);

		PortalBrowser.Page saved = browser.submit(PAGE, PAGE + "/shopify", Map.of("webhook_secret", SECRET,
				"order_topic", "orders/create", "event_type", "shop_order", "enabled", "true"));
		assertThat(saved.status()).as(saved.toString()).isEqualTo(302);
		assertThat(saved.location()).endsWith(PAGE);
		ApiResponse api = this.client.get(brand, "/v1/integrations/shopify");
		assertThat(api.status()).isEqualTo(200);
		assertThat(api.text("order_topic")).isEqualTo("orders/create");
		assertThat(api.text("event_type")).isEqualTo("shop_order");
		assertThat(api.json().path("enabled").asBoolean()).isTrue();
		assertThat(api.text("webhook_secret_last4")).isEqualTo("cdef");

		PortalBrowser.Page page = browser.get(PAGE);
		assertThat(page.body()).contains("Shopify configured.")
			.contains("id=\"shopify-order-topic\">orders/create<")
			.contains("id=\"shopify-event-type\">shop_order<")
			.contains(api.text("webhook_url"))
			.contains("ending in <code>cdef</code>")
			.doesNotContain(SECRET)
			.doesNotContain("0123456789ab");

		// Unticked, the box disables; an empty secret keeps the one there is.
		PortalBrowser.Page disabled = browser.submit(PAGE, PAGE + "/shopify",
				Map.of("webhook_secret", "", "order_topic", "orders/paid", "event_type", "shop_order"));
		assertThat(disabled.status()).as(disabled.toString()).isEqualTo(302);
		ApiResponse after = this.client.get(brand, "/v1/integrations/shopify");
		assertThat(after.json().path("enabled").asBoolean()).isFalse();
		assertThat(after.text("order_topic")).isEqualTo("orders/paid");
		assertThat(after.text("webhook_secret_last4")).isEqualTo("cdef");

		// Set through the API, shown on the page.
		assertThat(this.client
			.api(brand, "PUT", "/v1/integrations/shopify", json(Map.of("event_type", "api_order", "enabled", true)))
			.status()).isEqualTo(200);
		assertThat(browser.get(PAGE).body()).contains("id=\"shopify-event-type\">api_order<")
			.contains("class=\"badge ok\">Enabled<");

		PortalBrowser.Page removed = browser.submit(PAGE, PAGE + "/shopify/remove", Map.of());
		assertThat(removed.status()).isEqualTo(302);
		assertThat(this.client.get(brand, "/v1/integrations/shopify").status()).isEqualTo(404);
		assertThat(browser.submit(PAGE, PAGE + "/shopify/remove", Map.of()).status()).isEqualTo(404);
	}

	@Test
	void invalidShopifySettingsAre422WithTheApisMessageAndKeepWhatWasTyped() {
		TestBrand brand = this.client.createBrand();
		PortalBrowser browser = signedInUser(brand, "admin");
		PortalBrowser.Page noSecret = browser.submit(PAGE, PAGE + "/shopify",
				Map.of("order_topic", "orders/paid", "event_type", "place_order", "enabled", "true"));
		assertThat(noSecret.status()).isEqualTo(422);
		assertThat(noSecret.body()).contains("Field &#39;webhook_secret&#39; is required to configure Shopify");

		PortalBrowser.Page shortSecret = browser.submit(PAGE, PAGE + "/shopify",
				Map.of("webhook_secret", "short", "order_topic", "orders/paid", "event_type", "typed_type"));
		assertThat(shortSecret.status()).isEqualTo(422);
		assertThat(shortSecret.body()).contains("must be 8 to 256 visible ASCII characters")
			.containsPattern("id=\"webhook_secret\"[^>]*aria-invalid=\"true\"[^>]*aria-describedby=\"shopify-error\"")
			.contains("value=\"typed_type\"");

		PortalBrowser.Page badType = browser.submit(PAGE, PAGE + "/shopify", Map.of("webhook_secret", SECRET,
				"order_topic", "orders/paid", "event_type", "<script>alert(1)</script>"));
		assertThat(badType.status()).isEqualTo(422);
		assertThat(badType.body()).contains("must be an event type name")
			.contains("value=\"&lt;script&gt;alert(1)&lt;/script&gt;\"")
			.doesNotContain("<script>alert(1)")
			.doesNotContain(SECRET);

		PortalBrowser.Page badTopic = browser.submit(PAGE, PAGE + "/shopify",
				Map.of("webhook_secret", SECRET, "order_topic", "orders/cancelled", "event_type", "place_order"));
		assertThat(badTopic.status()).isEqualTo(422);
		assertThat(badTopic.body()).contains("Field &#39;order_topic&#39; must be");
		assertThat(this.client.get(brand, "/v1/integrations/shopify").status()).isEqualTo(404);
	}

	@Test
	void domainsSavedOnThePageAreTheBrandsAndInvalidOnesGetTheApisMessage() {
		TestBrand brand = this.client.createBrand();
		String host = "shop" + EMAILS.incrementAndGet() + ".example.com";
		PortalBrowser browser = signedInUser(brand, "developer");
		PortalBrowser.Page saved = browser.submit(PAGE, PAGE + "/domains",
				Map.of("domains", "https://" + host + "/\n\nwww." + host));
		assertThat(saved.status()).as(saved.toString()).isEqualTo(302);
		ApiResponse operator = this.client.admin("GET", "/admin/v1/brands/" + brand.brandId(), null);
		assertThat(operator.json().path("domains").toString()).isEqualTo("[\"" + host + "\",\"www." + host + "\"]");
		assertThat(browser.get(PAGE).body()).contains("<li><code>" + host + "</code></li>").contains("Domains saved.");
		// The debug endpoint now finds the brand by a page of that domain.
		ApiResponse debug = this.client.send("GET", "/resonance-api/debug", null, Map.of("Origin", "https://" + host));
		assertThat(debug.json().path("brand").path("brand_id").asString()).isEqualTo(brand.brandId());

		PortalBrowser.Page invalid = browser.submit(PAGE, PAGE + "/domains",
				Map.of("domains", "good.example.org\n<script>alert(1)</script>"));
		assertThat(invalid.status()).isEqualTo(422);
		assertThat(invalid.body()).contains("is not a host name (shop.example.com) or an origin")
			.contains("&lt;script&gt;alert(1)&lt;/script&gt;")
			.doesNotContain("<script>alert(1)")
			.containsPattern("id=\"domains\"[^>]*aria-invalid=\"true\"[^>]*aria-describedby=\"domains-error\"");

		TestBrand other = this.client.createBrand();
		PortalBrowser.Page taken = signedInUser(other, "admin").submit(PAGE, PAGE + "/domains",
				Map.of("domains", "www." + host));
		assertThat(taken.status()).isEqualTo(409);
		assertThat(taken.body()).contains("These domains belong to another brand");
		assertThat(this.client.admin("GET", "/admin/v1/brands/" + brand.brandId(), null).json().path("domains").size())
			.isEqualTo(2);

		assertThat(browser.submit(PAGE, PAGE + "/domains", Map.of("domains", "")).status()).isEqualTo(302);
		assertThat(this.client.admin("GET", "/admin/v1/brands/" + brand.brandId(), null).json().path("domains").size())
			.isZero();
	}

	@Test
	void theDebugOutputIsTheBrandsAndChecksASignatureWithoutShowingTheExpectedOne() {
		TestBrand brand = this.client.createBrand();
		TestBrand other = this.client.createBrand();
		PortalBrowser browser = signedInUser(brand, "viewer");
		PortalBrowser.Page page = browser.get(PAGE);
		assertThat(page.body()).contains("id=\"debug-output\"")
			.contains("&quot;brand_id&quot; : &quot;" + brand.brandId() + "&quot;")
			.contains("&quot;found&quot; : true");

		// A viewer may check (nothing changes); the brand is the user's even when the
		// body names another.
		String body = "{\"event\":\"place_order\",\"email\":\"<b>jane</b>@example.com\",\"brand_id\":\""
				+ other.brandId() + "\"}";
		PortalBrowser.Page good = browser.submit(PAGE, PAGE + "/debug",
				Map.of("body", body, "signature", hmacHex(brand.secretKey(), body)));
		assertThat(good.status()).isEqualTo(200);
		assertThat(section(good.body(), "check-output")).contains("&quot;valid&quot; : true")
			.contains(brand.brandId())
			.doesNotContain(other.brandId());

		String wrong = hmacHex(other.secretKey(), body);
		PortalBrowser.Page bad = browser.submit(PAGE, PAGE + "/debug", Map.of("body", body, "signature", wrong));
		String output = section(bad.body(), "check-output");
		assertThat(output).contains("&quot;valid&quot; : false")
			.contains("signed_string")
			.contains("&lt;b&gt;jane&lt;/b&gt;")
			.doesNotContain(hmacHex(brand.secretKey(), body));
		assertThat(bad.body()).doesNotContain("<b>jane</b>").doesNotContain(brand.secretKey());
	}

	@Test
	void viewersChangeNothingAndNoFormIsShownToThem() {
		TestBrand brand = this.client.createBrand();
		assertThat(this.client
			.api(brand, "PUT", "/v1/integrations/shopify", json(Map.of("webhook_secret", SECRET, "event_type", "kept")))
			.status()).isEqualTo(201);
		PortalBrowser viewer = signedInUser(brand, "viewer");
		PortalBrowser.Page page = viewer.get(PAGE);
		assertThat(page.body()).doesNotContain("id=\"shopify-form\"")
			.doesNotContain("id=\"domains-form\"")
			.doesNotContain("id=\"shopify-remove\"");
		String token = page.csrfToken();
		PortalBrowser.Page shopify = viewer.post(PAGE + "/shopify", Map.of("_csrf", token, "webhook_secret",
				"another-secret", "order_topic", "orders/create", "event_type", "changed", "enabled", "true"));
		assertThat(shopify.status()).isEqualTo(403);
		assertThat(shopify.body()).contains("Only developers and admins may change the Shopify settings");
		assertThat(viewer.post(PAGE + "/shopify/remove", Map.of("_csrf", token)).status()).isEqualTo(403);
		assertThat(viewer.post(PAGE + "/domains", Map.of("_csrf", token, "domains", "viewer.example.com")).status())
			.isEqualTo(403);
		ApiResponse api = this.client.get(brand, "/v1/integrations/shopify");
		assertThat(api.text("event_type")).isEqualTo("kept");
		assertThat(api.text("order_topic")).isEqualTo("orders/paid");
		assertThat(this.client.admin("GET", "/admin/v1/brands/" + brand.brandId(), null).json().path("domains").size())
			.isZero();
	}

	@Test
	void postsWithoutTheCsrfTokenAreRefused() {
		TestBrand brand = this.client.createBrand();
		PortalBrowser admin = signedInUser(brand, "admin");
		Map<String, String> fields = new LinkedHashMap<>(Map.of("webhook_secret", SECRET, "order_topic", "orders/paid",
				"event_type", "place_order", "enabled", "true"));
		assertThat(admin.post(PAGE + "/shopify", fields).status()).isEqualTo(403);
		assertThat(admin.post(PAGE + "/domains", Map.of("domains", "csrf.example.com")).status()).isEqualTo(403);
		assertThat(admin.post(PAGE + "/debug", Map.of("body", "{}")).status()).isEqualTo(403);
		assertThat(this.client.get(brand, "/v1/integrations/shopify").status()).isEqualTo(404);
	}

	@Test
	void aUserSeesAndChangesOnlyTheirOwnBrandsIntegrations() {
		TestBrand first = this.client.createBrand();
		String host = "first" + EMAILS.incrementAndGet() + ".example.com";
		assertThat(this.client.adminPatch(first, Map.of("domains", java.util.List.of(host))).status()).isEqualTo(200);
		assertThat(this.client
			.api(first, "PUT", "/v1/integrations/shopify",
					json(Map.of("webhook_secret", SECRET, "event_type", "first_brand_order")))
			.status()).isEqualTo(201);
		TestBrand second = this.client.createBrand();
		PortalBrowser other = signedInUser(second, "admin");
		PortalBrowser.Page page = other.get(PAGE + "?brand_id=" + first.brandId());
		assertThat(page.body()).doesNotContain(first.brandId())
			.doesNotContain(host)
			.doesNotContain("first_brand_order")
			.contains("Not configured");
		// Changing "its" Shopify settings configures the second brand's, never the
		// first's; removing finds nothing to remove.
		assertThat(other.submit(PAGE, PAGE + "/shopify/remove", Map.of("brand_id", first.brandId())).status())
			.isEqualTo(404);
		assertThat(other
			.submit(PAGE, PAGE + "/shopify", Map.of("brand_id", first.brandId(), "webhook_secret", "second-secret",
					"order_topic", "orders/paid", "event_type", "second_order", "enabled", "true"))
			.status()).isEqualTo(302);
		assertThat(this.client.get(first, "/v1/integrations/shopify").text("event_type"))
			.isEqualTo("first_brand_order");
		assertThat(this.client.get(second, "/v1/integrations/shopify").text("event_type")).isEqualTo("second_order");
	}

	private static String section(String body, String id) {
		int start = body.indexOf("id=\"" + id + "\"");
		assertThat(start).as(id + " in\n" + body).isNotNegative();
		return body.substring(start, body.indexOf("</pre>", start));
	}

}
