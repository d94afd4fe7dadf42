package bot.resonance.portal;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import bot.resonance.support.ApiResponse;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.TestBrand;

import static bot.resonance.support.ResonanceClient.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The members pages over real HTTP: search by any identity, the member's status,
 * balances, identities and history, and enabling and disabling them, checked against what
 * the API says and does.
 */
@IntegrationTest
class PortalMemberPagesIntegrationTests extends PortalIntegrationTestSupport {

	private static final Pattern MEMBER_PAGE = Pattern.compile("/portal/members/(mem_[0-9]+)$");

	@Test
	void disablingOnThePageRefusesTheMembersEventsAndEnablingAcceptsThemAgain() {
		TestBrand brand = brandWith(10_000, "daily_login", Map.of("amount", 25));
		String user = newUserId();
		ApiResponse awarded = this.client.event(brand, "daily_login", user);
		assertThat(awarded.status()).as(awarded.toString()).isEqualTo(200);
		String eventId = awarded.json().path("event_id").asString();
		PortalBrowser browser = signedInUser(brand, "developer");

		String page = memberPage(browser, user);
		assertThat(page)
			.isEqualTo("/portal/members/" + this.client.get(brand, "/v1/members/" + user).text("member_id"));
		String body = browser.get(page).body();
		assertThat(body).contains("id=\"member-status\"").containsPattern("data-status=\"active\"[^>]*>active<");
		assertThat(body).contains(eventId).contains("data-test=\"member-event\"").contains("id=\"disable-member\"");
		assertThat(body).containsPattern("class=\"number member-balance\">25<");

		PortalBrowser.Page disabled = browser.submit(page, page + "/status", Map.of("status", "disabled"));
		assertThat(disabled.status()).as(disabled.toString()).isEqualTo(302);
		assertThat(disabled.location()).endsWith(page);
		assertThat(this.client.get(brand, "/v1/members/" + user).text("status")).isEqualTo("disabled");
		ApiResponse refused = this.client.event(brand, "daily_login", user);
		assertThat(refused.status()).isEqualTo(400);
		assertThat(refused.errorCode()).isEqualTo("USER_DISABLED");
		String afterDisable = browser.get(page).body();
		assertThat(afterDisable).containsPattern("data-status=\"disabled\"[^>]*>disabled<")
			.contains("is disabled: their events are refused with USER_DISABLED.")
			.contains("id=\"enable-member\"")
			.doesNotContain("id=\"disable-member\"")
			.contains(">USER_DISABLED<");

		PortalBrowser.Page enabled = browser.submit(page, page + "/status", Map.of("status", "active"));
		assertThat(enabled.status()).isEqualTo(302);
		assertThat(this.client.get(brand, "/v1/members/" + user).text("status")).isEqualTo("active");
		ApiResponse accepted = this.client.event(brand, "daily_login", user);
		assertThat(accepted.status()).as(accepted.toString()).isEqualTo(200);
		String history = browser.get(page).body();
		// Newest first: the last award, the refusal, the first award.
		assertThat(history.indexOf(accepted.json().path("event_id").asString())).isPositive()
			.isLessThan(history.indexOf(">USER_DISABLED<"));
		assertThat(history.indexOf(">USER_DISABLED<")).isLessThan(history.indexOf(eventId));
		assertThat(history).containsPattern("class=\"number member-balance\">50<");
	}

	@Test
	void aViewerSeesTheMemberButCannotChangeTheirStatus() {
		TestBrand brand = brandWith(10_000, "daily_login", Map.of("amount", 25));
		String user = newUserId();
		this.client.event(brand, "daily_login", user);
		PortalBrowser viewer = signedInUser(brand, "viewer");
		String page = memberPage(viewer, user);
		String body = viewer.get(page).body();
		assertThat(body).contains("id=\"member-status\"").doesNotContain("id=\"disable-member\"");

		PortalBrowser.Page refused = viewer.submit(page, page + "/status", Map.of("status", "disabled"));
		assertThat(refused.status()).isEqualTo(403);
		assertThat(refused.body()).contains("<h1>Not allowed</h1>");
		assertThat(this.client.get(brand, "/v1/members/" + user).text("status")).isEqualTo("active");
		assertThat(this.client.event(brand, "daily_login", user).status()).isEqualTo(200);
	}

	@Test
	void statusChangesNeedTheCsrfToken() {
		TestBrand brand = brandWith(10_000, "daily_login", Map.of("amount", 25));
		String user = newUserId();
		this.client.event(brand, "daily_login", user);
		PortalBrowser admin = signedInUser(brand, "admin");
		String page = memberPage(admin, user);
		assertThat(admin.post(page + "/status", Map.of("status", "disabled")).status()).isEqualTo(403);
		assertThat(admin.post(page + "/status", Map.of("status", "disabled", "_csrf", "forged")).status())
			.isEqualTo(403);
		assertThat(this.client.get(brand, "/v1/members/" + user).text("status")).isEqualTo("active");
	}

	@Test
	void anotherBrandsUserCannotSeeOrChangeTheMember() {
		TestBrand first = brandWith(10_000, "daily_login", Map.of("amount", 25));
		TestBrand second = brandWith(10_000, "daily_login", Map.of("amount", 25));
		String user = newUserId();
		String eventId = this.client.event(first, "daily_login", user).json().path("event_id").asString();
		String page = memberPage(signedInUser(first, "admin"), user);
		String memberId = page.substring(page.lastIndexOf('/') + 1);

		PortalBrowser stranger = signedInUser(second, "admin");
		PortalBrowser.Page seen = stranger.get(page);
		assertThat(seen.status()).isEqualTo(404);
		assertThat(seen.body()).doesNotContain(eventId).doesNotContain(user);
		assertThat(stranger.submit("/portal/members", page + "/status", Map.of("status", "disabled")).status())
			.isEqualTo(404);
		assertThat(this.client.get(first, "/v1/members/" + user).text("status")).isEqualTo("active");
		// The first brand's member is unknown to the second, by identity and by id, as in
		// the API.
		assertThat(this.client.get(second, "/v1/members/" + user).status()).isEqualTo(404);
		for (String query : new String[] { user, memberId, "discord:" + user }) {
			PortalBrowser.Page search = stranger.get("/portal/members?q=" + query);
			assertThat(search.status()).as(query).isEqualTo(200);
			assertThat(search.body()).contains("id=\"member-search-empty\"").doesNotContain(eventId);
		}
	}

	@Test
	void membersAreFoundByEveryKindOfIdentityAndById() {
		TestBrand brand = brandWith(10_000, "daily_login", Map.of("amount", 25));
		String user = newUserId();
		this.client.event(brand, "daily_login", user);
		String email = "member." + user + "@Example.com";
		String wallet = "0x52908400098527886E0F7030069857D2E4169EE7";
		for (Map<String, String> identity : new Map[] { Map.of("kind", "email", "value", email),
				Map.of("kind", "telegram", "value", "7" + user), Map.of("kind", "evm_address", "value", wallet) }) {
			ApiResponse linked = this.client.api(brand, "POST", "/v1/members/" + user + "/identities", json(identity));
			assertThat(linked.status()).as(linked.toString()).isEqualTo(200);
		}
		PortalBrowser browser = signedInUser(brand, "viewer");
		String page = memberPage(browser, user);
		String memberId = page.substring(page.lastIndexOf('/') + 1);
		for (String query : new String[] { email, email.toLowerCase(java.util.Locale.ROOT), "telegram:7" + user,
				wallet.toLowerCase(java.util.Locale.ROOT), "discord:" + user, "  " + user + "  ", memberId,
				"discord_" + user + "@rsnc.network" }) {
			PortalBrowser.Page found = browser.get("/portal/members?q=" + encode(query));
			assertThat(found.status()).as(query + ": " + found).isEqualTo(302);
			assertThat(found.location()).as(query).endsWith(page);
		}
		String body = browser.get(page).body();
		assertThat(body).contains("member." + user + "@example.com").contains(wallet).contains("7" + user);
	}

	@Test
	void aSearchThatFindsNothingSaysSoAndMalformedSearchesAreExplained() {
		TestBrand brand = brandWith(10_000, "daily_login", Map.of("amount", 25));
		PortalBrowser browser = signedInUser(brand, "viewer");
		PortalBrowser.Page form = browser.get("/portal/members");
		assertThat(form.status()).isEqualTo(200);
		assertThat(form.body()).contains("id=\"member-search\"").doesNotContain("id=\"member-search-empty\"");

		PortalBrowser.Page nobody = browser.get("/portal/members?q=" + newUserId());
		assertThat(nobody.status()).isEqualTo(200);
		assertThat(nobody.body()).contains("id=\"member-search-empty\"").contains("No member of this brand");
		assertThat(browser.get("/portal/members?q=nobody%40example.com").body()).contains("id=\"member-search-empty\"");
		assertThat(browser.get("/portal/members?q=mem_999999999").body()).contains("id=\"member-search-empty\"");

		for (String malformed : new String[] { "not an identity!", "telegram:abc", "email:nope", "0x1234",
				"<script>alert(1)</script>", "%00", "x".repeat(401) }) {
			PortalBrowser.Page refused = browser.get("/portal/members?q=" + encode(malformed));
			assertThat(refused.status()).as(malformed + ": " + refused).isEqualTo(400);
			assertThat(refused.header("Content-Type")).startsWith("text/html");
			assertThat(refused.body()).as(malformed)
				.contains("id=\"member-search-error\"")
				.contains("aria-invalid=\"true\"")
				.doesNotContain("<script>alert(1)");
		}
		assertThat(browser.get("/portal/members?q=" + encode("not an identity!")).body())
			.contains("names no member: use a Discord user id");
	}

	@Test
	void malformedAddressesAreNotFoundOrRefusedNeverErrors() {
		TestBrand brand = brandWith(10_000, "daily_login", Map.of("amount", 25));
		String user = newUserId();
		this.client.event(brand, "daily_login", user);
		PortalBrowser developer = signedInUser(brand, "developer");
		String page = memberPage(developer, user);
		for (String path : new String[] { "/portal/members/" + user, "/portal/members/mem_", "/portal/members/mem_x",
				"/portal/members/mem_99999999999999999999", "/portal/members/mem_0" }) {
			assertThat(developer.get(path).status()).as(path).isEqualTo(404);
		}
		PortalBrowser.Page badCursor = developer.get(page + "?after=" + encode("'; drop table members"));
		assertThat(badCursor.status()).isEqualTo(400);
		assertThat(badCursor.header("Content-Type")).startsWith("text/html");
		assertThat(developer.submit(page, page + "/status", Map.of("status", "deleted")).status()).isEqualTo(400);
		assertThat(developer.submit(page, page + "/status", Map.of()).status()).isEqualTo(400);
		assertThat(this.client.get(brand, "/v1/members/" + user).text("status")).isEqualTo("active");
	}

	@Test
	void identitiesAndMetadataAreRenderedEscaped() {
		TestBrand brand = brandWith(10_000, "daily_login", Map.of("amount", 25));
		String user = newUserId();
		ApiResponse event = this.client.event(brand, Map.of("event_type", "daily_login", "user_id", user, "server_id",
				"987654321098765432", "metadata", Map.of("note", "<script>alert(1)</script>")));
		assertThat(event.status()).as(event.toString()).isEqualTo(200);
		ApiResponse linked = this.client.api(brand, "POST", "/v1/members/" + user + "/identities",
				json(Map.of("kind", "email", "value", "<script>alert(2)</script>@example.com")));
		assertThat(linked.status()).as(linked.toString()).isEqualTo(200);
		PortalBrowser browser = signedInUser(brand, "viewer");
		String body = browser.get(memberPage(browser, user)).body();
		assertThat(body).doesNotContain("<script>alert")
			.contains("&lt;script&gt;alert(1)&lt;/script&gt;")
			.contains("&lt;script&gt;alert(2)&lt;/script&gt;@example.com");
	}

	@Test
	void longMetadataIsFoldedBehindItsBeginning() {
		TestBrand brand = brandWith(10_000, "daily_login", Map.of("amount", 1));
		String user = newUserId();
		String note = "n".repeat(2_000);
		assertThat(this.client
			.event(brand, Map.of("event_type", "daily_login", "user_id", user, "server_id", "1", "metadata",
					Map.of("note", note)))
			.status()).isEqualTo(200);
		assertThat(this.client
			.event(brand, Map.of("event_type", "daily_login", "user_id", user, "server_id", "1", "metadata",
					Map.of("order", "1001")))
			.status()).isEqualTo(200);
		PortalBrowser browser = signedInUser(brand, "viewer");
		String body = browser.get(memberPage(browser, user)).body();
		// The long one: its first 120 characters, then the whole of it when opened (as
		// PostgreSQL's jsonb writes it).
		String start = ("{\"note\": \"" + note).substring(0, 120);
		assertThat(body)
			.contains("<summary><code class=\"metadata\">" + start.replace("\"", "&quot;") + "…</code></summary>")
			.contains(note + "&quot;}</code>");
		assertThat(body.split("<details class=\"metadata\">", -1).length - 1).isEqualTo(1);
		// The short one as it is.
		assertThat(body).contains("<code class=\"metadata\">{&quot;order&quot;: &quot;1001&quot;}</code>");
	}

	@Test
	void theHistoryIsPagedNewestFirst() {
		TestBrand brand = brandWith(100_000, "daily_login", Map.of("amount", 1));
		String user = newUserId();
		java.util.List<String> ids = new java.util.ArrayList<>();
		for (int i = 0; i < 23; i++) {
			ApiResponse event = this.client.event(brand, "daily_login", user);
			assertThat(event.status()).as(event.toString()).isEqualTo(200);
			ids.add(event.json().path("event_id").asString());
		}
		PortalBrowser browser = signedInUser(brand, "viewer");
		String page = memberPage(browser, user);
		String first = browser.get(page).body();
		assertThat(rows(first)).isEqualTo(20);
		assertThat(first.indexOf(ids.get(22))).isLessThan(first.indexOf(ids.get(3))).isPositive();
		assertThat(first).doesNotContain(ids.get(2));
		Matcher older = Pattern.compile("href=\"([^\"]+)\" id=\"history-older\"").matcher(first);
		assertThat(older.find()).isTrue();
		String second = browser.get(older.group(1).replace("&amp;", "&")).body();
		assertThat(rows(second)).isEqualTo(3);
		assertThat(second).contains(ids.get(0))
			.contains(ids.get(2))
			.doesNotContain(ids.get(3))
			.doesNotContain("id=\"history-older\"")
			.contains("id=\"history-newest\"");
	}

	/** Searches the member by {@code query} and returns the page the search opens. */
	private String memberPage(PortalBrowser browser, String query) {
		PortalBrowser.Page found = browser.get("/portal/members?q=" + encode(query));
		assertThat(found.status()).as(found.toString()).isEqualTo(302);
		Matcher page = MEMBER_PAGE.matcher(found.location());
		assertThat(page.find()).as(found.location()).isTrue();
		return page.group();
	}

	private static int rows(String body) {
		return body.split("data-test=\"member-event\"", -1).length - 1;
	}

	private static String encode(String value) {
		return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
	}

}
