package bot.resonance.platform.mail;

import bot.resonance.platform.web.ApiException;

import org.springframework.http.HttpStatus;

/**
 * The configured SMTP server could not be reached or refused the mail. The message says
 * which (and the SMTP reply code, when there is one), never the server's credentials; it
 * carries no stack trace. Escaping a request, it is answered {@code 502 mail_failed}.
 */
public class MailFailedException extends ApiException {

	/** The problem code a request answers with when this escapes it. */
	public static final String CODE = "mail_failed";

	private final Reason reason;

	MailFailedException(Reason reason, String detail) {
		super(HttpStatus.BAD_GATEWAY, CODE, detail);
		this.reason = reason;
	}

	/** Why the mail was not sent. */
	public Reason reason() {
		return this.reason;
	}

	/** Why a mail was not sent. */
	public enum Reason {

		/** No SMTP conversation took place: the connection failed or timed out. */
		UNREACHABLE,

		/**
		 * The SMTP server answered and refused: the credentials, the sender or the
		 * recipient.
		 */
		REFUSED

	}

}
