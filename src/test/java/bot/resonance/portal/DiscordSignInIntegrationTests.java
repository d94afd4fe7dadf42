package bot.resonance.portal;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import bot.resonance.support.ApiResponse;
import bot.resonance.support.DiscordBot;
import bot.resonance.support.FakeDiscord;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.SecondNode;
import bot.resonance.support.TestBrand;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;

import static bot.resonance.support.ResonanceClient.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Sign in with Discord" over real HTTP against a fake Discord that speaks OAuth2 as
 * Discord does: who may sign in (managers of a server bound to a brand), the state that
 * ties Discord's answer to the browser that started the sign-in, and Discord's refusals
 * and failures.
 */
@IntegrationTest
class DiscordSignInIntegrationTests extends PortalIntegrationTestSupport {

	private static final FakeDiscord DISCORD = FakeDiscord.instance();

	@Autowired
	private Environment environment;

	@Test
	void aManagerOfABoundServerLandsOnItsBrandsOverviewAsAnAdmin() {
		TestBrand brand = this.client.createBrand(Map.of("name", "Guild Rewards"));
		String guild = boundGuild(brand);
		String userId = newUserId();
		FakeDiscord.OAuthUser user = DISCORD.oauthUser(userId, "<b>mod</b>")
			.guild(newUserId(), "Another server", false, FakeDiscord.MEMBER)
			.guild(guild, "The server", false, FakeDiscord.MANAGE_GUILD);
		PortalBrowser browser = new PortalBrowser(this.client.base());
		assertThat(browser.get("/portal/sign-in").body()).contains("id=\"discord-sign-in\"");

		PortalBrowser.Page start = browser.get("/portal/sign-in/discord");
		assertThat(start.status()).isEqualTo(302);
		assertThat(start.location()).startsWith(DISCORD.authorizeUrl() + "?");
		Map<String, String> asked = query(URI.create(start.location()).getRawQuery());
		assertThat(asked).containsEntry("response_type", "code")
			.containsEntry("client_id", DiscordBot.APPLICATION_ID)
			.containsEntry("scope", "identify guilds")
			.containsEntry("redirect_uri", this.client.base() + "/portal/sign-in/discord/callback")
			.containsEntry("code_challenge_method", "S256");
		assertThat(asked.get("state")).hasSizeGreaterThanOrEqualTo(32);
		String sessionBefore = browser.sessionId();

		URI back = DISCORD.approve(start.location(), user);
		PortalBrowser.Page signedIn = browser.get(pathOf(back));
		assertThat(signedIn.status()).as(signedIn.toString()).isEqualTo(302);
		assertThat(signedIn.location()).endsWith("/portal");
		assertThat(browser.sessionId()).isNotEqualTo(sessionBefore);

		PortalBrowser.Page overview = browser.get("/portal");
		assertThat(overview.status()).isEqualTo(200);
		assertThat(overview.body()).contains("Guild Rewards")
			.contains(brand.brandId())
			.contains("Discord user &lt;b&gt;mod&lt;/b&gt;")
			.doesNotContain("<b>mod</b>");
		assertThat(overview.body()).containsPattern("Your role</dt>\\s*<dd>admin</dd>");

		// The code was exchanged as Discord's token endpoint expects it.
		FakeDiscord.Request exchange = DISCORD.requestsTo("/oauth2/token").getLast();
		Map<String, String> form = query(exchange.body());
		assertThat(form).containsEntry("grant_type", "authorization_code")
			.containsEntry("code", query(back.getRawQuery()).get("code"))
			.containsEntry("redirect_uri", asked.get("redirect_uri"));
		assertThat(exchange.headers().get("content-type")).startsWith("application/x-www-form-urlencoded");
		assertThat(exchange.headers().get("authorization")).isEqualTo("Basic " + Base64.getEncoder()
			.encodeToString((DiscordBot.APPLICATION_ID + ":" + FakeDiscord.CLIENT_SECRET).getBytes()));

		// A brand's admin, not the operator.
		assertThat(browser.get("/portal/operator").status()).isEqualTo(403);

		// Their account is their Discord account: still signed in on every page (no
		// portal user to re-read), no password or two-factor sign-in to change here.
		PortalBrowser.Page account = browser.get("/portal/settings/account");
		assertThat(account.status()).as(account.toString()).isEqualTo(200);
		assertThat(account.body()).contains("id=\"account-discord\"").doesNotContain("id=\"password-form\"");
		PortalBrowser.Page password = browser.submit("/portal/settings/account", "/portal/settings/account/password",
				Map.of("current", "x", "password", "a new password 1", "confirmation", "a new password 1"));
		assertThat(password.status()).isEqualTo(403);
		assertThat(password.body()).contains("You signed in with Discord");
		assertThat(browser.submit("/portal/settings/account", "/portal/settings/account/two-factor/setup", Map.of())
			.status()).isEqualTo(403);
		assertThat(browser.get("/portal/settings/users").status()).isEqualTo(200);
		assertThat(browser.get("/portal").status()).isEqualTo(200);
	}

	@Test
	void someoneManagingServersOfSeveralBrandsChoosesAmongThoseOnly() {
		TestBrand owned = this.client.createBrand(Map.of("name", "Owned brand"));
		TestBrand administered = this.client.createBrand(Map.of("name", "Administered <i>brand</i>"));
		TestBrand joined = this.client.createBrand(Map.of("name", "Joined brand"));
		FakeDiscord.OAuthUser user = DISCORD.oauthUser(newUserId(), "boss")
			.guild(boundGuild(owned), "Owned", true, "0")
			.guild(boundGuild(administered), "Administered", false, FakeDiscord.ADMINISTRATOR)
			.guild(boundGuild(joined), "Joined", false, FakeDiscord.MEMBER);
		PortalBrowser browser = new PortalBrowser(this.client.base());

		PortalBrowser.Page choice = signInWithDiscord(browser, user);
		assertThat(choice.status()).as(choice.toString()).isEqualTo(200);
		assertThat(choice.body()).contains("Owned brand")
			.contains("Administered &lt;i&gt;brand&lt;/i&gt;")
			.contains(owned.brandId())
			.contains(administered.brandId())
			.doesNotContain("Joined brand")
			.doesNotContain(joined.brandId());
		assertThat(browser.get("/portal").location()).endsWith("/portal/sign-in");

		String csrf = choice.csrfToken();
		PortalBrowser.Page notTheirs = browser.post("/portal/sign-in/discord/choose",
				Map.of("brand_id", joined.brandId(), "_csrf", csrf));
		assertThat(notTheirs.status()).isEqualTo(403);
		assertThat(browser.get("/portal").location()).endsWith("/portal/sign-in");
		assertThat(browser.post("/portal/sign-in/discord/choose", Map.of("brand_id", administered.brandId())).status())
			.as("without the CSRF token")
			.isEqualTo(403);
		assertThat(browser.get("/portal").location()).endsWith("/portal/sign-in");

		PortalBrowser.Page chosen = browser.post("/portal/sign-in/discord/choose",
				Map.of("brand_id", administered.brandId(), "_csrf", csrf));
		assertThat(chosen.status()).isEqualTo(302);
		assertThat(chosen.location()).endsWith("/portal");
		assertThat(browser.get("/portal").body()).contains(administered.brandId()).doesNotContain(owned.brandId());
	}

	@Test
	void aMemberWithoutManageServerOrAManagerOfAnUnboundServerIsRefused() {
		TestBrand brand = this.client.createBrand();
		FakeDiscord.OAuthUser user = DISCORD.oauthUser(newUserId(), "member")
			.guild(boundGuild(brand), "Bound", false, FakeDiscord.MEMBER)
			.guild(newUserId(), "Unbound", true, FakeDiscord.ADMINISTRATOR);
		PortalBrowser browser = new PortalBrowser(this.client.base());

		PortalBrowser.Page refused = signInWithDiscord(browser, user);
		assertThat(refused.status()).isEqualTo(403);
		assertThat(refused.body()).contains("None of the Discord servers you manage");
		assertThat(browser.get("/portal").location()).endsWith("/portal/sign-in");

		// Unbinding the server of a brand takes the sign-in away.
		String guild = boundGuild(brand);
		FakeDiscord.OAuthUser manager = DISCORD.oauthUser(newUserId(), "manager")
			.guild(guild, "Bound", false, FakeDiscord.MANAGE_GUILD);
		assertThat(
				this.client.admin("DELETE", "/admin/v1/brands/" + brand.brandId() + "/guilds/" + guild, null).status())
			.isEqualTo(204);
		assertThat(signInWithDiscord(new PortalBrowser(this.client.base()), manager).status()).isEqualTo(403);
	}

	@Test
	void aWrongMissingOrReusedStateIsRefused() {
		TestBrand brand = this.client.createBrand();
		FakeDiscord.OAuthUser user = DISCORD.oauthUser(newUserId(), "manager")
			.guild(boundGuild(brand), "Bound", false, FakeDiscord.MANAGE_GUILD);

		PortalBrowser browser = new PortalBrowser(this.client.base());
		URI back = DISCORD.approve(browser.get("/portal/sign-in/discord").location(), user);
		String code = query(back.getRawQuery()).get("code");
		PortalBrowser.Page wrong = browser.get("/portal/sign-in/discord/callback?code=" + code + "&state=forged");
		assertThat(wrong.status()).isEqualTo(403);
		assertThat(wrong.body()).contains("This sign-in could not be verified");
		assertThat(browser.get("/portal").location()).endsWith("/portal/sign-in");
		// The state is good for one answer: the right one after a wrong one is too late.
		assertThat(browser.get(pathOf(back)).status()).isEqualTo(403);
		assertThat(browser.get("/portal").location()).endsWith("/portal/sign-in");

		URI again = DISCORD.approve(browser.get("/portal/sign-in/discord").location(), user);
		PortalBrowser.Page missing = browser
			.get("/portal/sign-in/discord/callback?code=" + query(again.getRawQuery()).get("code"));
		assertThat(missing.status()).isEqualTo(403);
		assertThat(browser.get("/portal").location()).endsWith("/portal/sign-in");

		// Someone else's answer from Discord (a link an attacker sends) signs no one in.
		PortalBrowser attacker = new PortalBrowser(this.client.base());
		URI attackers = DISCORD.approve(attacker.get("/portal/sign-in/discord").location(), user);
		PortalBrowser victim = new PortalBrowser(this.client.base());
		victim.get("/portal/sign-in/discord");
		assertThat(victim.get(pathOf(attackers)).status()).isEqualTo(403);
		assertThat(victim.get("/portal").location()).endsWith("/portal/sign-in");
		assertThat(new PortalBrowser(this.client.base()).get(pathOf(attackers)).status()).isEqualTo(403);

		// Every refusal left the code unused: none was exchanged.
		assertThat(DISCORD.requestsTo("/oauth2/token").stream().map((request) -> query(request.body()).get("code")))
			.doesNotContain(code, query(attackers.getRawQuery()).get("code"));
	}

	@Test
	void cancellingAtDiscordGoesBackToTheSignInPageSayingSo() {
		PortalBrowser browser = new PortalBrowser(this.client.base());
		URI back = DISCORD.deny(browser.get("/portal/sign-in/discord").location());
		PortalBrowser.Page denied = browser.get(pathOf(back));
		assertThat(denied.status()).isEqualTo(302);
		assertThat(denied.location()).endsWith("/portal/sign-in?discord-denied");
		assertThat(browser.get("/portal/sign-in?discord-denied").body()).contains("cancelled at Discord");
		assertThat(browser.get("/portal").location()).endsWith("/portal/sign-in");
	}

	@Test
	void aFailingTokenEndpointGivesAClearPage() {
		TestBrand brand = this.client.createBrand();
		FakeDiscord.OAuthUser user = DISCORD.oauthUser(newUserId(), "manager")
			.guild(boundGuild(brand), "Bound", false, FakeDiscord.MANAGE_GUILD);
		PortalBrowser browser = new PortalBrowser(this.client.base());
		DISCORD.failTokenEndpoint(500, 1);
		PortalBrowser.Page failed = signInWithDiscord(browser, user);
		assertThat(failed.status()).isEqualTo(502);
		assertThat(failed.body()).contains("Discord did not sign you in").contains("HTTP 500");
		assertThat(browser.get("/portal").location()).endsWith("/portal/sign-in");

		// Once Discord answers again, the sign-in works.
		assertThat(signInWithDiscord(browser, user).location()).endsWith("/portal");
	}

	@Test
	void withoutAClientSecretThereIsNoButtonAndNoRoute() {
		// A node with the same database, without the OAuth2 settings the shared test
		// configuration gives the first one.
		try (SecondNode node = SecondNode.start(this.environment, this.clock)) {
			PortalBrowser browser = new PortalBrowser("http://localhost:" + node.port());
			PortalBrowser.Page signIn = browser.get("/portal/sign-in");
			assertThat(signIn.status()).isEqualTo(200);
			assertThat(signIn.body()).doesNotContain("discord-sign-in").doesNotContain("Sign in with Discord");
			assertThat(browser.get("/portal/sign-in/discord").status()).isEqualTo(404);
			assertThat(browser.get("/portal/sign-in/discord/callback?code=x&state=y").status()).isEqualTo(404);
		}
	}

	/** Starts the sign-in, allows it at Discord as {@code user}, and comes back. */
	private PortalBrowser.Page signInWithDiscord(PortalBrowser browser, FakeDiscord.OAuthUser user) {
		PortalBrowser.Page start = browser.get("/portal/sign-in/discord");
		assertThat(start.status()).isEqualTo(302);
		return browser.get(pathOf(DISCORD.approve(start.location(), user)));
	}

	private String boundGuild(TestBrand brand) {
		String guild = newUserId();
		ApiResponse bound = this.client.admin("POST", "/admin/v1/brands/" + brand.brandId() + "/guilds",
				json(Map.of("guild_id", guild)));
		assertThat(bound.status()).as(bound.toString()).isEqualTo(201);
		return guild;
	}

	private String pathOf(URI back) {
		assertThat(back.toString()).startsWith(this.client.base() + "/portal/sign-in/discord/callback?");
		return back.getRawPath() + "?" + back.getRawQuery();
	}

	private static Map<String, String> query(String raw) {
		Map<String, String> fields = new LinkedHashMap<>();
		for (String pair : List.of(raw.split("&"))) {
			int equals = pair.indexOf('=');
			fields.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
					URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
		}
		return fields;
	}

}
