package bot.resonance.platform.ids;

import java.time.Clock;
import java.time.Duration;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The process-wide {@link Clock} (UTC) and {@link IdGenerator}. Tests replace the clock
 * with one they can move.
 */
@Configuration(proxyBeanMethods = false)
class IdConfiguration {

	/**
	 * UTC with microsecond resolution: what PostgreSQL stores, so a time read back from
	 * the database equals the one written.
	 */
	@Bean
	@ConditionalOnMissingBean
	Clock clock() {
		return Clock.tick(Clock.systemUTC(), Duration.ofNanos(1_000));
	}

	@Bean
	@ConditionalOnMissingBean
	IdGenerator idGenerator(Clock clock) {
		return new MonotonicUlidGenerator(clock);
	}

}
