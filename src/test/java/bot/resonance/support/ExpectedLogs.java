package bot.resonance.support;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Keeps the warnings and errors a test provokes on purpose out of the build's log, and
 * lets the test check that they were logged: while each test runs, what the given loggers
 * log at {@code WARN} or above is held here instead of reaching the console. A test names
 * what it expects ({@link #expect}); after the test, anything it did not expect is
 * written to the console after all, so an unexpected warning is never hidden. Register it
 * as a field:
 * {@code @RegisterExtension final ExpectedLogs logs = ExpectedLogs.of(JobRunner.class);}.
 * <p>
 * A Spring application started during the test (a second node, a command) sets logging up
 * again and stops and resets every logger, so what it logs is not held: such a test
 * quiets the loggers through that application's own {@code logging.level} settings
 * instead.
 */
public final class ExpectedLogs implements BeforeEachCallback, AfterEachCallback {

	private final List<Logger> loggers;

	private final List<ILoggingEvent> held = new CopyOnWriteArrayList<>();

	private final List<String> expected = new CopyOnWriteArrayList<>();

	private final Holder holder = new Holder();

	private final List<Boolean> additivity = new ArrayList<>();

	private ExpectedLogs(List<Logger> loggers) {
		this.loggers = loggers;
	}

	/** Holds the warnings and errors of these classes' loggers. */
	public static ExpectedLogs of(Class<?>... sources) {
		return new ExpectedLogs(
				Arrays.stream(sources).map((source) -> (Logger) LoggerFactory.getLogger(source)).toList());
	}

	/** Holds the warnings and errors of the loggers of these names. */
	public static ExpectedLogs named(String... names) {
		return new ExpectedLogs(Arrays.stream(names).map((name) -> (Logger) LoggerFactory.getLogger(name)).toList());
	}

	/**
	 * The messages held so far that contain {@code fragment}, from now on expected: they
	 * are not written to the console after the test.
	 */
	public List<String> expect(String fragment) {
		return expectEvents(fragment).stream().map(ILoggingEvent::getFormattedMessage).toList();
	}

	/**
	 * The events held so far whose message contains {@code fragment} (with their level,
	 * and their exception if one was logged), from now on expected.
	 */
	public List<ILoggingEvent> expectEvents(String fragment) {
		this.expected.add(fragment);
		return this.held.stream().filter((event) -> event.getFormattedMessage().contains(fragment)).toList();
	}

	@Override
	public void beforeEach(ExtensionContext context) {
		this.held.clear();
		this.expected.clear();
		this.additivity.clear();
		for (Logger logger : this.loggers) {
			this.additivity.add(logger.isAdditive());
		}
		this.holder.setContext(loggerContext());
		this.holder.start();
		for (Logger logger : this.loggers) {
			logger.addAppender(this.holder);
			logger.setAdditive(false);
		}
	}

	private static LoggerContext loggerContext() {
		return (LoggerContext) LoggerFactory.getILoggerFactory();
	}

	@Override
	public void afterEach(ExtensionContext context) {
		for (int i = 0; i < this.loggers.size(); i++) {
			Logger logger = this.loggers.get(i);
			logger.detachAppender(this.holder);
			logger.setAdditive(this.additivity.get(i));
		}
		this.holder.stop();
		Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
		for (ILoggingEvent event : this.held) {
			if (this.expected.stream().noneMatch((fragment) -> event.getFormattedMessage().contains(fragment))) {
				root.callAppenders(event);
			}
		}
	}

	/**
	 * Takes the loggers' warnings and errors; below that, passes events on to the
	 * console.
	 */
	private final class Holder extends AppenderBase<ILoggingEvent> {

		@Override
		protected void append(ILoggingEvent event) {
			if (event.getLevel().isGreaterOrEqual(Level.WARN)) {
				ExpectedLogs.this.held.add(event);
			}
			else {
				((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).callAppenders(event);
			}
		}

	}

}
