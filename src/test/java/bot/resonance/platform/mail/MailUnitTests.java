package bot.resonance.platform.mail;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.Map;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Message.RecipientType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import bot.resonance.support.ExpectedLogs;
import bot.resonance.support.RefusingPort;
import bot.resonance.support.Tarpit;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.mail.autoconfigure.MailHealthContributorAutoConfiguration;
import org.springframework.boot.mail.autoconfigure.MailSenderAutoConfiguration;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * {@link Mail} with Spring Boot's own mail auto-configuration and Resonance's
 * {@code application.yml}, sending to a real SMTP server (GreenMail) on a free loopback
 * port: what a member receives, what happens without an SMTP server, with one that is
 * down, silent or refusing, and addresses that would inject headers.
 */
@ExtendWith(OutputCaptureExtension.class)
class MailUnitTests {

	/**
	 * The failed sends these tests provoke, checked here instead of shown in the build's
	 * log.
	 */
	@RegisterExtension
	final ExpectedLogs logs = ExpectedLogs.of(Mail.class);

	private static final String USER = "resonance";

	private static final String PASSWORD = "correct-horse-battery-staple";

	private static final Instant NOW = Instant.parse("2026-03-01T12:34:56Z");

	@RegisterExtension
	static final GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
		.withConfiguration(GreenMailConfiguration.aConfig().withUser(USER, PASSWORD));

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withInitializer(new ConfigDataApplicationContextInitializer())
		.withConfiguration(
				AutoConfigurations.of(MailSenderAutoConfiguration.class, MailHealthContributorAutoConfiguration.class,
						HealthContributorAutoConfiguration.class, HealthContributorRegistryAutoConfiguration.class))
		.withUserConfiguration(MailConfiguration.class);

	@Test
	void deliversPlainTextInUtf8FromTheConfiguredSender() throws Exception {
		withSmtp(smtp.getSmtp().getPort(), PASSWORD, "resonance.mail.from=Résonance Codes <codes@example.org>")
			.run((context) -> {
				Mail mail = context.getBean(Mail.class);
				assertThat(mail.available()).isTrue();
				assertThat(mail.server()).contains("127.0.0.1:" + smtp.getSmtp().getPort());
				mail.send(new OutgoingMail("zoe.member+codes@example.com", "Votre code Résonance : 123456 ✓",
						"Bonjour Zoë,\nvotre code est 123456.\n.\nIl expire dans 15 minutes — 東京."));
			});

		MimeMessage[] received = smtp.getReceivedMessages();
		assertThat(received).hasSize(1);
		MimeMessage message = received[0];
		InternetAddress from = (InternetAddress) message.getFrom()[0];
		assertThat(from.getAddress()).isEqualTo("codes@example.org");
		assertThat(from.getPersonal()).isEqualTo("Résonance Codes");
		assertThat(message.getRecipients(RecipientType.TO)).extracting(Object::toString)
			.containsExactly("zoe.member+codes@example.com");
		assertThat(message.getRecipients(RecipientType.CC)).isNull();
		assertThat(message.getRecipients(RecipientType.BCC)).isNull();
		assertThat(message.getSubject()).isEqualTo("Votre code Résonance : 123456 ✓");
		assertThat(message.getContentType()).startsWith("text/plain").containsIgnoringCase("charset=UTF-8");
		assertThat(((String) message.getContent()).replace("\r\n", "\n"))
			.isEqualTo("Bonjour Zoë,\nvotre code est 123456.\n.\nIl expire dans 15 minutes — 東京.");
		// The Date is the application's clock; the Message-ID names the sender's domain,
		// not this machine's host name and user.
		assertThat(message.getSentDate()).isEqualTo(Date.from(NOW));
		assertThat(message.getMessageID()).matches("<[0-9a-f-]{36}@example\\.org>");
	}

	@Test
	void theDefaultSenderIsResonanceAtAnInvalidDomain() throws Exception {
		withSmtp(smtp.getSmtp().getPort(), PASSWORD).run((context) -> context.getBean(Mail.class)
			.send(new OutgoingMail("member@example.com", "Your code", "123456")));

		InternetAddress from = (InternetAddress) smtp.getReceivedMessages()[0].getFrom()[0];
		assertThat(from.getAddress()).isEqualTo("no-reply@resonance.invalid");
		assertThat(from.getPersonal()).isEqualTo("Resonance");
	}

	@Test
	void theDocumentedEnvironmentVariablesConfigureIt() throws Exception {
		Map<String, Object> environment = Map.of("SPRING_MAIL_HOST", "127.0.0.1", "SPRING_MAIL_PORT",
				String.valueOf(smtp.getSmtp().getPort()), "SPRING_MAIL_USERNAME", USER, "SPRING_MAIL_PASSWORD",
				PASSWORD, "SPRING_MAIL_PROPERTIES_MAIL_SMTP_STARTTLS_ENABLE", "true", "RESONANCE_MAIL_FROM",
				"Example Rewards <rewards@example.com>");
		this.runner
			.withInitializer((context) -> context.getEnvironment()
				.getPropertySources()
				.addFirst(new SystemEnvironmentPropertySource(
						StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, environment)))
			.run((context) -> {
				JavaMailSenderImpl sender = context.getBean(JavaMailSenderImpl.class);
				assertThat(sender.getUsername()).isEqualTo(USER);
				// Added to the defaults of application.yml, not instead of them.
				assertThat(sender.getJavaMailProperties()).containsEntry("mail.smtp.starttls.enable", "true")
					.containsKey("mail.smtp.connectiontimeout");
				context.getBean(Mail.class).send(new OutgoingMail("member@example.com", "Your code", "123456"));
			});

		InternetAddress from = (InternetAddress) smtp.getReceivedMessages()[0].getFrom()[0];
		assertThat(from.getAddress()).isEqualTo("rewards@example.com");
	}

	@ParameterizedTest
	@ValueSource(strings = { "not an address", "Resonance", "a@example.com, b@example.com",
			"Resonance <no-reply@example.com>\r\nBcc: victim@example.net", "group: a@example.com;" })
	void aSenderThatIsNotOneAddressStopsTheStart(String from) {
		withSmtp(smtp.getSmtp().getPort(), PASSWORD, "resonance.mail.from=" + from)
			.run((context) -> assertThat(context).getFailure().rootCause().hasMessageContaining("RESONANCE_MAIL_FROM"));
	}

	@Test
	void withoutAHostThereIsNoMailSenderAndSendingSaysWhatToConfigure() {
		this.runner.run((context) -> {
			assertThat(context).doesNotHaveBean(JavaMailSender.class);
			Mail mail = context.getBean(Mail.class);
			assertThat(mail.available()).isFalse();
			assertThat(mail.server()).isEmpty();
			MailUnavailableException unavailable = catchThrowableOfType(MailUnavailableException.class,
					() -> mail.send(new OutgoingMail("member@example.com", "Your code", "123456")));
			assertThat(unavailable).isNotNull();
			assertThat(unavailable.code()).isEqualTo("mail_unavailable");
			assertThat(unavailable.status().value()).isEqualTo(503);
			assertThat(unavailable.getMessage()).contains("spring.mail.host", "SPRING_MAIL_HOST", "spring.mail.port",
					"spring.mail.username", "spring.mail.password");
		});
		assertThat(smtp.getReceivedMessages()).isEmpty();
	}

	@Test
	void anUnreachableServerFailsCleanly(CapturedOutput output) throws IOException {
		try (RefusingPort down = RefusingPort.open()) {
			withSmtp(down.port(), PASSWORD).run((context) -> {
				MailFailedException failed = sendExpectingFailure(context);
				assertThat(failed.reason()).isEqualTo(MailFailedException.Reason.UNREACHABLE);
				assertThat(failed.getMessage()).contains("could not be reached");
				assertThat(failed.status().value()).isEqualTo(502);
				assertThat(failed.code()).isEqualTo("mail_failed");
			});
		}
		assertNoStackTraceIn(output);
		assertLoggedOnce("could not be reached");
	}

	@Test
	@Timeout(120) // guards against an endless hang only; the timeouts below decide
	void aServerThatNeverAnswersTimesOutAsUnreachable(CapturedOutput output) throws IOException {
		try (Tarpit silent = Tarpit.start()) {
			int port = URI.create(silent.url("/")).getPort();
			withSmtp(port, PASSWORD, "spring.mail.properties[mail.smtp.connectiontimeout]=500",
					"spring.mail.properties[mail.smtp.timeout]=500")
				.run((context) -> {
					MailFailedException failed = sendExpectingFailure(context);
					assertThat(failed.reason()).isEqualTo(MailFailedException.Reason.UNREACHABLE);
					assertThat(failed.getMessage()).contains("could not be reached");
				});
		}
		assertNoStackTraceIn(output);
		assertLoggedOnce("it did not answer in time");
	}

	@Test
	void sendsAreBoundedByTimeoutsByDefault() {
		withSmtp(smtp.getSmtp().getPort(), PASSWORD).run((context) -> {
			JavaMailSenderImpl sender = context.getBean(JavaMailSenderImpl.class);
			assertThat(sender.getJavaMailProperties()).containsKeys("mail.smtp.connectiontimeout", "mail.smtp.timeout",
					"mail.smtp.writetimeout");
		});
	}

	@Test
	void aRefusingServerFailsWithoutRevealingTheCredentials(CapturedOutput output) {
		withSmtp(smtp.getSmtp().getPort(), "wrong-" + PASSWORD).run((context) -> {
			MailFailedException failed = sendExpectingFailure(context);
			assertThat(failed.reason()).isEqualTo(MailFailedException.Reason.REFUSED);
			assertThat(failed.getMessage()).contains("refused").doesNotContain(PASSWORD);
		});
		assertThat(smtp.getReceivedMessages()).isEmpty();
		assertNoStackTraceIn(output);
		assertThat(output).doesNotContain(PASSWORD);
		assertLoggedOnce("refused Resonance's credentials");
	}

	@ParameterizedTest
	@ValueSource(strings = { "member@example.com\r\nBcc: victim@example.net", "member@example.com\nBcc: x@example.net",
			"member@example.com\rX-Injected: yes", "member@example.com, victim@example.net",
			"member@example.com,victim@example.net", "member@example.com;victim@example.net",
			"Member <member@example.com>", "<member@example.com>", "\"member\"@example.com", " member@example.com",
			"member@example.com ", "member @example.com", "member@exa mple.com", "undisclosed-recipients:;",
			"group: a@example.com, b@example.net;", "member", "@example.com", "member@", "member@@example.com",
			".member@example.com", "mem..ber@example.com", "member@example..com", "member@-example.com",
			"membér@example.com", "member@example.com\u0000", "" })
	void refusesAnythingButOnePlainAddress(String to) {
		assertThatIllegalArgumentException().isThrownBy(() -> new OutgoingMail(to, "Your code", "123456"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "Your code\r\nBcc: victim@example.net", "Your code\nX-Injected: yes", "Your code\r",
			"Your\tcode", "", "   " })
	void refusesSubjectsThatAreBlankOrHoldControlCharacters(String subject) {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new OutgoingMail("member@example.com", subject, "123456"));
	}

	@Test
	void acceptsOrdinaryAddresses() {
		for (String to : new String[] { "member@example.com", "first.last+tag@sub.example.co.uk", "a_b-c@localhost",
				"o'brien@example.ie", "x@xn--bcher-kva.example" }) {
			assertThat(new OutgoingMail(to, "Your code", "123456").to()).isEqualTo(to);
		}
	}

	@Test
	void injectedRecipientsNeverReachTheServer() {
		withSmtp(smtp.getSmtp().getPort(), PASSWORD).run((context) -> {
			Mail mail = context.getBean(Mail.class);
			assertThatIllegalArgumentException().isThrownBy(() -> mail
				.send(new OutgoingMail("member@example.com\r\nBcc: victim@example.net", "Your code", "123456")));
		});
		assertThat(smtp.getReceivedMessages()).isEmpty();
	}

	@Test
	void healthSaysWhetherMailIsConfiguredAndWhere() {
		this.runner.run((context) -> {
			Health health = mailHealth(context);
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("configured", false).doesNotContainKey("host");
		});
		withSmtp(smtp.getSmtp().getPort(), PASSWORD).run((context) -> {
			Health health = mailHealth(context);
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("configured", true)
				.containsEntry("host", "127.0.0.1")
				.containsEntry("port", smtp.getSmtp().getPort());
		});
	}

	@Test
	void anUnreachableServerDoesNotMakeTheNodeUnhealthy() throws IOException {
		try (RefusingPort down = RefusingPort.open()) {
			withSmtp(down.port(), PASSWORD).run((context) -> {
				// Spring Boot's own mail health check would connect and report DOWN while
				// the SMTP server is unreachable, taking the node's health with it.
				assertThat(context).doesNotHaveBean(org.springframework.boot.mail.health.MailHealthIndicator.class);
				assertThat(context.getBeansOfType(HealthIndicator.class).values()).isNotEmpty()
					.allSatisfy((indicator) -> assertThat(indicator.health(false).getStatus()).isEqualTo(Status.UP));
				assertThat(mailHealth(context).getDetails()).containsEntry("configured", true);
			});
		}
	}

	private static Health mailHealth(AssertableApplicationContext context) {
		HealthContributor contributor = context.getBean(HealthContributorRegistry.class).getContributor("mail");
		assertThat(contributor).isInstanceOf(HealthIndicator.class);
		Health health = ((HealthIndicator) contributor).health(true);
		assertThat(health).isNotNull();
		return health;
	}

	private ApplicationContextRunner withSmtp(int port, String password, String... more) {
		return this.runner
			.withPropertyValues("spring.mail.host=127.0.0.1", "spring.mail.port=" + port,
					"spring.mail.username=" + USER, "spring.mail.password=" + password)
			.withPropertyValues(more);
	}

	private static MailFailedException sendExpectingFailure(AssertableApplicationContext context) {
		Mail mail = context.getBean(Mail.class);
		assertThat(mail.available()).isTrue();
		MailFailedException failed = catchThrowableOfType(MailFailedException.class,
				() -> mail.send(new OutgoingMail("member@example.com", "Your code", "123456")));
		assertThat(failed).isNotNull();
		assertThat(failed.getStackTrace()).isEmpty();
		assertThat(failed.getCause()).isNull();
		assertThat(failed.getMessage()).doesNotContain("Exception", "\tat ", PASSWORD);
		return failed;
	}

	/**
	 * The failure was logged once, as a warning naming the server, without a stack trace
	 * or the password.
	 */
	private void assertLoggedOnce(String fragment) {
		assertThat(this.logs.expectEvents("Could not send a mail")).singleElement().satisfies((event) -> {
			assertThat(event.getLevel()).hasToString("WARN");
			assertThat(event.getFormattedMessage()).contains("127.0.0.1", fragment).doesNotContain(PASSWORD);
			assertThat(event.getThrowableProxy()).isNull();
		});
	}

	private static void assertNoStackTraceIn(CapturedOutput output) {
		assertThat(output.getAll()).doesNotContain("\tat ").doesNotContain("Caused by:");
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(ResonanceMailProperties.class)
	@Import({ Mail.class, MailHealthIndicator.class })
	static class MailConfiguration {

		@Bean
		Clock clock() {
			return Clock.fixed(NOW, ZoneOffset.UTC);
		}

	}

}
