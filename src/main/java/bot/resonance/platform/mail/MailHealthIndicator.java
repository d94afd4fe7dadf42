package bot.resonance.platform.mail;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.stereotype.Component;

/**
 * The {@code mail} health detail: whether an SMTP server is configured, and which. Always
 * {@code UP}, without connecting: without email only the email-based confirmations are
 * unavailable, and an SMTP server that is briefly unreachable must not take a node out of
 * its load balancer. That is also why Spring Boot's own mail health check, which connects
 * and reports {@code DOWN}, is off ({@code management.health.mail.enabled: false}); this
 * bean's name keeps it off even if it is turned on again.
 */
@Component("mailHealthIndicator")
class MailHealthIndicator implements HealthIndicator {

	private final Mail mail;

	MailHealthIndicator(Mail mail) {
		this.mail = mail;
	}

	@Override
	public Health health() {
		Health.Builder health = Health.up().withDetail("configured", this.mail.available());
		JavaMailSenderImpl smtp = this.mail.smtpSender();
		if (smtp != null && smtp.getHost() != null) {
			health.withDetail("host", smtp.getHost()).withDetail("port", Mail.port(smtp));
		}
		return health.build();
	}

}
