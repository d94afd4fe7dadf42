package bot.resonance.platform.logging;

import java.sql.SQLException;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

class FailuresUnitTests {

	private final Logger log = (Logger) LoggerFactory.getLogger("bot.resonance.test.Failures");

	private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

	@BeforeEach
	void capture() {
		this.appender.start();
		this.log.addAppender(this.appender);
		// Only here: the test's warnings are not the build's.
		this.log.setAdditive(false);
	}

	@AfterEach
	void release() {
		this.log.detachAppender(this.appender);
		this.log.setLevel(null);
		this.log.setAdditive(true);
	}

	@Test
	void aHandledFailureIsOneWarningLineWithItsCause() {
		this.log.setLevel(Level.INFO);
		RuntimeException failure = new IllegalStateException("Could not get a connection",
				new SQLException("Connection refused", "08001"));
		Failures.warn(this.log, failure, "Running the jobs of queue {} failed; trying again in {}", "event-pruning",
				"PT10S");
		assertThat(this.appender.list).hasSize(1);
		ILoggingEvent event = this.appender.list.getFirst();
		assertThat(event.getLevel()).isEqualTo(Level.WARN);
		assertThat(event.getFormattedMessage()).isEqualTo("Running the jobs of queue event-pruning failed; trying "
				+ "again in PT10S: java.lang.IllegalStateException: Could not get a connection (caused by "
				+ "java.sql.SQLException: Connection refused)");
		assertThat(event.getThrowableProxy()).as("no stack trace at WARN").isNull();
	}

	@Test
	void theStackTraceIsThereAtDebug() {
		this.log.setLevel(Level.DEBUG);
		Failures.warn(this.log, new IllegalStateException("broken"), "Claiming webhook deliveries failed");
		assertThat(this.appender.list).hasSize(2);
		assertThat(this.appender.list.get(0).getFormattedMessage())
			.isEqualTo("Claiming webhook deliveries failed: java.lang.IllegalStateException: broken");
		assertThat(this.appender.list.get(1).getLevel()).isEqualTo(Level.DEBUG);
		assertThat(this.appender.list.get(1).getThrowableProxy().getMessage()).isEqualTo("broken");
	}

}
