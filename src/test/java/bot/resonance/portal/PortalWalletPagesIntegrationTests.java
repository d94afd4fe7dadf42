package bot.resonance.portal;

import java.util.Map;

import org.junit.jupiter.api.Test;

import bot.resonance.support.ApiResponse;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.TestBrand;

import static bot.resonance.support.ResonanceClient.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The wallet page and the overview's runway and recent failures over real HTTP, checked
 * against what the API says.
 */
@IntegrationTest
class PortalWalletPagesIntegrationTests extends PortalIntegrationTestSupport {

	@Test
	void theWalletShowsBalancesFundingsAddressAndHowToFund() {
		TestBrand brand = this.client.createBrand(Map.of("name", "Wallet brand", "currency",
				Map.of("code", "USDC", "kind", "onchain-currency", "decimals", 2)));
		credit(brand, 125_000, "invoice <script>alert(1)</script>");
		credit(brand, 5_050, "top-up 2");
		PortalBrowser browser = signedInUser(brand, "viewer");
		PortalBrowser.Page page = browser.get("/portal/wallet");
		assertThat(page.status()).isEqualTo(200);
		String body = page.body();
		ApiResponse wallet = this.client.get(brand, "/v1/wallet");
		assertThat(wallet.json().path("balance").asLong()).isEqualTo(130_050);
		assertThat(body).contains("<td class=\"number wallet-balance\">1300.50</td>")
			.contains("<span id=\"wallet-balance\">1300.50</span>");
		assertThat(body).contains("id=\"wallet-address\">" + brand.brandId() + "<");
		assertThat(body).contains("/admin/v1/brands/" + brand.brandId() + "/wallet/credits")
			.contains("id=\"how-to-fund\"")
			.contains("operator");
		// Newest first, with the operator's references, escaped.
		assertThat(body.indexOf("+50.50")).isPositive().isLessThan(body.indexOf("+1250.00"));
		assertThat(body).contains("invoice &lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain("<script>alert");
		assertThat(body.split("data-test=\"wallet-movement\"", -1).length - 1).isEqualTo(2);
	}

	@Test
	void anAdminSaysWhichTokenAnOnchainCurrencyIsAndOthersOnlySeeIt() {
		TestBrand brand = this.client.createBrand(Map.of("name", "Token brand", "currency",
				Map.of("code", "USDC", "kind", "onchain-currency", "decimals", 6)));
		String evm = "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913";
		PortalBrowser admin = signedInUser(brand, "admin");
		String before = admin.get("/portal/wallet").body();
		assertThat(before).contains("id=\"tokens\"").contains("data-test=\"token-USDC\"").contains("not set");

		PortalBrowser.Page saved = admin.submit("/portal/wallet", "/portal/wallet/currencies/USDC/token",
				Map.of("address", " " + evm + " ", "chain_id", "8453"));
		assertThat(saved.status()).as(saved.body()).isEqualTo(302);
		String after = admin.follow(saved).body();
		assertThat(after).contains("Saved the token of USDC")
			.contains("<code class=\"token-address\">" + evm + "</code>")
			.contains("<code class=\"token-chain\">8453</code>");
		assertThat(this.client.get(brand, "/v1/wallet").json().at("/balances/0/address").asString()).isEqualTo(evm);

		// A refused value: the page again (422), the reason and what was typed; nothing
		// saved.
		PortalBrowser.Page refused = admin.submit("/portal/wallet", "/portal/wallet/currencies/USDC/token",
				Map.of("address", "0x1234", "chain_id", "8453"));
		assertThat(refused.status()).isEqualTo(422);
		assertThat(refused.body()).contains("id=\"token-error-USDC\"")
			.contains("40 hex digits")
			.contains("value=\"0x1234\"");
		assertThat(this.client.get(brand, "/v1/wallet").json().at("/balances/0/address").asString()).isEqualTo(evm);

		// An empty field clears it.
		admin.submit("/portal/wallet", "/portal/wallet/currencies/USDC/token",
				Map.of("address", "", "chain_id", "8453"));
		assertThat(this.client.get(brand, "/v1/wallet").json().at("/balances/0/address").isNull()).isTrue();
		assertThat(
				admin.submit("/portal/wallet", "/portal/wallet/currencies/EUR/token", Map.of("chain_id", "1")).status())
			.isEqualTo(404);

		// A developer sees the token but no form, and may not post one.
		PortalBrowser developer = signedInUser(brand, "developer");
		String seen = developer.get("/portal/wallet").body();
		assertThat(seen).contains("<code class=\"token-chain\">8453</code>").doesNotContain("token-form");
		assertThat(developer
			.submit("/portal/wallet", "/portal/wallet/currencies/USDC/token", Map.of("address", evm, "chain_id", "1"))
			.status()).isEqualTo(403);
		assertThat(this.client.get(brand, "/v1/wallet").json().at("/balances/0/chain_id").asString()).isEqualTo("8453");

		// Points have no token: no section.
		assertThat(signedInUser(brandWith(0, "daily_login", Map.of("amount", 1)), "admin").get("/portal/wallet").body())
			.doesNotContain("id=\"tokens\"");
	}

	@Test
	void theHistoryShowsEveryMovementOnRequestAndPages() {
		TestBrand brand = brandWith(0, "daily_login", Map.of("amount", 25));
		for (int i = 0; i < 26; i++) {
			credit(brand, 1_000 + i, "credit " + i);
		}
		String user = newUserId();
		assertThat(this.client.event(brand, "daily_login", user).status()).isEqualTo(200);
		String memberId = this.client.get(brand, "/v1/members/" + user).text("member_id");
		PortalBrowser browser = signedInUser(brand, "viewer");

		String fundings = browser.get("/portal/wallet").body();
		assertThat(fundings).doesNotContain("data-kind=\"award\"").contains("credit 25").doesNotContain(">credit 0<");
		assertThat(fundings.split("data-test=\"wallet-movement\"", -1).length - 1).isEqualTo(25);
		java.util.regex.Matcher older = java.util.regex.Pattern.compile("href=\"([^\"]+)\" id=\"wallet-history-older\"")
			.matcher(fundings);
		assertThat(older.find()).isTrue();
		String second = browser.get(older.group(1).replace("&amp;", "&")).body();
		assertThat(second).contains(">credit 0<").doesNotContain("credit 25");

		String all = browser.get("/portal/wallet?show=all").body();
		assertThat(all).contains("data-kind=\"award\"").contains(">" + memberId + "<").contains("-25<");
		assertThat(all.indexOf("data-kind=\"award\"")).isLessThan(all.indexOf("data-kind=\"funding\""));
	}

	@Test
	void theRunwayIsTheBalanceAtTheLastSevenDaysRate() {
		TestBrand brand = brandWith(1_000, "daily_login", Map.of("amount", 100));
		PortalBrowser browser = signedInUser(brand, "viewer");
		assertThat(browser.get("/portal/wallet").body()).contains("no spending yet");
		assertThat(browser.get("/portal").body()).contains("id=\"runway\"").contains("no spending yet");

		assertThat(this.client.event(brand, "daily_login", newUserId()).status()).isEqualTo(200);
		// 900 left, 100 awarded over 7 days: about 63 days at that rate.
		String wallet = browser.get("/portal/wallet").body();
		assertThat(wallet).contains("about 63 days left");
		assertThat(wallet).contains("<td class=\"number\">14</td>");
		assertThat(browser.get("/portal").body()).contains("about 63 days left");
	}

	@Test
	void theOverviewListsRecentFailuresWithTheirCodes() {
		TestBrand brand = brandWith(0, "daily_login", Map.of("amount", 100));
		String poor = newUserId();
		ApiResponse insufficient = this.client.event(brand, "daily_login", poor);
		assertThat(insufficient.errorCode()).isEqualTo("INSUFFICIENT_BALANCE");
		String disabled = newUserId();
		this.client.api(brand, "PATCH", "/v1/members/" + disabled, "{\"status\":\"disabled\"}");
		ApiResponse refused = this.client.event(brand, "daily_login", disabled);
		assertThat(refused.errorCode()).isEqualTo("USER_DISABLED");

		PortalBrowser browser = signedInUser(brand, "viewer");
		String body = browser.get("/portal").body();
		assertThat(body).contains("id=\"recent-failures\"")
			.contains("id=\"rejected-this-week\">2</span> events rejected")
			// Every page names its icon, which the portal serves.
			.contains("rel=\"icon\"");
		assertThat(browser.get("/portal/assets/favicon.svg").status()).isEqualTo(200);
		assertThat(body.split("data-test=\"recent-failure\"", -1).length - 1).isEqualTo(2);
		String lastId = refused.json().path("event_id").asString();
		String firstId = insufficient.json().path("event_id").asString();
		assertThat(body.indexOf(lastId)).isPositive().isLessThan(body.indexOf(firstId));
		assertThat(body).contains(">USER_DISABLED<").contains(">INSUFFICIENT_BALANCE<");
		assertThat(body).contains("id=\"dead-deliveries\">0<").contains("href=\"/portal/webhooks\"");

		TestBrand quiet = this.client.createBrand();
		String other = signedInUser(quiet, "viewer").get("/portal").body();
		assertThat(other).contains("id=\"no-recent-failures\"").doesNotContain(lastId).doesNotContain(firstId);
	}

	@Test
	void aUserSeesTheirOwnBrandsWalletOnly() {
		TestBrand first = this.client.createBrand(Map.of("name", "First", "currency", Map.of("code", "GEMS")));
		credit(first, 4_242, "first brand's secret reference");
		TestBrand second = this.client.createBrand();
		PortalBrowser browser = signedInUser(second, "admin");
		for (String path : new String[] { "/portal/wallet", "/portal/wallet?show=all",
				"/portal/wallet?brand_id=" + first.brandId() }) {
			PortalBrowser.Page page = browser.get(path);
			assertThat(page.status()).isEqualTo(200);
			assertThat(page.body()).contains(second.brandId())
				.doesNotContain(first.brandId())
				.doesNotContain("secret reference")
				// The amount as a number of its own: the signed-in email and the
				// CSRF token are random and may hold the same digits.
				.doesNotContainPattern("(?<![\\w.-])4,?242(?![\\w-])");
		}
		PortalBrowser.Page otherCurrency = browser.get("/portal/wallet?currency=GEMS");
		assertThat(otherCurrency.status()).isEqualTo(400);
		assertThat(otherCurrency.body()).doesNotContain("secret reference");
	}

	@Test
	void malformedParametersAreRefusedNeverErrors() {
		TestBrand brand = this.client.createBrand();
		PortalBrowser browser = signedInUser(brand, "viewer");
		for (String query : new String[] { "show=everything", "before=abc", "before=-1", "before=99999999999999999999",
				"currency=%3Cscript%3E", "currency=" }) {
			PortalBrowser.Page page = browser.get("/portal/wallet?" + query);
			assertThat(page.status()).as(query).isEqualTo(400);
			assertThat(page.header("Content-Type")).as(query).startsWith("text/html");
		}
		assertThat(browser.get("/portal/wallet?before=1").status()).isEqualTo(200);
	}

	private void credit(TestBrand brand, long amount, String reference) {
		ApiResponse credited = this.client.admin("POST", "/admin/v1/brands/" + brand.brandId() + "/wallet/credits",
				json(Map.of("amount", amount, "reference", reference)));
		assertThat(credited.status()).as(credited.toString()).isEqualTo(201);
	}

}
