package bot.resonance.platform;

import java.util.Map;

import org.junit.jupiter.api.Test;

import bot.resonance.platform.mail.Mail;
import bot.resonance.platform.mail.MailUnavailableException;
import bot.resonance.platform.mail.OutgoingMail;
import bot.resonance.support.ApiResponse;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.IntegrationTestSupport;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.context.ApplicationContext;
import org.springframework.mail.javamail.JavaMailSender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The running server without {@code spring.mail.host}, as by default: Spring Boot creates
 * no mail sender, {@link Mail} says it is unavailable and refuses to send with the
 * settings to set, and the node stays healthy with a {@code mail} detail saying mail is
 * not configured. ({@code MailUnitTests} sends through a real SMTP server.)
 */
@IntegrationTest
class MailIntegrationTests extends IntegrationTestSupport {

	@Autowired
	ApplicationContext context;

	@Autowired
	Mail mail;

	@Autowired
	HealthContributorRegistry health;

	@Test
	void withoutAnSmtpHostNoMailIsSent() {
		assertThat(this.context.getBeanNamesForType(JavaMailSender.class)).isEmpty();
		assertThat(this.mail.available()).isFalse();
		assertThat(this.mail.server()).isEmpty();
		assertThatExceptionOfType(MailUnavailableException.class)
			.isThrownBy(() -> this.mail.send(new OutgoingMail("member@example.com", "Your code", "123456")))
			.withMessageContaining("SPRING_MAIL_HOST");
	}

	@Test
	void healthSaysMailIsNotConfiguredAndStaysUp() {
		Health mailHealth = ((HealthIndicator) this.health.getContributor("mail")).health(true);
		assertThat(mailHealth.getStatus()).isEqualTo(Status.UP);
		assertThat(mailHealth.getDetails()).isEqualTo(Map.of("configured", false));
		ApiResponse response = this.client.send("GET", "/actuator/health", null, Map.of());
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.json().get("status").asString()).isEqualTo("UP");
	}

}
