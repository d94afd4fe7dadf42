package bot.resonance.portal;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import bot.resonance.support.IntegrationTest;
import bot.resonance.support.ResonanceClient;
import bot.resonance.support.TestBrand;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator console over real HTTP: the admin token signs in (throttled), and what the
 * pages do to brands, funding, Discord servers and invitations is what the operator API
 * then shows. Brand users and the operator keep to their own pages.
 */
@IntegrationTest
class OperatorConsoleIntegrationTests extends PortalIntegrationTestSupport {

	private static final Pattern NEXT_PAGE = Pattern.compile("id=\"brands-next\" href=\"([^\"]+)\"");

	private static final String SCRIPT = "<script>alert(1)</script>";

	private static final Pattern CREATED_ID = Pattern.compile("id=\"created-brand-id\">(0x[0-9a-f]{40})<");

	@Test
	void aWrongTokenIsRefusedAndManyAreThrottled() {
		PortalBrowser browser = new PortalBrowser(this.client.base());
		assertThat(browser.get("/portal/operator").location()).endsWith("/portal/operator/sign-in");
		PortalBrowser.Page wrong = signIn(browser, ResonanceClient.ADMIN_TOKEN + "x");
		assertThat(wrong.status()).isEqualTo(401);
		assertThat(wrong.body()).contains("That is not the admin token.");
		assertThat(browser.get("/portal/operator").location()).endsWith("/portal/operator/sign-in");
		try {
			for (int i = 0; i < 4; i++) {
				assertThat(signIn(browser, "wrong token " + i).status()).isEqualTo(401);
			}
			PortalBrowser.Page throttled = signIn(browser, ResonanceClient.ADMIN_TOKEN);
			assertThat(throttled.status()).isEqualTo(429);
			assertThat(throttled.body()).contains("Too many wrong tokens");
			assertThat(browser.get("/portal/operator").location()).endsWith("/portal/operator/sign-in");
		}
		finally {
			this.clock.advance(Duration.ofMinutes(16));
		}
		PortalBrowser.Page signedIn = signIn(browser, ResonanceClient.ADMIN_TOKEN);
		assertThat(signedIn.status()).isEqualTo(302);
		assertThat(signedIn.location()).endsWith("/portal/operator");
		assertThat(browser.get("/portal/operator").status()).isEqualTo(200);
	}

	@Test
	void theOperatorCreatesABrandFundsItBindsAServerAndInvitesAUser() {
		PortalBrowser operator = operator();
		String name = SCRIPT + " Rewards";
		PortalBrowser.Page created = operator.submit("/portal/operator", "/portal/operator/brands",
				Map.of("name", name, "currency", "GEMS", "decimals", "2"));
		assertThat(created.status()).as(created.toString()).isEqualTo(200);
		assertThat(created.header("Cache-Control")).contains("no-store");
		assertThat(created.body()).contains("&lt;script&gt;alert(1)&lt;/script&gt; Rewards").doesNotContain(SCRIPT);
		Matcher id = CREATED_ID.matcher(created.body());
		assertThat(id.find()).as(created.body()).isTrue();
		String brandId = id.group(1);
		String apiKey = secret(created.body(), "api-key");
		assertThat(secret(created.body(), "secret-key")).isNotBlank();
		// The brand is the operator API's, and its credentials work.
		assertThat(this.client.admin("GET", "/admin/v1/brands/" + brandId, null).text("name")).isEqualTo(name);
		TestBrand brand = new TestBrand(brandId, secret(created.body(), "secret-key"), apiKey);
		assertThat(this.client.get(brand, "/v1/wallet").text("currency")).isEqualTo("GEMS");
		assertThat(brandListPageWith(operator, brandId)).contains("&lt;script&gt;alert(1)&lt;/script&gt; Rewards")
			.doesNotContain(SCRIPT);
		String page = "/portal/operator/brands/" + brandId;
		assertThat(operator.get(page).body()).doesNotContain(apiKey).doesNotContain(SCRIPT);

		// Funding: the wallet the API shows, and the history.
		PortalBrowser.Page form = operator.get(page);
		String key = field(form.body(), "funding_key");
		Map<String, String> funding = Map.of("amount", "12.50", "currency", "GEMS", "reference", SCRIPT, "funding_key",
				key, "_csrf", form.csrfToken());
		PortalBrowser.Page funded = operator.post(page + "/funding", funding);
		assertThat(funded.status()).as(funded.toString()).isEqualTo(302);
		assertThat(funded.location()).endsWith(page);
		assertThat(this.client.get(brand, "/v1/wallet").json().path("balance").asLong()).isEqualTo(1250);
		String afterFunding = operator.get(page).body();
		assertThat(afterFunding).contains("Credited 12.50 GEMS").contains("<td class=\"number\">12.50</td>");
		assertThat(afterFunding).contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain(SCRIPT);
		// The same form sent twice credits once.
		assertThat(operator.post(page + "/funding", funding).status()).isEqualTo(302);
		assertThat(operator.get(page).body()).contains("credited already");
		assertThat(this.client.get(brand, "/v1/wallet").json().path("balance").asLong()).isEqualTo(1250);

		// A Discord server, as the API lists it; unbinding it.
		String guild = newUserId();
		PortalBrowser.Page bound = operator.submit(page, page + "/guilds", Map.of("guild_id", guild));
		assertThat(bound.status()).isEqualTo(302);
		assertThat(this.client.admin("GET", "/admin/v1/brands/" + brandId + "/guilds", null).body()).contains(guild);
		assertThat(operator.get(page).body()).contains("data-test=\"guild-" + guild + "\"");
		TestBrand other = this.client.createBrand();
		PortalBrowser.Page taken = operator.submit("/portal/operator/brands/" + other.brandId(),
				"/portal/operator/brands/" + other.brandId() + "/guilds", Map.of("guild_id", guild));
		assertThat(taken.status()).isEqualTo(409);
		assertThat(taken.body()).contains("bound to another brand");
		PortalBrowser.Page unbound = operator.submit(page, page + "/guilds/" + guild + "/unbind", Map.of());
		assertThat(unbound.status()).isEqualTo(302);
		assertThat(this.client.admin("GET", "/admin/v1/brands/" + brandId + "/guilds", null).body())
			.doesNotContain(guild);
		assertThat(operator.submit(page, page + "/guilds/" + guild + "/unbind", Map.of()).status()).isEqualTo(404);

		// An invitation whose link makes a user of the brand.
		String email = newEmail();
		PortalBrowser.Page invited = operator.submit(page, page + "/invitations",
				Map.of("email", email, "role", "developer"));
		assertThat(invited.status()).as(invited.toString()).isEqualTo(200);
		assertThat(invited.header("Cache-Control")).contains("no-store");
		String url = secret(invited.body(), "invitation-url");
		assertThat(url).startsWith(this.client.base() + "/portal/invitations/");
		String path = url.substring(this.client.base().length());
		PortalBrowser user = new PortalBrowser(this.client.base());
		assertThat(user.submit(path, path, Map.of("password", PASSWORD, "confirmation", PASSWORD)).status())
			.isEqualTo(302);
		assertThat(user.get("/portal").body()).contains(brandId).contains(email);
		PortalBrowser.Page again = operator.submit(page, page + "/invitations",
				Map.of("email", email, "role", "admin"));
		assertThat(again.status()).isEqualTo(409);
		assertThat(again.body()).contains("already exists");
	}

	@Test
	void brandUsersCannotOpenTheConsoleAndTheOperatorCannotOpenBrandPages() {
		TestBrand brand = this.client.createBrand();
		PortalBrowser admin = signedInUser(brand, "admin");
		assertThat(admin.get("/portal/operator").status()).isEqualTo(403);
		assertThat(admin.get("/portal/operator/brands/" + brand.brandId()).status()).isEqualTo(403);
		String csrf = admin.get("/portal").csrfToken();
		PortalBrowser.Page refused = admin.post("/portal/operator/brands/" + brand.brandId() + "/funding",
				Map.of("amount", "100", "funding_key", "abcdefghijklmnopqrstuvwxyz", "_csrf", csrf));
		assertThat(refused.status()).isEqualTo(403);
		assertThat(this.client.get(brand, "/v1/wallet").json().path("balance").asLong()).isZero();

		PortalBrowser operator = operator();
		assertThat(operator.get("/portal").status()).isEqualTo(403);
		assertThat(operator.get("/portal/wallet").status()).isEqualTo(403);
	}

	@Test
	void theOperatorSignsOutBackToTheConsolesSignIn() {
		PortalBrowser operator = operator();
		// Times read as on every other page, not as ISO instants.
		TestBrand brand = this.client.createBrand();
		String console = operator.get("/portal/operator/brands/" + brand.brandId()).body();
		assertThat(console).containsPattern("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC")
			.doesNotContainPattern(">\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}");
		PortalBrowser.Page signedOut = operator.submit("/portal/operator", "/portal/sign-out", Map.of());
		assertThat(signedOut.location()).as(signedOut.toString()).endsWith("/portal/operator/sign-in?signed-out");
		assertThat(operator.follow(signedOut).body()).contains("You are signed out.").contains("Admin token");
		assertThat(operator.get("/portal/operator").location()).endsWith("/portal/operator/sign-in");
	}

	@Test
	void changesWithoutTheCsrfTokenAreRefused() {
		PortalBrowser operator = operator();
		TestBrand brand = this.client.createBrand();
		String page = "/portal/operator/brands/" + brand.brandId();
		String key = field(operator.get(page).body(), "funding_key");
		assertThat(operator.post(page + "/funding", Map.of("amount", "100", "funding_key", key)).status())
			.isEqualTo(403);
		assertThat(this.client.get(brand, "/v1/wallet").json().path("balance").asLong()).isZero();
		String guild = newUserId();
		assertThat(operator.post(page + "/guilds", Map.of("guild_id", guild)).status()).isEqualTo(403);
		assertThat(this.client.admin("GET", "/admin/v1/brands/" + brand.brandId() + "/guilds", null).body())
			.doesNotContain(guild);
		assertThat(operator.post("/portal/operator/brands", Map.of("name", "No CSRF brand")).status()).isEqualTo(403);
		PortalBrowser stranger = new PortalBrowser(this.client.base());
		stranger.get("/portal/operator/sign-in");
		assertThat(stranger.post("/portal/operator/sign-in", Map.of("token", ResonanceClient.ADMIN_TOKEN)).status())
			.isEqualTo(403);
		assertThat(stranger.get("/portal/operator").location()).endsWith("/portal/operator/sign-in");
	}

	@Test
	void malformedInputGetsTheFormBackOrA404NeverA500() {
		PortalBrowser operator = operator();
		TestBrand brand = this.client.createBrand();
		String page = "/portal/operator/brands/" + brand.brandId();
		for (String amount : new String[] { "abc", "-5", "0", "1.5", "99999999999999999999", "" }) {
			PortalBrowser.Page form = operator.get(page);
			PortalBrowser.Page refused = operator.post(page + "/funding", Map.of("amount", amount, "funding_key",
					field(form.body(), "funding_key"), "_csrf", form.csrfToken()));
			assertThat(refused.status()).as(amount).isEqualTo(422);
			assertThat(refused.body()).contains("Enter a positive amount");
		}
		PortalBrowser.Page form = operator.get(page);
		assertThat(operator
			.post(page + "/funding", Map.of("amount", "5", "currency", "NOPE", "funding_key",
					field(form.body(), "funding_key"), "_csrf", form.csrfToken()))
			.status()).isEqualTo(422);
		assertThat(
				operator.post(page + "/funding", Map.of("amount", "5", "funding_key", "x", "_csrf", form.csrfToken()))
					.status())
			.isEqualTo(422);
		assertThat(this.client.get(brand, "/v1/wallet").json().path("balance").asLong()).isZero();

		PortalBrowser.Page badGuild = operator.submit(page, page + "/guilds", Map.of("guild_id", SCRIPT));
		assertThat(badGuild.status()).isEqualTo(422);
		assertThat(badGuild.body()).contains("snowflake").contains("&lt;script&gt;").doesNotContain(SCRIPT);
		assertThat(
				operator.submit(page, page + "/invitations", Map.of("email", "not an email", "role", "admin")).status())
			.isEqualTo(422);
		assertThat(operator.submit(page, page + "/invitations", Map.of("email", newEmail(), "role", "owner")).status())
			.isEqualTo(422);
		PortalBrowser.Page badBrand = operator.submit("/portal/operator", "/portal/operator/brands",
				Map.of("name", "Bad id", "brand_id", "0x123"));
		assertThat(badBrand.status()).isEqualTo(422);
		assertThat(badBrand.body()).contains("Bad id");
		assertThat(operator.submit("/portal/operator", "/portal/operator/brands", Map.of("name", " ")).status())
			.isEqualTo(422);
		assertThat(operator
			.submit("/portal/operator", "/portal/operator/brands", Map.of("name", "Decimals", "decimals", "99"))
			.status()).isEqualTo(422);
		assertThat(operator
			.submit("/portal/operator", "/portal/operator/brands", Map.of("name", "Taken", "brand_id", brand.brandId()))
			.status()).isEqualTo(409);

		// An on-chain currency with its token; refused details, with what was typed.
		PortalBrowser.Page onchain = operator.submit("/portal/operator", "/portal/operator/brands",
				Map.of("name", "Onchain", "currency", "USDC", "kind", "onchain-currency", "decimals", "6", "address",
						"0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913", "chain_id", "8453"));
		assertThat(onchain.status()).as(onchain.toString()).isEqualTo(200);
		Matcher onchainId = CREATED_ID.matcher(onchain.body());
		assertThat(onchainId.find()).isTrue();
		JsonNode usdc = this.client.admin("GET", "/admin/v1/brands/" + onchainId.group(1) + "/wallet", null)
			.json()
			.at("/balances/0");
		assertThat(usdc.get("kind").asString()).isEqualTo("onchain-currency");
		assertThat(usdc.get("decimals").asInt()).isEqualTo(6);
		assertThat(usdc.get("address").asString()).isEqualTo("0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913");
		assertThat(usdc.get("chain_id").asString()).isEqualTo("8453");
		PortalBrowser.Page pointWithToken = operator.submit("/portal/operator", "/portal/operator/brands",
				Map.of("name", "Points with a token", "kind", "point", "chain_id", "8453"));
		assertThat(pointWithToken.status()).isEqualTo(422);
		assertThat(pointWithToken.body()).contains("only for currencies of kind onchain-currency")
			.contains("value=\"Points with a token\"")
			.contains("value=\"8453\"");
		assertThat(
				operator.submit("/portal/operator", "/portal/operator/brands", Map.of("name", "Gold", "kind", "gold"))
					.status())
			.isEqualTo(422);

		assertThat(operator.get("/portal/operator/brands/0x" + "0".repeat(40)).status()).isEqualTo(404);
		assertThat(operator.get("/portal/operator/brands/nonsense").status()).isEqualTo(404);
		assertThat(operator.submit(page, "/portal/operator/brands/nonsense/guilds", Map.of("guild_id", "1")).status())
			.isEqualTo(404);
		assertThat(operator.get("/portal/operator?starting_after=nonsense").status()).isLessThan(500);
	}

	private PortalBrowser operator() {
		PortalBrowser browser = new PortalBrowser(this.client.base());
		PortalBrowser.Page signedIn = signIn(browser, ResonanceClient.ADMIN_TOKEN);
		assertThat(signedIn.status()).as(signedIn.toString()).isEqualTo(302);
		return browser;
	}

	private static PortalBrowser.Page signIn(PortalBrowser browser, String token) {
		return browser.submit("/portal/operator/sign-in", "/portal/operator/sign-in", Map.of("token", token));
	}

	private static String secret(String body, String id) {
		Matcher matcher = Pattern.compile("id=\"" + id + "\">([^<]+)<").matcher(body);
		assertThat(matcher.find()).as(body).isTrue();
		return matcher.group(1);
	}

	private static String field(String body, String name) {
		Matcher matcher = Pattern.compile("name=\"" + name + "\" value=\"([^\"]*)\"").matcher(body);
		assertThat(matcher.find()).as(body).isTrue();
		return matcher.group(1);
	}

	/**
	 * The page of the operator's brand list (oldest first, paged) that lists the brand.
	 */
	private static String brandListPageWith(PortalBrowser operator, String brandId) {
		String path = "/portal/operator";
		for (int pages = 0; pages < 1000; pages++) {
			String body = operator.get(path).body();
			if (body.contains("data-test=\"brand-" + brandId + "\"")) {
				return body;
			}
			Matcher next = NEXT_PAGE.matcher(body);
			assertThat(next.find()).as("the brand %s is on no page of the list", brandId).isTrue();
			path = next.group(1).replace("&amp;", "&");
		}
		throw new AssertionError("the brand list does not end");
	}

}
