package bot.resonance.portal;

import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

import org.openqa.selenium.By;

import bot.resonance.portal.browser.ChromiumSession;
import bot.resonance.support.TestBrand;

import static bot.resonance.portal.browser.ChromiumSession.id;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Base of the portal's browser tests: one headless Chromium per test class (started by
 * the first test, quit after the last), clean for every test (no cookies, desktop window,
 * light colours), and people who sign in through the real pages. A failed test leaves a
 * screenshot named {@code <test>-<nn>-failed.png}.
 */
abstract class PortalBrowserTestSupport extends PortalIntegrationTestSupport {

	private static ChromiumSession session;

	@RegisterExtension
	static final TestWatcher SCREENSHOT_ON_FAILURE = new TestWatcher() {

		@Override
		public void testFailed(ExtensionContext context, Throwable cause) {
			if (session != null) {
				try {
					session.screenshot("failed");
				}
				catch (RuntimeException ex) {
					cause.addSuppressed(ex);
				}
			}
		}

	};

	/** The browser, ready for this test. */
	protected ChromiumSession chromium;

	@BeforeEach
	void prepareChromium(TestInfo test) {
		if (session == null) {
			session = ChromiumSession.start();
		}
		session.beginTest(this.client.base(), getClass().getSimpleName(),
				test.getTestMethod().map((method) -> method.getName()).orElse("test"));
		this.chromium = session;
	}

	@AfterAll
	static void quitChromium() {
		Optional.ofNullable(session).ifPresent(ChromiumSession::close);
		session = null;
	}

	/**
	 * Invites a new user with the role through the operator API, opens the invitation
	 * link in Chromium, chooses the password ({@link #PASSWORD}) and lands on the
	 * overview. Returns the user's email.
	 */
	protected String signInThroughInvitation(TestBrand brand, String role) {
		String email = newEmail();
		signInThroughInvitation(brand, email, role);
		return email;
	}

	protected void signInThroughInvitation(TestBrand brand, String email, String role) {
		this.chromium.open(invitationPath(brand, email, role), "invitation");
		this.chromium.type(id("password"), PASSWORD);
		this.chromium.type(id("confirmation"), PASSWORD);
		this.chromium.clickAndLoad(Layout.submitOf("password"), "overview");
		assertThat(this.chromium.path()).isEqualTo("/portal");
	}

	/** Signs in with the sign-in form and settles on the page it leads to. */
	protected void signInThroughForm(String email, String password) {
		this.chromium.open("/portal/sign-in", "sign-in");
		this.chromium.type(id("email"), email);
		this.chromium.type(id("password"), password);
		this.chromium.clickAndLoad(Layout.submitOf("password"), "signed-in");
	}

	/** Presses the Sign out button at the top of the page. */
	protected void signOut() {
		this.chromium.clickAndLoad(Layout.SIGN_OUT, "signed-out");
		assertThat(this.chromium.path()).isEqualTo("/portal/sign-in?signed-out");
	}

	/** Selectors for the layout's parts. */
	static final class Layout {

		/** The Sign out button in the header. */
		static final By SIGN_OUT = By.cssSelector(".site-header form[action$='/portal/sign-out'] button");

		/** The section navigation's links. */
		static final By SECTION_LINKS = By.cssSelector("nav.sections a");

		/** The submit button of the form holding the field with this id. */
		static By submitOf(String fieldId) {
			return By.xpath("//input[@id='" + fieldId + "']/ancestor::form//button[@type='submit']");
		}

		private Layout() {
		}

	}

}
