package bot.resonance.platform.admin;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import bot.resonance.platform.crypto.SecretSealer;
import bot.resonance.platform.mail.Mail;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/**
 * The start-up summary: where things are, on the console or as one structured log event.
 */
class StartupBannerUnitTests {

	private static final String TOKEN = "generated-admin-token-0123456789abcdef";

	@Test
	void saysWhereMailGoesOrThatEmailConfirmationsAreUnavailable() {
		assertThat(StartupBanner.describeMail(Optional.of("smtp.example.com:587")))
			.isEqualTo("configured: SMTP server smtp.example.com:587");
		assertThat(StartupBanner.describeMail(Optional.empty()))
			.startsWith("not configured: email confirmations are unavailable")
			.contains("SPRING_MAIL_HOST");
	}

	@Test
	void onTheConsoleItShowsANewTokenOnceAndTheActuatorsOwnPort() {
		MockEnvironment environment = new MockEnvironment().withProperty("local.server.port", "8080")
			.withProperty("local.management.port", "8081");
		String printed = printed(banner(environment));
		assertThat(printed).contains("Resonance is running at http://localhost:8080")
			.contains("health        http://localhost:8081/actuator/health")
			.contains(TOKEN);
	}

	@Test
	void withStructuredLogsItIsOneLogEventWithoutTheToken() {
		MockEnvironment environment = new MockEnvironment().withProperty("local.server.port", "8080")
			.withProperty("logging.structured.format.console", "ecs");
		Logger logger = (Logger) LoggerFactory.getLogger(StartupBanner.class);
		ListAppender<ILoggingEvent> appender = new ListAppender<>();
		appender.start();
		logger.addAppender(appender);
		try {
			String printed = printed(banner(environment));
			assertThat(printed).as("not printed as a text block beside the log")
				.doesNotContain("\n  Resonance is running at")
				.doesNotContain(TOKEN);
			assertThat(appender.list).hasSize(1);
			assertThat(appender.list.getFirst().getFormattedMessage())
				.startsWith("Resonance is running at http://localhost:8080")
				.contains("health        http://localhost:8080/actuator/health")
				.contains("generated now, saved in")
				.doesNotContain(TOKEN);
		}
		finally {
			logger.detachAppender(appender);
		}
	}

	@Test
	void saysWhetherTheMetricsNeedATokenWhenTheyAreExposed() {
		MockEnvironment environment = new MockEnvironment().withProperty("local.server.port", "8080")
			.withProperty("local.management.port", "8081")
			.withProperty("management.endpoints.web.exposure.include", "health,info,prometheus");
		assertThat(printed(banner(environment)))
			.contains("metrics       http://localhost:8081/actuator/prometheus  (open: keep it on the private network, "
					+ "or set RESONANCE_METRICS_TOKEN)");
		AdminTokens tokens = mock(AdminTokens.class);
		when(tokens.origin()).thenReturn(AdminTokens.Origin.CONFIGURED);
		Mail mail = mock(Mail.class);
		when(mail.server()).thenReturn(Optional.empty());
		assertThat(printed(banner(environment, tokens, mail, new MetricsProperties("a-metrics-token-0123456789"))))
			.contains("metrics       http://localhost:8081/actuator/prometheus  (needs the metrics token: "
					+ "resonance.metrics.token)")
			.doesNotContain("a-metrics-token-0123456789");
		environment.setProperty("management.endpoints.web.exposure.include", "health,info");
		assertThat(printed(banner(environment))).doesNotContain("metrics ");
	}

	/**
	 * A data folder first used with another database keeps that database's token in its
	 * file; the summary names which token is in force and that the other file is kept.
	 */
	@Test
	void saysWhichTokenIsInForceWhenTheFolderHoldsAnotherDatabasesToken() {
		MockEnvironment environment = new MockEnvironment().withProperty("local.server.port", "8080");
		StartupBanner generated = banner(environment, AdminTokens.Origin.GENERATED_NOW,
				Path.of("data/admin-token-3f9a1c"), Path.of("data/admin-token"));
		assertThat(printed(generated)).contains(TOKEN)
			.contains("also saved in data/admin-token-3f9a1c")
			.contains("(data/admin-token holds another database's token; kept as it is)");
		StartupBanner earlier = banner(environment, AdminTokens.Origin.GENERATED_EARLIER,
				Path.of("data/admin-token-3f9a1c"), Path.of("data/admin-token"));
		assertThat(printed(earlier)).contains("admin token   in data/admin-token-3f9a1c").doesNotContain(TOKEN);
		StartupBanner elsewhere = banner(environment, AdminTokens.Origin.GENERATED_ELSEWHERE, null,
				Path.of("data/admin-token"));
		assertThat(printed(elsewhere)).contains("not in this data folder")
			.contains("set RESONANCE_ADMIN_TOKEN")
			.contains("(data/admin-token holds another database's token; kept as it is)");
	}

	private static StartupBanner banner(MockEnvironment environment) {
		return banner(environment, AdminTokens.Origin.GENERATED_NOW, Path.of("data/admin-token"), null);
	}

	private static StartupBanner banner(MockEnvironment environment, AdminTokens.Origin origin, Path tokenFile,
			Path otherDatabasesFile) {
		AdminTokens tokens = mock(AdminTokens.class);
		when(tokens.origin()).thenReturn(origin);
		when(tokens.generatedToken()).thenReturn(TOKEN);
		when(tokens.tokenFile()).thenReturn(tokenFile);
		when(tokens.otherDatabasesFile()).thenReturn(otherDatabasesFile);
		Mail mail = mock(Mail.class);
		when(mail.server()).thenReturn(Optional.empty());
		return banner(environment, tokens, mail, new MetricsProperties(null));
	}

	private static StartupBanner banner(MockEnvironment environment, AdminTokens tokens, Mail mail,
			MetricsProperties metrics) {
		return new StartupBanner(tokens, environment, mock(SecretSealer.class), mail,
				new MetricsAuthentication(metrics, tokens));
	}

	private static String printed(StartupBanner banner) {
		PrintStream original = System.out;
		ByteArrayOutputStream captured = new ByteArrayOutputStream();
		System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
		try {
			banner.print();
		}
		finally {
			System.setOut(original);
		}
		return captured.toString(StandardCharsets.UTF_8);
	}

}
