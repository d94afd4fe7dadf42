package bot.resonance.platform.mail;

import bot.resonance.platform.web.ApiException;

import org.springframework.http.HttpStatus;

/**
 * Email cannot be sent because no SMTP server is configured. Escaping a request, it is
 * answered {@code 503 mail_unavailable}.
 */
public class MailUnavailableException extends ApiException {

	/** The problem code a request answers with when this escapes it. */
	public static final String CODE = "mail_unavailable";

	MailUnavailableException() {
		super(HttpStatus.SERVICE_UNAVAILABLE, CODE,
				"Email is not configured on this Resonance server: set spring.mail.host (environment variable "
						+ "SPRING_MAIL_HOST) to an SMTP server, with spring.mail.port, spring.mail.username and "
						+ "spring.mail.password (SPRING_MAIL_PORT, SPRING_MAIL_USERNAME, SPRING_MAIL_PASSWORD) as "
						+ "it requires.");
	}

}
