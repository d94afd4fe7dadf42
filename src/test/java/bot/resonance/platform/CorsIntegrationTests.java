package bot.resonance.platform;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import bot.resonance.support.ApiResponse;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.IntegrationTestSupport;
import bot.resonance.support.TestBrand;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CORS policy: the management, operator, event and webhook APIs are for servers and
 * refuse browsers' preflights clearly; the manual-event endpoints answer the browsers of
 * a brand's own domains. No preflight, on any path, is answered with a 500.
 */
@IntegrationTest
class CorsIntegrationTests extends IntegrationTestSupport {

	@Autowired
	@Qualifier("requestMappingHandlerMapping")
	RequestMappingHandlerMapping mappings;

	@Test
	void preflightsToServerApisAreRefusedOnEveryPath() {
		Set<String> paths = new LinkedHashSet<>();
		this.mappings.getHandlerMethods().keySet().forEach((info) -> info.getPatternValues().forEach(paths::add));
		List<String> checked = new ArrayList<>();
		for (String pattern : paths) {
			if (pattern.startsWith("/resonance-api/")) {
				continue; // browsers of brand domains may call these; see below
			}
			String path = pattern.replaceAll("\\{[^}]+}", "x1");
			for (String method : List.of("POST", "GET", "DELETE")) {
				ApiResponse response = preflight(path, "https://e.com", method);
				assertThat(response.status()).as("OPTIONS %s (%s): %s", path, method, response).isEqualTo(403);
				assertThat(response.header("Access-Control-Allow-Origin")).as(path).isNull();
				if (path.startsWith("/portal")) {
					// The portal's pages answer errors with its HTML error page.
					assertThat(response.header("Content-Type")).as(path).startsWith("text/html");
					continue;
				}
				String code = (path.equals("/v1/events")) ? response.errorCode() : response.problemCode();
				assertThat(code).as(path).isEqualToIgnoringCase("cors_not_allowed");
			}
			checked.add(path);
		}
		assertThat(checked).contains("/v1/events", "/v1/wallet", "/v1/webhooks", "/admin/v1/brands", "/portal");
		assertThat(checked).hasSizeGreaterThan(30);
		// Paths nothing maps are refused the same way, not with a 500.
		assertThat(preflight("/v1/nothing-here", "https://e.com", "POST").status()).isEqualTo(403);
		assertThat(preflight("/", "https://e.com", "GET").status()).isEqualTo(403);
	}

	@Test
	void theErrorPathIsNotAnError() {
		ApiResponse response = this.client.send("GET", "/error", null, Map.of());
		assertThat(response.status()).isEqualTo(404);
		assertThat(response.problemCode()).isEqualTo("not_found");
	}

	@Test
	void manualEventsAnswerBrowsersOfTheBrandsDomains() {
		TestBrand brand = brandWith(10_000, "place_order", Map.of("amount", 30));
		String domain = "shop" + newUserId() + ".example.com";
		String origin = "https://" + domain;
		assertThat(
				this.client
					.adminPatch(brand,
							Map.of("allow_unsigned_manual_events", true, "unsigned_manual_event_max_amount", 50,
									"domains", List.of(domain)))
					.status())
			.isEqualTo(200);

		ApiResponse allowed = this.client.send("OPTIONS", "/resonance-api/manual-event", null, Map.of("Origin", origin,
				"Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type, x-brand-id"));
		assertThat(allowed.status()).as(allowed.toString()).isEqualTo(204);
		assertThat(allowed.header("Access-Control-Allow-Origin")).isEqualTo(origin);
		assertThat(allowed.header("Access-Control-Allow-Methods")).contains("POST");
		assertThat(allowed.header("Access-Control-Allow-Headers")).containsIgnoringCase("content-type")
			.containsIgnoringCase("x-brand-id");
		assertThat(allowed.header("Vary")).contains("Origin");
		// Naming the brand in the query works too.
		assertThat(this.client
			.send("OPTIONS", "/resonance-api/manual-event?brand_id=" + brand.brandId(), null,
					Map.of("Origin", origin, "Access-Control-Request-Method", "POST"))
			.status()).isEqualTo(204);
		// The debug endpoint may be read from the same browsers.
		assertThat(preflight("/resonance-api/debug", origin, "GET").status()).isEqualTo(204);

		// Another site, a header that is not part of the API, or another method: refused.
		ApiResponse elsewhere = preflight("/resonance-api/manual-event", "https://evil.example.net", "POST");
		assertThat(elsewhere.status()).isEqualTo(403);
		assertThat(elsewhere.errorCode()).isEqualTo("CORS_NOT_ALLOWED");
		assertThat(elsewhere.header("Access-Control-Allow-Origin")).isNull();
		ApiResponse otherBrand = this.client.send("OPTIONS",
				"/resonance-api/manual-event?brand_id=" + this.client.createBrand().brandId(), null,
				Map.of("Origin", origin, "Access-Control-Request-Method", "POST"));
		assertThat(otherBrand.status()).isEqualTo(403);
		ApiResponse header = this.client.send("OPTIONS", "/resonance-api/manual-event", null, Map.of("Origin", origin,
				"Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "x-api-key"));
		assertThat(header.status()).isEqualTo(403);
		assertThat(header.json().at("/error/message").asString()).contains("x-api-key");
		assertThat(preflight("/resonance-api/manual-event", origin, "DELETE").status()).isEqualTo(403);

		// The actual request from the brand's site can read its answer.
		String body = "{\"event\":\"place_order\",\"email\":\"c" + newUserId() + "@example.com\"}";
		ApiResponse sent = this.client.send("POST", "/resonance-api/manual-event", body,
				Map.of("Content-Type", "application/json", "Origin", origin));
		assertThat(sent.status()).as(sent.toString()).isEqualTo(200);
		assertThat(sent.header("Access-Control-Allow-Origin")).isEqualTo(origin);
		assertThat(sent.header("Vary")).contains("Origin");
		// From another site the answer carries no permission to read it.
		ApiResponse foreign = this.client.send("POST", "/resonance-api/manual-event", body, Map.of("Content-Type",
				"application/json", "Origin", "https://evil.example.net", "X-Brand-Id", brand.brandId()));
		assertThat(foreign.header("Access-Control-Allow-Origin")).isNull();
	}

	private ApiResponse preflight(String path, String origin, String method) {
		return this.client.send("OPTIONS", path, null,
				Map.of("Origin", origin, "Access-Control-Request-Method", method));
	}

}
