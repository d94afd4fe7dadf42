package bot.resonance.platform.mail;

import java.io.IOException;
import java.io.UnsupportedEncodingException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLException;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.mail.MailAuthenticationException;
import org.springframework.mail.MailException;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Service;

/**
 * Sends plain-text mails (one-time codes to members) through the SMTP server the operator
 * configured with {@code spring.mail.*}, from {@code resonance.mail.from}.
 *
 * <p>
 * Sending is synchronous: {@link #send} returns once the SMTP server accepted the mail,
 * and takes at most the SMTP timeouts ({@code mail.smtp.connectiontimeout},
 * {@code timeout}, {@code writetimeout}) when the server is slow.
 */
@Service
public class Mail {

	private static final Logger log = LoggerFactory.getLogger(Mail.class);

	/** An SMTP reply code at the start of a server's answer ({@code 550 5.1.1 ...}). */
	private static final Pattern REPLY_CODE = Pattern.compile("^\\s*([2-5][0-9][0-9])[ -]");

	private final @Nullable JavaMailSender sender;

	private final InternetAddress from;

	private final Clock clock;

	Mail(ObjectProvider<JavaMailSender> senders, ResonanceMailProperties properties, Clock clock) {
		this.sender = senders.getIfAvailable();
		this.from = parseFrom(properties.from());
		this.clock = clock;
	}

	/**
	 * Whether an SMTP server is configured ({@code spring.mail.host}), so that mails can
	 * be sent at all. Callers that offer an email-based step ask this first and say that
	 * email is unavailable rather than promise a mail.
	 */
	public boolean available() {
		return this.sender != null;
	}

	/**
	 * The configured SMTP server as {@code host:port}, for operators (start-up summary,
	 * health); empty when none is configured.
	 */
	public Optional<String> server() {
		if (this.sender == null) {
			return Optional.empty();
		}
		JavaMailSenderImpl smtp = smtpSender();
		return Optional.of((smtp != null) ? smtp.getHost() + ":" + port(smtp) : "a mail sender from the context");
	}

	/** The sender when it is Spring Boot's SMTP sender with a host, as configured. */
	@Nullable JavaMailSenderImpl smtpSender() {
		return (this.sender instanceof JavaMailSenderImpl impl && impl.getHost() != null) ? impl : null;
	}

	/**
	 * Sends one plain-text UTF-8 mail and returns once the SMTP server accepted it.
	 * @param mail the mail; its recipient was checked to be one plain address when it was
	 * made
	 * @throws MailUnavailableException when no SMTP server is configured
	 * @throws MailFailedException when the SMTP server cannot be reached, does not answer
	 * in time, or refuses the mail (credentials, sender or recipient)
	 */
	public void send(OutgoingMail mail) {
		JavaMailSender sender = this.sender;
		if (sender == null) {
			throw new MailUnavailableException();
		}
		MimeMessage message = sender.createMimeMessage();
		try {
			MimeMessageHelper helper = new MimeMessageHelper(message, false, StandardCharsets.UTF_8.name());
			helper.setFrom(this.from);
			helper.setTo(new InternetAddress(mail.to(), true));
			helper.setSubject(mail.subject());
			helper.setText(mail.text(), false);
			helper.setSentDate(Date.from(this.clock.instant()));
			// Otherwise the Message-ID would carry this machine's host and user names.
			message.setHeader("Message-ID", "<" + UUID.randomUUID() + "@" + domainOf(this.from) + ">");
		}
		catch (MessagingException ex) {
			// OutgoingMail and the checked sender address leave nothing to fail here.
			throw new IllegalStateException("Could not compose the mail", ex);
		}
		try {
			sender.send(message);
		}
		catch (MailException ex) {
			MailFailedException failed = failure(ex);
			log.warn("Could not send a mail through the SMTP server {}: {} ({})", server().orElse("?"),
					failed.getMessage(), causes(ex));
			throw failed;
		}
	}

	private static MailFailedException failure(MailException ex) {
		List<Throwable> causes = causeChains(ex);
		if (ex instanceof MailAuthenticationException) {
			return new MailFailedException(MailFailedException.Reason.REFUSED,
					"The SMTP server refused Resonance's credentials (spring.mail.username, spring.mail.password)"
							+ replyCode(causes) + ".");
		}
		for (Throwable cause : causes) {
			if (cause instanceof IOException io) {
				return new MailFailedException(MailFailedException.Reason.UNREACHABLE,
						"The SMTP server could not be reached: " + describe(io) + ".");
			}
		}
		return new MailFailedException(MailFailedException.Reason.REFUSED,
				"The SMTP server refused the mail" + replyCode(causes) + ".");
	}

	private static String describe(IOException io) {
		if (io instanceof ConnectException) {
			return "the connection was refused";
		}
		if (io instanceof SocketTimeoutException) {
			return "it did not answer in time";
		}
		if (io instanceof UnknownHostException) {
			return "its host name does not resolve";
		}
		if (io instanceof SSLException) {
			return "the TLS handshake failed";
		}
		return "the connection failed";
	}

	private static String replyCode(List<Throwable> causes) {
		for (Throwable cause : causes) {
			if (cause instanceof MessagingException && cause.getMessage() != null) {
				Matcher code = REPLY_CODE.matcher(cause.getMessage());
				if (code.find()) {
					return " (reply " + code.group(1) + ")";
				}
			}
		}
		return "";
	}

	/** The exception, its causes and those of every message a send failed for. */
	private static List<Throwable> causeChains(MailException ex) {
		List<Throwable> roots = new ArrayList<>();
		roots.add(ex);
		if (ex instanceof MailSendException send) {
			roots.addAll(List.of(send.getMessageExceptions()));
		}
		List<Throwable> chain = new ArrayList<>();
		for (Throwable root : roots) {
			for (Throwable cause = root; cause != null && !chain.contains(cause); cause = next(cause)) {
				chain.add(cause);
			}
		}
		return chain;
	}

	private static @Nullable Throwable next(Throwable cause) {
		if (cause instanceof MessagingException messaging && messaging.getNextException() != null) {
			return messaging.getNextException();
		}
		return cause.getCause();
	}

	/** One line for the log: each cause's type and message, no stack trace. */
	private static String causes(MailException ex) {
		StringBuilder text = new StringBuilder();
		for (Throwable cause : causeChains(ex)) {
			if (!text.isEmpty()) {
				text.append("; ");
			}
			text.append(cause.getClass().getSimpleName());
			if (cause.getMessage() != null) {
				text.append(": ").append(cause.getMessage().replaceAll("\\s+", " ").strip());
			}
		}
		return text.toString();
	}

	/** The port the sender connects to, the protocol's default unless one is set. */
	static int port(JavaMailSenderImpl sender) {
		if (sender.getPort() != JavaMailSenderImpl.DEFAULT_PORT) {
			return sender.getPort();
		}
		boolean tls = "smtps".equals(sender.getProtocol())
				|| "true".equals(sender.getJavaMailProperties().getProperty("mail.smtp.ssl.enable"));
		return tls ? 465 : 25;
	}

	private static InternetAddress parseFrom(String from) {
		try {
			if (from.chars().anyMatch(Character::isISOControl)) {
				throw new AddressException("it holds a line break or another control character");
			}
			InternetAddress address = new InternetAddress(from, true);
			if (address.isGroup() || address.getAddress().indexOf('@') < 1) {
				throw new AddressException("it is not one address with a domain");
			}
			if (address.getPersonal() != null) {
				// Encoded as UTF-8 when not ASCII, as the rest of the mail.
				address.setPersonal(address.getPersonal(), StandardCharsets.UTF_8.name());
			}
			return address;
		}
		catch (AddressException | UnsupportedEncodingException ex) {
			throw new IllegalStateException("resonance.mail.from (RESONANCE_MAIL_FROM) must be one email address, "
					+ "optionally with a name (Resonance <no-reply@example.com>), but " + ex.getMessage());
		}
	}

	private static String domainOf(InternetAddress address) {
		String email = address.getAddress();
		return email.substring(email.lastIndexOf('@') + 1);
	}

}
