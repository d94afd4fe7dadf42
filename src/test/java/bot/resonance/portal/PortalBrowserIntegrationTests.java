package bot.resonance.portal;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

import bot.resonance.support.ApiResponse;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.TestBrand;

import static bot.resonance.portal.browser.ChromiumSession.id;
import static bot.resonance.portal.browser.ChromiumSession.test;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The portal in a real headless Chromium: invitation, sign-in with the keyboard, the
 * overview, error pages, a phone's screen and dark colours, brand isolation; and every
 * page without console errors (nothing the Content-Security-Policy blocks). Screenshots
 * in {@code target/portal-screenshots/PortalBrowserIntegrationTests/}.
 */
@IntegrationTest
class PortalBrowserIntegrationTests extends PortalBrowserTestSupport {

	@Test
	void anInvitedUserChoosesAPasswordSeesTheBrandSignsOutAndInWithTheKeyboard() {
		String name = "Browser Brand " + EMAILS.incrementAndGet();
		TestBrand brand = this.client.createBrand(Map.of("name", name));
		this.client.fund(brand, 125_000);
		String email = newEmail();

		this.chromium.open(invitationPath(brand, email, "admin"), "invitation");
		assertThat(this.chromium.text(By.tagName("h1"))).isEqualTo("Welcome to " + name);
		assertThat(this.chromium.text(id("main"))).contains(email);
		this.chromium.type(id("password"), PASSWORD);
		this.chromium.type(id("confirmation"), PASSWORD + "!");
		this.chromium.clickAndLoad(Layout.submitOf("password"), "passwords-differ");
		assertThat(this.chromium.text(By.cssSelector(".notice.error"))).contains("do not match");

		this.chromium.type(id("password"), PASSWORD);
		this.chromium.type(id("confirmation"), PASSWORD);
		this.chromium.clickAndLoad(Layout.submitOf("password"), "overview");
		assertThat(this.chromium.path()).isEqualTo("/portal");
		assertThat(this.chromium.text(By.tagName("h1"))).isEqualTo(name);
		assertThat(this.chromium.text(id("brand-id"))).isEqualTo(brand.brandId());
		assertThat(this.chromium.text(By.xpath("//tr[td[1]='POINT']/td[contains(@class, 'wallet-balance')]")))
			.isEqualTo("125000");
		assertThat(this.chromium.find(By.cssSelector("nav.sections a[aria-current='page']")).getText())
			.isEqualTo("Overview");
		assertThat(this.chromium.text(By.cssSelector(".signed-in-as"))).isEqualTo(email);

		signOut();
		assertThat(this.chromium.text(By.cssSelector("main .notice"))).isEqualTo("You are signed out.");

		// Keyboard only: the email field has the focus, Tab goes to the password, Enter
		// submits.
		assertThat(this.chromium.focused().getAttribute("id")).isEqualTo("email");
		this.chromium.keys(email);
		this.chromium.keys(Keys.TAB);
		assertThat(this.chromium.focused().getAttribute("id")).isEqualTo("password");
		this.chromium.keys(PASSWORD);
		this.chromium.navigate("signed-in-with-the-keyboard", () -> this.chromium.keys(Keys.ENTER));
		assertThat(this.chromium.path()).isEqualTo("/portal");
		assertThat(this.chromium.text(By.tagName("h1"))).isEqualTo(name);
	}

	@Test
	void aWrongPasswordIsRefusedWithAMessage() {
		TestBrand brand = this.client.createBrand();
		String email = newEmail();
		signedInUser(brand, email, "viewer");

		signInThroughForm(email, PASSWORD + "x");
		assertThat(this.chromium.path()).isEqualTo("/portal/sign-in?error");
		assertThat(this.chromium.text(By.cssSelector("[role=alert]"))).isEqualTo("The email or password is not right.");

		this.chromium.open("/portal", "still-signed-out");
		assertThat(this.chromium.path()).isEqualTo("/portal/sign-in");

		signInThroughForm(email, PASSWORD);
		assertThat(this.chromium.path()).isEqualTo("/portal");
	}

	@Test
	void anUnknownPortalPathShowsTheErrorPageWithAWayBack() {
		TestBrand brand = this.client.createBrand(Map.of("name", "Lost Brand"));
		signInThroughInvitation(brand, "viewer");

		this.chromium.open("/portal/no-such-page", "page-not-found");
		assertThat(this.chromium.text(By.tagName("h1"))).isEqualTo("Page not found");
		this.chromium.clickAndLoad(By.cssSelector("main a[href='/portal']"), "back-to-the-overview");
		assertThat(this.chromium.path()).isEqualTo("/portal");
		assertThat(this.chromium.text(By.tagName("h1"))).isEqualTo("Lost Brand");
	}

	@Test
	void onAPhoneEveryPageFitsTheScreenAndTheNavigationIsUsable() {
		// Every page settled on is checked to fit the screen's width
		// (ChromiumSession.phone).
		this.chromium.phone(390, 844);
		TestBrand brand = this.client.createBrand(Map.of("name", "A brand with a rather long name for a small phone"));
		this.client.fund(brand, 5_000);
		String email = newEmail();
		this.chromium.open(invitationPath(brand, email, "admin"), "phone-invitation");
		this.chromium.type(id("password"), PASSWORD);
		this.chromium.type(id("confirmation"), PASSWORD);
		this.chromium.clickAndLoad(Layout.submitOf("password"), "phone-overview");

		// Every section is in view without scrolling, and big enough to tap.
		List<WebElement> links = this.chromium.findAll(Layout.SECTION_LINKS);
		assertThat(links).extracting(WebElement::getText)
			.containsExactly("Overview", "Analytics", "Event types", "Members", "Wallet", "Integrations", "Webhooks",
					"Settings");
		for (WebElement link : links) {
			assertThat(link.isDisplayed()).as(link.getText()).isTrue();
			assertThat(link.getRect().getX()).as(link.getText()).isGreaterThanOrEqualTo(0);
			assertThat(link.getRect().getX() + link.getRect().getWidth()).as(link.getText()).isLessThanOrEqualTo(390);
			assertThat(link.getRect().getHeight()).as(link.getText()).isGreaterThanOrEqualTo(44);
		}
		WebElement signOut = this.chromium.find(Layout.SIGN_OUT);
		assertThat(signOut.getRect().getX() + signOut.getRect().getWidth()).isLessThanOrEqualTo(390);

		// The two-factor set-up page shows a long otpauth:// link: it wraps.
		this.chromium.open("/portal/settings/account", "phone-account");
		this.chromium.clickAndLoad(id("two-factor-setup"), "phone-two-factor-setup");
		assertThat(this.chromium.exists(test("two-factor-uri"))).isTrue();

		this.chromium.open("/portal/no-such-page", "phone-page-not-found");
		this.chromium.clickAndLoad(By.linkText("Back to the portal"), "phone-overview-again");
		assertThat(this.chromium.path()).isEqualTo("/portal");
		signOut();
	}

	@Test
	void aPageWiderThanThePhoneFails() {
		this.chromium.phone(390, 844);
		this.chromium.open("/portal/sign-in", "phone-sign-in");
		this.chromium.script("""
				const wide = document.createElement('pre');
				wide.textContent = 'x'.repeat(200);
				document.querySelector('main').append(wide);
				""");
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> this.chromium.page("too-wide"))
			.withMessageContaining("wider than the 390 of the phone's screen");
	}

	@Test
	void darkColoursFollowTheSystemSetting() {
		TestBrand brand = this.client.createBrand(Map.of("name", "Night Brand"));
		signInThroughInvitation(brand, "viewer");
		assertThat(this.chromium.style(By.tagName("body"), "background-color")).isEqualTo("rgba(255, 255, 255, 1)");
		assertThat(this.chromium.style(By.tagName("body"), "color")).isEqualTo("rgba(27, 29, 34, 1)");

		this.chromium.colorScheme("dark");
		this.chromium.open("/portal", "overview-dark");
		assertThat(this.chromium.style(By.tagName("body"), "background-color")).isEqualTo("rgba(21, 22, 26, 1)");
		assertThat(this.chromium.style(By.tagName("body"), "color")).isEqualTo("rgba(233, 234, 238, 1)");
		assertThat(this.chromium.style(By.cssSelector(".site-header"), "background-color"))
			.isEqualTo("rgba(34, 36, 43, 1)");
		this.chromium.open("/portal/sign-in", "sign-in-dark");
		assertThat(this.chromium.style(By.tagName("body"), "background-color")).isEqualTo("rgba(21, 22, 26, 1)");
		assertThat(this.chromium.style(id("email"), "background-color")).isEqualTo("rgba(21, 22, 26, 1)");
		assertThat(this.chromium.style(id("email"), "color")).isEqualTo("rgba(233, 234, 238, 1)");
	}

	@Test
	void aSecondBrandsUserSeesOnlyTheirBrand() {
		String firstName = "First Browser Brand " + EMAILS.incrementAndGet();
		TestBrand first = this.client.createBrand(Map.of("name", firstName));
		this.client.fund(first, 7_777);
		TestBrand second = this.client.createBrand(Map.of("name", "Second Browser Brand"));
		signInThroughInvitation(second, "admin");

		for (String path : new String[] { "/portal", "/portal?brand_id=" + first.brandId(),
				"/portal?brandId=" + first.brandId() }) {
			this.chromium.open(path, "second-brand");
			assertThat(this.chromium.text(id("brand-id"))).isEqualTo(second.brandId());
			assertThat(this.chromium.html()).doesNotContain(first.brandId())
				.doesNotContain(firstName)
				// The first brand's balance as a number of its own: the signed-in
				// email and the CSRF token are random and may hold the same digits.
				.doesNotContainPattern("(?<![\\w.-])7,?777(?![\\w-])");
			assertThat(this.chromium.findAll(By.cssSelector(".wallet-balance"))).isNotEmpty()
				.allSatisfy((balance) -> assertThat(balance.getText()).isEqualTo("0"));
		}
	}

	@Test
	void deletingAWebhookAsksFirstAndCancellingKeepsIt() {
		TestBrand brand = this.client.createBrand();
		ApiResponse created = this.client.api(brand, "POST", "/v1/webhooks",
				"{\"url\": \"https://example.com/resonance\"}");
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		String id = created.json().get("id").asString();
		signInThroughInvitation(brand, "admin");
		this.chromium.open("/portal/webhooks/" + id, "webhook");

		this.chromium.click(id("delete-webhook"));
		Alert question = this.chromium.driver().switchTo().alert();
		assertThat(question.getText()).contains("Delete this webhook?").contains("delivery log goes with it");
		question.dismiss();
		assertThat(this.chromium.path()).isEqualTo("/portal/webhooks/" + id);
		assertThat(this.client.get(brand, "/v1/webhooks/" + id).status()).isEqualTo(200);

		this.chromium.navigate("deleted", () -> {
			this.chromium.click(id("delete-webhook"));
			this.chromium.driver().switchTo().alert().accept();
		});
		assertThat(this.client.get(brand, "/v1/webhooks/" + id).status()).isEqualTo(404);
	}

	@Test
	void pagesWithScriptsOrStylesTheContentSecurityPolicyBlocksFail() {
		this.chromium.open("/portal/sign-in", "sign-in");
		// What a template with an inline style or script would do; and a script error.
		this.chromium.script("""
				const style = document.createElement('style');
				style.textContent = 'body { background: red; }';
				document.head.append(style);
				const script = document.createElement('script');
				script.textContent = 'document.title = "inline";';
				document.head.append(script);
				setTimeout(() => { throw new Error('a broken portal script'); });
				""");
		this.chromium.await("the refusals in the console", (driver) -> driver.getTitle().startsWith("Sign in"));
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> this.chromium.page("blocked"))
			.withMessageContaining("style-src")
			.withMessageContaining("script-src")
			.withMessageContaining("a broken portal script");
		assertThat(this.chromium.style(By.tagName("body"), "background-color")).isEqualTo("rgba(255, 255, 255, 1)");
	}

}
