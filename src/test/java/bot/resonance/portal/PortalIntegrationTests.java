package bot.resonance.portal;

import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import bot.resonance.platform.jobs.Jobs;
import bot.resonance.support.ApiResponse;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.TestBrand;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.web.servlet.resource.ResourceUrlEncodingFilter;

import static bot.resonance.support.ResonanceClient.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Partner Portal over real HTTP with a cookie jar: invitations, sign-in, throttling,
 * CSRF, session fixation, brand isolation and escaping; and the API next to it unchanged.
 */
@IntegrationTest
class PortalIntegrationTests extends PortalIntegrationTestSupport {

	@Autowired
	private ApplicationContext context;

	@Autowired
	private Jobs jobs;

	@Autowired
	private JdbcClient jdbc;

	@Test
	void anInvitedUserChoosesAPasswordIsSignedInAndSeesTheBrand() {
		TestBrand brand = this.client.createBrand(Map.of("name", "Acme Rewards"));
		this.client.fund(brand, 125_000);
		String email = newEmail();
		ApiResponse invited = invite(brand, email, "admin");
		assertThat(invited.status()).isEqualTo(201);
		assertThat(invited.text("email")).isEqualTo(email);
		assertThat(invited.text("role")).isEqualTo("admin");
		assertThat(invited.json().path("emailed").asBoolean()).isFalse();
		String url = invited.text("url");
		assertThat(url).startsWith(this.client.base() + "/portal/invitations/");
		String path = url.substring(this.client.base().length());

		PortalBrowser browser = new PortalBrowser(this.client.base());
		PortalBrowser.Page form = browser.get(path);
		assertThat(form.status()).isEqualTo(200);
		assertThat(form.body()).contains("Acme Rewards").contains(email);
		// Password managers learn whose password is chosen here.
		assertThat(form.body()).containsPattern("autocomplete=\"username\" value=\"" + Pattern.quote(email) + "\"");

		PortalBrowser.Page mismatch = browser.submit(path, path,
				Map.of("password", PASSWORD, "confirmation", PASSWORD + "!"));
		assertThat(mismatch.status()).isEqualTo(422);
		assertThat(mismatch.body()).contains("do not match");
		PortalBrowser.Page tooShort = browser.submit(path, path, Map.of("password", "short", "confirmation", "short"));
		assertThat(tooShort.status()).isEqualTo(422);
		assertThat(tooShort.body()).contains("at least 12 characters");

		PortalBrowser.Page accepted = browser.submit(path, path,
				Map.of("password", PASSWORD, "confirmation", PASSWORD));
		assertThat(accepted.status()).isEqualTo(302);
		assertThat(accepted.location()).endsWith("/portal");
		PortalBrowser.Page overview = browser.get("/portal");
		assertThat(overview.status()).isEqualTo(200);
		assertThat(overview.body()).contains("Acme Rewards").contains(brand.brandId()).contains(email);
		assertThat(overview.body()).contains("<td class=\"number wallet-balance\">125000</td>");

		// The link works once.
		assertThat(new PortalBrowser(this.client.base()).get(path).status()).isEqualTo(404);

		// Signed out, the overview sends to the sign-in page; the password signs in
		// again.
		PortalBrowser.Page signedOut = browser.submit("/portal", "/portal/sign-out", Map.of());
		assertThat(signedOut.location()).endsWith("/portal/sign-in?signed-out");
		assertThat(browser.get("/portal").location()).endsWith("/portal/sign-in");
		PortalBrowser.Page signedIn = browser.signIn(email.toUpperCase(Locale.ROOT), PASSWORD);
		assertThat(signedIn.location()).endsWith("/portal");
		assertThat(browser.get("/portal").body()).contains("Acme Rewards");
	}

	@Test
	void theOverviewShowsTodaysEvents() {
		TestBrand brand = brandWith(10_000, "daily_login", Map.of("amount", 25));
		ApiResponse event = this.client.event(brand, "daily_login", newUserId());
		assertThat(event.status()).as(event.toString()).isLessThan(300);
		PortalBrowser browser = signedInUser(brand, "viewer");
		String body = browser.get("/portal").body();
		assertThat(body).containsPattern("id=\"events-today\">1<");
	}

	@Test
	void aWrongPasswordIsRefused() {
		TestBrand brand = this.client.createBrand();
		String email = newEmail();
		signedInUser(brand, email, "viewer");
		PortalBrowser browser = new PortalBrowser(this.client.base());
		PortalBrowser.Page refused = browser.signIn(email, PASSWORD + "x");
		assertThat(refused.status()).isEqualTo(302);
		assertThat(refused.location()).endsWith("/portal/sign-in?error");
		assertThat(browser.get("/portal/sign-in?error").body()).contains("The email or password is not right.");
		assertThat(browser.get("/portal").location()).endsWith("/portal/sign-in");
		assertThat(browser.signIn("nobody-" + email, PASSWORD).location()).endsWith("/portal/sign-in?error");
	}

	@Test
	void anEmailIsThrottledAfterFiveFailuresUntilTheWindowPasses() {
		TestBrand brand = this.client.createBrand();
		String email = newEmail();
		signedInUser(brand, email, "viewer");
		PortalBrowser browser = new PortalBrowser(this.client.base());
		for (int i = 0; i < 5; i++) {
			assertThat(browser.signIn(email, "wrong password " + i).location()).endsWith("/portal/sign-in?error");
		}
		PortalBrowser.Page refused = browser.signIn(email, PASSWORD);
		assertThat(refused.location()).endsWith("/portal/sign-in?throttled");
		assertThat(browser.get("/portal").location()).endsWith("/portal/sign-in");
		assertThat(browser.get("/portal/sign-in?throttled").body()).contains("Too many failed sign-ins");

		this.clock.advance(Duration.ofMinutes(16));
		assertThat(browser.signIn(email, PASSWORD).location()).endsWith("/portal");
		assertThat(browser.get("/portal").status()).isEqualTo(200);
	}

	@Test
	void anAddressIsThrottledAfterManyFailuresWhateverTheEmail() {
		TestBrand brand = this.client.createBrand();
		String email = newEmail();
		signedInUser(brand, email, "viewer");
		PortalBrowser browser = new PortalBrowser(this.client.base());
		try {
			int tries = 0;
			// Other tests' failures from this address may count too: at most 20 are
			// needed.
			while (browser.signIn(newEmail(), "wrong password").location().endsWith("?error")) {
				tries++;
				assertThat(tries).isLessThanOrEqualTo(20);
			}
			assertThat(browser.signIn(email, PASSWORD).location()).endsWith("/portal/sign-in?throttled");
		}
		finally {
			this.clock.advance(Duration.ofMinutes(16));
		}
		assertThat(browser.signIn(email, PASSWORD).location()).endsWith("/portal");
	}

	@Test
	void failuresOfEmailsNeverTriedAgainAreForgottenOnceTheWindowPasses() {
		PortalBrowser browser = new PortalBrowser(this.client.base());
		List<String> sprayed = List.of(newEmail(), newEmail(), newEmail());
		for (String email : sprayed) {
			assertThat(browser.signIn(email, "wrong password").location()).endsWith("/portal/sign-in?error");
		}
		assertThat(failuresOf(sprayed)).isEqualTo(3);

		// Within the window they count and stay; once it passed, the hourly pruner
		// forgets
		// them, though nobody tried those emails again.
		this.clock.advance(Duration.ofMinutes(10));
		this.jobs.runDue("portal-sign-in-failure-pruning");
		assertThat(failuresOf(sprayed)).isEqualTo(3);
		this.clock.advance(Duration.ofHours(1));
		String recent = newEmail();
		assertThat(browser.signIn(recent, "wrong password").location()).endsWith("/portal/sign-in?error");
		this.jobs.runDue("portal-sign-in-failure-pruning");
		assertThat(failuresOf(sprayed)).isZero();
		assertThat(failuresOf(List.of(recent))).isEqualTo(1);
		assertThat(this.jdbc.sql("select count(*) from portal_sign_in_failures where failed_at < :before")
			.param("before", this.clock.instant().minus(Duration.ofMinutes(15)).atOffset(ZoneOffset.UTC))
			.query(Long.class)
			.single()).isZero();
	}

	private long failuresOf(List<String> emails) {
		return this.jdbc.sql("select count(*) from portal_sign_in_failures where key = any(:keys)")
			.param("keys", emails.stream().map((email) -> "email:" + email).toArray(String[]::new))
			.query(Long.class)
			.single();
	}

	@Test
	void postsWithoutTheCsrfTokenAreRefused() {
		TestBrand brand = this.client.createBrand();
		String email = newEmail();
		PortalBrowser browser = signedInUser(brand, email, "admin");

		PortalBrowser.Page signOut = browser.post("/portal/sign-out", Map.of());
		assertThat(signOut.status()).isEqualTo(403);
		assertThat(browser.get("/portal").status()).isEqualTo(200);

		PortalBrowser stranger = new PortalBrowser(this.client.base());
		stranger.get("/portal/sign-in");
		assertThat(stranger.post("/portal/sign-in", Map.of("email", email, "password", PASSWORD)).status())
			.isEqualTo(403);
		assertThat(stranger.post("/portal/sign-in", Map.of("email", email, "password", PASSWORD, "_csrf", "forged"))
			.status()).isEqualTo(403);
		assertThat(stranger.get("/portal").location()).endsWith("/portal/sign-in");

		String path = invitationPath(brand, newEmail(), "viewer");
		PortalBrowser invited = new PortalBrowser(this.client.base());
		invited.get(path);
		assertThat(invited.post(path, Map.of("password", PASSWORD, "confirmation", PASSWORD)).status()).isEqualTo(403);
		assertThat(invited.get(path).status()).as("the invitation is still unused").isEqualTo(200);
	}

	@Test
	void signingInGivesANewSessionId() {
		TestBrand brand = this.client.createBrand();
		String email = newEmail();
		signedInUser(brand, email, "viewer");
		PortalBrowser browser = new PortalBrowser(this.client.base());
		browser.get("/portal/sign-in");
		String before = browser.sessionId();
		assertThat(before).isNotNull();
		browser.signIn(email, PASSWORD);
		assertThat(browser.sessionId()).isNotNull().isNotEqualTo(before);
		assertThat(browser.get("/portal").status()).isEqualTo(200);

		String path = invitationPath(brand, newEmail(), "viewer");
		PortalBrowser invited = new PortalBrowser(this.client.base());
		invited.get(path);
		String beforeInvitation = invited.sessionId();
		assertThat(beforeInvitation).isNotNull();
		invited.submit(path, path, Map.of("password", PASSWORD, "confirmation", PASSWORD));
		assertThat(invited.sessionId()).isNotNull().isNotEqualTo(beforeInvitation);
		assertThat(invited.get("/portal").status()).isEqualTo(200);
	}

	@Test
	void aUserSeesOnlyTheirOwnBrand() {
		TestBrand first = this.client.createBrand(Map.of("name", "First brand " + EMAILS.incrementAndGet()));
		TestBrand second = this.client.createBrand(Map.of("name", "Second brand " + EMAILS.incrementAndGet()));
		PortalBrowser firstUser = signedInUser(first, "admin");
		PortalBrowser secondUser = signedInUser(second, "admin");
		String firstName = this.client.admin("GET", "/admin/v1/brands/" + first.brandId(), "").text("name");

		assertThat(firstUser.get("/portal").body()).contains(first.brandId()).contains(firstName);
		for (String path : new String[] { "/portal", "/portal?brand_id=" + first.brandId(),
				"/portal/?brandId=" + first.brandId() }) {
			PortalBrowser.Page page = secondUser.get(path);
			assertThat(page.status()).isEqualTo(200);
			assertThat(page.body()).contains(second.brandId())
				.doesNotContain(first.brandId())
				.doesNotContain(firstName);
		}
	}

	@Test
	void brandNamesAreRenderedEscaped() {
		TestBrand brand = this.client.createBrand(Map.of("name", "<script>alert(1)</script>"));
		String path = invitationPath(brand, newEmail(), "admin");
		PortalBrowser browser = new PortalBrowser(this.client.base());
		PortalBrowser.Page form = browser.get(path);
		assertThat(form.body()).doesNotContain("<script>alert(1)").contains("&lt;script&gt;alert(1)&lt;/script&gt;");
		browser.submit(path, path, Map.of("password", PASSWORD, "confirmation", PASSWORD));
		PortalBrowser.Page overview = browser.get("/portal");
		assertThat(overview.status()).isEqualTo(200);
		assertThat(overview.body()).doesNotContain("<script>alert(1)")
			.contains("&lt;script&gt;alert(1)&lt;/script&gt;");
		assertThat(overview.header("Content-Security-Policy")).contains("script-src 'self'");
		assertThat(overview.header("X-Frame-Options")).isEqualTo("DENY");
	}

	@Test
	void theStylesAndScriptsAreServedByTheServerItself() {
		PortalBrowser browser = new PortalBrowser(this.client.base());
		PortalBrowser.Page signIn = browser.get("/portal/sign-in");
		assertThat(signIn.body()).contains("href=\"/portal/assets/portal.css\"").doesNotContain("https://");
		java.util.regex.Matcher htmx = java.util.regex.Pattern
			.compile("src=\"(/webjars/htmx\\.org/[^\"]+/htmx\\.min\\.js)\"")
			.matcher(signIn.body());
		assertThat(htmx.find()).isTrue();
		// The pages' links name the webjar's version (the resource chain's link filter),
		// a filter that runs for the portal's pages only.
		assertThat(htmx.group(1)).matches("/webjars/htmx\\.org/\\d+\\.\\d+\\.\\d+/dist/htmx\\.min\\.js");
		assertThat(this.context.getBeansOfType(FilterRegistrationBean.class).values())
			.filteredOn((registration) -> registration.getFilter() instanceof ResourceUrlEncodingFilter)
			.singleElement()
			.satisfies((registration) -> assertThat(registration.getUrlPatterns()).containsExactly("/portal/*"));
		assertThat(browser.get("/portal/assets/portal.css").status()).isEqualTo(200);
		assertThat(browser.get(htmx.group(1)).status()).isEqualTo(200);
		assertThat(signIn.header("Set-Cookie")).contains("HttpOnly").contains("SameSite=Lax");
	}

	@Test
	void theOperatorApiChecksInvitations() {
		TestBrand brand = this.client.createBrand();
		assertThat(invite(brand, "not an email", "admin").status()).isEqualTo(400);
		assertThat(invite(brand, newEmail(), "owner").status()).isEqualTo(400);
		assertThat(
				this.client.admin("POST", "/admin/v1/brands/" + brand.brandId() + "/portal-invitations", "{}").status())
			.isEqualTo(400);
		assertThat(this.client
			.admin("POST", "/admin/v1/brands/0x0000000000000000000000000000000000000000/portal-invitations",
					json(Map.of("email", newEmail(), "role", "admin")))
			.problemCode()).isEqualTo("brand_not_found");
		ApiResponse anonymous = this.client.send("POST", "/admin/v1/brands/" + brand.brandId() + "/portal-invitations",
				json(Map.of("email", newEmail(), "role", "admin")), Map.of());
		assertThat(anonymous.status()).isEqualTo(401);
		String email = newEmail();
		signedInUser(brand, email, "viewer");
		ApiResponse taken = invite(this.client.createBrand(), email.toUpperCase(Locale.ROOT), "admin");
		assertThat(taken.status()).isEqualTo(409);
		assertThat(taken.problemCode()).isEqualTo("portal_user_exists");
	}

	@Test
	void theApiIsUntouchedByThePortalsSecurity() {
		TestBrand brand = this.client.createBrand();
		// No credentials: the API's own 401 problem, not a redirect to a sign-in page.
		ApiResponse anonymous = this.client.send("GET", "/v1/wallet", null, Map.of());
		assertThat(anonymous.status()).isEqualTo(401);
		assertThat(anonymous.header("Location")).isNull();
		assertThat(anonymous.header("Content-Type")).contains("json");
		// POSTs need no CSRF token, and no session is created.
		ApiResponse created = this.client.admin("POST", "/admin/v1/brands", json(Map.of("name", "No CSRF here")));
		assertThat(created.status()).isEqualTo(201);
		assertThat(created.header("Set-Cookie")).isNull();
		ApiResponse wallet = this.client.get(brand, "/v1/wallet");
		assertThat(wallet.status()).isEqualTo(200);
		assertThat(wallet.header("Set-Cookie")).isNull();
		assertThat(wallet.header("X-Frame-Options")).isNull();
		assertThat(this.client.send("GET", "/actuator/health", null, Map.of()).status()).isEqualTo(200);
		assertThat(this.client.send("GET", "/v3/api-docs", null, Map.of()).status()).isEqualTo(200);
		// Spring Security's firewall does not see API requests: a path parameter is
		// served
		// as before, not refused with an empty 400.
		ApiResponse pathParameter = this.client.get(brand, "/v1/wallet;version=1");
		assertThat(pathParameter.status()).as(pathParameter.toString()).isEqualTo(wallet.status());
		// No user with a generated password: the portal's users are the only ones.
		assertThat(this.context.getBeanNamesForType(UserDetailsService.class)).isEmpty();
	}

	@Test
	void errorsInsideThePortalArePagesNotProblemDocuments() {
		TestBrand brand = this.client.createBrand(Map.of("name", "Error Pages"));
		PortalBrowser browser = signedInUser(brand, "viewer");
		PortalBrowser.Page missing = browser.get("/portal/no-such-page");
		assertThat(missing.status()).isEqualTo(404);
		assertThat(missing.header("Content-Type")).startsWith("text/html");
		assertThat(missing.body()).contains("<h1>Page not found</h1>")
			.contains("href=\"/portal\"")
			.contains("rel=\"icon\"");
		PortalBrowser.Page forged = browser.post("/portal/sign-out", Map.of("_csrf", "forged"));
		assertThat(forged.status()).isEqualTo(403);
		assertThat(forged.header("Content-Type")).startsWith("text/html");
		assertThat(forged.body()).contains("<h1>Not allowed</h1>").doesNotContain("\"status\"");
		// The API keeps its problem documents.
		ApiResponse api = this.client.send("GET", "/v1/no-such-endpoint", null, Map.of());
		assertThat(api.header("Content-Type")).startsWith("application/problem+json");
	}

}
