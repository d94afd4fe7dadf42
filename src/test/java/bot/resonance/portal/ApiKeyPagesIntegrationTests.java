package bot.resonance.portal;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import bot.resonance.support.ApiResponse;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.TestBrand;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Settings and Settings &gt; API Keys: the brand_id and the state of the keys for every
 * role; rotation for admins only, through the same service as the operator API, with the
 * new key shown once and the previous one working for the chosen grace period.
 */
@IntegrationTest
class ApiKeyPagesIntegrationTests extends PortalIntegrationTestSupport {

	private static final String PAGE = "/portal/settings/api-keys";

	private static final Pattern NEW_SECRET = Pattern.compile("id=\"new-secret\">(rsk_[A-Za-z0-9]+)<");

	private static final Pattern NEW_API_KEY = Pattern.compile("id=\"new-api-key\">(rsn_[A-Za-z0-9_]+)<");

	@Test
	void theSettingsPageLinksToItsPages() {
		PortalBrowser viewer = signedInUser(this.client.createBrand(), "viewer");
		PortalBrowser.Page settings = viewer.get("/portal/settings");
		assertThat(settings.status()).isEqualTo(200);
		assertThat(settings.body()).contains("id=\"settings-api-keys\" href=\"/portal/settings/api-keys\"")
			.contains("id=\"settings-users\" href=\"/portal/settings/users\"")
			.contains("id=\"settings-account\" href=\"/portal/settings/account\"");
	}

	@Test
	void everyRoleSeesTheBrandIdAndTheStateOfTheKeysButNotTheKeys() {
		TestBrand brand = this.client.createBrand();
		for (String role : new String[] { "viewer", "developer", "admin" }) {
			PortalBrowser.Page page = signedInUser(brand, role).get(PAGE);
			assertThat(page.status()).isEqualTo(200);
			assertThat(page.body()).contains("<code class=\"secret\" id=\"brand-id\">" + brand.brandId() + "</code>")
				.contains("id=\"copy-brand-id\"")
				.contains("src=\"/portal/assets/copy.js\"")
				.contains("rsn_…" + brand.apiKey().substring(brand.apiKey().length() - 4))
				.doesNotContain(brand.secretKey())
				.doesNotContain(brand.apiKey());
			assertThat(count(page.body(), "class=\"secret-key\"")).isEqualTo(1);
			assertThat(count(page.body(), "class=\"api-key\"")).isEqualTo(1);
			assertThat(page.body().contains("id=\"rotate-secret\"")).isEqualTo(role.equals("admin"));
			assertThat(page.body().contains("id=\"rotate-api-key\"")).isEqualTo(role.equals("admin"));
		}
		assertThat(new PortalBrowser(this.client.base()).get("/portal/assets/copy.js").status()).isEqualTo(200);
	}

	@Test
	void anAdminRotatesTheSecretKeyAndThePreviousOneWorksForTheGracePeriodOnly() {
		TestBrand brand = brandWith(10_000, "custom_event", Map.of("amount", 5));
		PortalBrowser admin = signedInUser(brand, "admin");
		assertThat(admin.get(PAGE).body()).contains("<option value=\"86400\" selected=\"selected\">24 hours</option>");

		PortalBrowser.Page posted = admin.submit(PAGE, PAGE + "/rotate-secret", Map.of("grace_period_seconds", "3600"));
		// Post, redirect, get: reloading the page that shows the new key rotates nothing.
		assertThat(posted.location()).as(posted.toString()).endsWith(PAGE);
		PortalBrowser.Page rotated = admin.follow(posted);
		assertThat(rotated.status()).as(rotated.toString()).isEqualTo(200);
		assertThat(rotated.header("Cache-Control")).contains("no-store");
		String secret = find(NEW_SECRET, rotated.body());
		assertThat(secret).isNotEqualTo(brand.secretKey());
		assertThat(rotated.body()).contains("id=\"previous-expires-at\"").contains("Grace period");
		TestBrand withNewSecret = new TestBrand(brand.brandId(), secret, brand.apiKey());

		ApiResponse signedWithNew = this.client.event(withNewSecret, "custom_event", newUserId());
		assertThat(signedWithNew.status()).as(signedWithNew.toString()).isEqualTo(200);
		ApiResponse signedWithOld = this.client.event(brand, "custom_event", newUserId());
		assertThat(signedWithOld.status()).as("the previous secret works for the grace period").isEqualTo(200);

		// Shown once: the page shows two working keys, and neither of them.
		PortalBrowser.Page again = admin.get(PAGE);
		assertThat(again.body()).doesNotContain(secret).doesNotContain("id=\"new-secret\"");
		assertThat(count(again.body(), "class=\"secret-key\"")).isEqualTo(2);

		this.clock.advance(Duration.ofMinutes(61));
		ApiResponse afterGrace = this.client.event(brand, "custom_event", newUserId());
		assertThat(afterGrace.status()).isEqualTo(401);
		assertThat(afterGrace.errorCode()).isEqualTo("INVALID_SIGNATURE");
		assertThat(this.client.event(withNewSecret, "custom_event", newUserId()).status()).isEqualTo(200);
		assertThat(count(admin.get(PAGE).body(), "class=\"secret-key\"")).isEqualTo(1);
	}

	@Test
	void rotatingAtOnceRefusesThePreviousSecretAtOnce() {
		TestBrand brand = brandWith(10_000, "custom_event", Map.of("amount", 5));
		PortalBrowser admin = signedInUser(brand, "admin");
		String secret = find(NEW_SECRET,
				admin.follow(admin.submit(PAGE, PAGE + "/rotate-secret", Map.of("grace_period_seconds", "0"))).body());
		assertThat(this.client.event(brand, "custom_event", newUserId()).errorCode()).isEqualTo("INVALID_SIGNATURE");
		assertThat(
				this.client.event(new TestBrand(brand.brandId(), secret, brand.apiKey()), "custom_event", newUserId())
					.status())
			.isEqualTo(200);
	}

	@Test
	void anAdminRotatesTheApiKey() {
		TestBrand brand = this.client.createBrand();
		PortalBrowser admin = signedInUser(brand, "admin");
		PortalBrowser.Page rotated = admin
			.follow(admin.submit(PAGE, PAGE + "/rotate-api-key", Map.of("grace_period_seconds", "0")));
		assertThat(rotated.status()).as(rotated.toString()).isEqualTo(200);
		assertThat(rotated.header("Cache-Control")).contains("no-store");
		String apiKey = find(NEW_API_KEY, rotated.body());
		assertThat(rotated.body()).contains("The previous API key no longer works.")
			.doesNotContain("id=\"previous-expires-at\"");
		assertThat(this.client.get(brand, "/v1/event-types").status()).isEqualTo(401);
		assertThat(
				this.client.get(new TestBrand(brand.brandId(), brand.secretKey(), apiKey), "/v1/event-types").status())
			.isEqualTo(200);
		assertThat(admin.get(PAGE).body()).doesNotContain(apiKey)
			.contains("rsn_…" + apiKey.substring(apiKey.length() - 4));
	}

	@Test
	void viewersAndDevelopersMayNotRotate() {
		TestBrand brand = brandWith(10_000, "custom_event", Map.of("amount", 5));
		for (String role : new String[] { "viewer", "developer" }) {
			PortalBrowser user = signedInUser(brand, role);
			PortalBrowser.Page secret = user.submit(PAGE, PAGE + "/rotate-secret", Map.of("grace_period_seconds", "0"));
			assertThat(secret.status()).isEqualTo(403);
			assertThat(secret.body()).contains("Not allowed").doesNotContain("rsk_");
			PortalBrowser.Page apiKey = user.submit(PAGE, PAGE + "/rotate-api-key",
					Map.of("grace_period_seconds", "0"));
			assertThat(apiKey.status()).isEqualTo(403);
			assertThat(apiKey.body()).doesNotContain("rsn_");
		}
		assertThat(this.client.event(brand, "custom_event", newUserId()).status()).isEqualTo(200);
		assertThat(this.client.get(brand, "/v1/event-types").status()).isEqualTo(200);
	}

	@Test
	void anotherBrandsAdminRotatesOnlyTheirOwnKeys() {
		TestBrand first = brandWith(10_000, "custom_event", Map.of("amount", 5));
		TestBrand second = this.client.createBrand();
		PortalBrowser secondAdmin = signedInUser(second, "admin");
		assertThat(secondAdmin.get(PAGE).body()).contains(second.brandId()).doesNotContain(first.brandId());
		PortalBrowser.Page rotated = secondAdmin.follow(secondAdmin.submit(PAGE, PAGE + "/rotate-secret",
				Map.of("grace_period_seconds", "0", "brand_id", first.brandId(), "brandId", first.brandId())));
		assertThat(rotated.status()).isEqualTo(200);
		assertThat(rotated.body()).doesNotContain(first.brandId());
		secondAdmin.submit(PAGE, PAGE + "/rotate-api-key?brand_id=" + first.brandId(),
				Map.of("grace_period_seconds", "0"));

		assertThat(this.client.event(first, "custom_event", newUserId()).status()).isEqualTo(200);
		assertThat(this.client.get(first, "/v1/event-types").status()).isEqualTo(200);
		assertThat(this.client.event(second, "custom_event", newUserId()).errorCode()).isEqualTo("INVALID_SIGNATURE");
		PortalBrowser.Page firstPage = signedInUser(first, "viewer").get(PAGE);
		assertThat(firstPage.body()).doesNotContain("Grace period");
		assertThat(count(firstPage.body(), "class=\"secret-key\"")).isEqualTo(1);
	}

	@Test
	void aGracePeriodNotOfferedIsRefusedAndNothingIsRotated() {
		TestBrand brand = brandWith(10_000, "custom_event", Map.of("amount", 5));
		PortalBrowser admin = signedInUser(brand, "admin");
		for (String grace : new String[] { "2592001", "-1", "a day", "", "<script>alert(1)</script>",
				"99999999999999999999" }) {
			PortalBrowser.Page refused = admin.submit(PAGE, PAGE + "/rotate-secret",
					Map.of("grace_period_seconds", grace));
			assertThat(refused.status()).as(grace).isEqualTo(422);
			assertThat(refused.body()).contains("id=\"secret-grace-period-error\"")
				.contains("aria-describedby=\"secret-grace-period-error\"")
				.doesNotContain("id=\"new-secret\"")
				.doesNotContain("<script>alert(1)");
			assertThat(admin.submit(PAGE, PAGE + "/rotate-api-key", Map.of("grace_period_seconds", grace)).status())
				.isEqualTo(422);
		}
		assertThat(admin.submit(PAGE, PAGE + "/rotate-secret", Map.of()).status()).isEqualTo(422);
		assertThat(count(admin.get(PAGE).body(), "class=\"secret-key\"")).isEqualTo(1);
		assertThat(this.client.event(brand, "custom_event", newUserId()).status()).isEqualTo(200);
		assertThat(this.client.get(brand, "/v1/event-types").status()).isEqualTo(200);
	}

	@Test
	void rotatingWithoutTheCsrfTokenIsRefused() {
		TestBrand brand = brandWith(10_000, "custom_event", Map.of("amount", 5));
		PortalBrowser admin = signedInUser(brand, "admin");
		admin.get(PAGE);
		assertThat(admin.post(PAGE + "/rotate-secret", Map.of("grace_period_seconds", "0")).status()).isEqualTo(403);
		assertThat(admin.post(PAGE + "/rotate-api-key", Map.of("grace_period_seconds", "0")).status()).isEqualTo(403);
		assertThat(this.client.event(brand, "custom_event", newUserId()).status()).isEqualTo(200);
		assertThat(this.client.get(brand, "/v1/event-types").status()).isEqualTo(200);
	}

	private static String find(Pattern pattern, String body) {
		Matcher matcher = pattern.matcher(body);
		assertThat(matcher.find()).as(body).isTrue();
		return matcher.group(1);
	}

	private static int count(String body, String text) {
		int count = 0;
		for (int at = body.indexOf(text); at >= 0; at = body.indexOf(text, at + 1)) {
			count++;
		}
		return count;
	}

}
