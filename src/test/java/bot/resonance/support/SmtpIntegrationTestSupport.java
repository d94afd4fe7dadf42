package bot.resonance.support;

import java.time.Duration;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link IntegrationTest}s whose server sends mail to a real SMTP server (GreenMail, on a
 * free loopback port): one server for every such test class, so they share one
 * application context. Tests find their mail by recipient.
 */
public abstract class SmtpIntegrationTestSupport extends IntegrationTestSupport {

	protected static final GreenMail SMTP = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));

	static {
		SMTP.start();
		Runtime.getRuntime().addShutdownHook(new Thread(SMTP::stop));
	}

	@DynamicPropertySource
	static void smtp(DynamicPropertyRegistry registry) {
		registry.add("spring.mail.host", () -> "127.0.0.1");
		registry.add("spring.mail.port", () -> SMTP.getSmtp().getPort());
	}

	/** The last mail to {@code address}, waiting for the first if none arrived yet. */
	protected static MimeMessage lastMailTo(String address) {
		await().atMost(Duration.ofSeconds(20))
			.until(() -> Arrays.stream(SMTP.getReceivedMessages())
				.anyMatch((m) -> recipient(m).equalsIgnoreCase(address)));
		MimeMessage last = null;
		for (MimeMessage message : SMTP.getReceivedMessages()) {
			if (recipient(message).equalsIgnoreCase(address)) {
				last = message;
			}
		}
		return last;
	}

	/** The first group of {@code pattern} in the mail's body, which must have it. */
	protected static String codeIn(MimeMessage message, String pattern) {
		Matcher matcher = Pattern.compile(pattern).matcher(GreenMailUtil.getBody(message));
		assertThat(matcher.find()).as(GreenMailUtil.getBody(message)).isTrue();
		return matcher.group(1);
	}

	private static String recipient(MimeMessage message) {
		try {
			return message.getAllRecipients()[0].toString();
		}
		catch (MessagingException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
