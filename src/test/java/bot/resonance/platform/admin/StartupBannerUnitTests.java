package bot.resonance.platform.admin;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The start-up summary's email line. */
class StartupBannerUnitTests {

	@Test
	void saysWhereMailGoesOrThatEmailConfirmationsAreUnavailable() {
		assertThat(StartupBanner.describeMail(Optional.of("smtp.example.com:587")))
			.isEqualTo("configured: SMTP server smtp.example.com:587");
		assertThat(StartupBanner.describeMail(Optional.empty()))
			.startsWith("not configured: email confirmations are unavailable")
			.contains("SPRING_MAIL_HOST");
	}

}
