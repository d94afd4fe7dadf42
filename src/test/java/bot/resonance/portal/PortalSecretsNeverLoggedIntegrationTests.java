package bot.resonance.portal;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import bot.resonance.support.IntegrationTest;
import bot.resonance.support.TestBrand;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The portal's secrets stay out of the log, at DEBUG too: an invitation's token, the
 * password chosen with it, a wrong password tried at sign-in, and the two-factor secret
 * shown while setting it up.
 */
@IntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class PortalSecretsNeverLoggedIntegrationTests extends PortalIntegrationTestSupport {

	private static final Pattern TWO_FACTOR_SECRET = Pattern.compile("data-test=\"two-factor-secret\">([A-Z2-7]+)<");

	@Test
	void noPortalSecretIsEverWrittenToTheLog(CapturedOutput output) {
		LoggingSystem logging = LoggingSystem.get(getClass().getClassLoader());
		List<String> loggers = List.of("bot.resonance", "org.springframework.web", "org.springframework.security");
		loggers.forEach((logger) -> logging.setLogLevel(logger, LogLevel.DEBUG));
		try {
			TestBrand brand = this.client.createBrand();
			String email = newEmail();
			String invitation = invitationPath(brand, email, "admin");
			PortalBrowser browser = new PortalBrowser(this.client.base());
			assertThat(browser.submit(invitation, invitation, Map.of("password", PASSWORD, "confirmation", PASSWORD))
				.status()).isEqualTo(302);
			String wrong = "not the password " + System.nanoTime();
			PortalBrowser other = new PortalBrowser(this.client.base());
			assertThat(other.signIn(email, wrong).location()).doesNotEndWith("/portal");
			assertThat(other.signIn(email, PASSWORD).location()).endsWith("/portal");
			PortalBrowser.Page setup = browser.submit("/portal/settings/account",
					"/portal/settings/account/two-factor/setup", Map.of());
			Matcher secret = TWO_FACTOR_SECRET.matcher(setup.body());
			assertThat(secret.find()).as("the two-factor secret is shown").isTrue();

			String log = output.getAll();
			assertThat(log).as("the log was captured, at DEBUG").contains(" DEBUG ");
			String token = invitation.substring(invitation.lastIndexOf('/') + 1);
			assertThat(List.of(token, PASSWORD, wrong, secret.group(1)))
				.allSatisfy((value) -> assertThat(value).hasSizeGreaterThan(8))
				.allSatisfy((value) -> assertThat(log).as("the log holds a secret").doesNotContain(value));
		}
		finally {
			loggers.forEach((logger) -> logging.setLogLevel(logger, null));
		}
	}

}
