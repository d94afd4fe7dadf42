package bot.resonance.discord.internal;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of {@code /checkin}.
 *
 * @param answerWithin how long {@code /checkin} waits for the event pipeline before
 * telling the member to look again (Discord gives an interaction three seconds); the
 * check-in still completes, and running {@code /checkin} again shows it without counting
 * it twice
 */
@ConfigurationProperties("resonance.discord.checkin")
public record CheckinProperties(@DefaultValue("2500ms") Duration answerWithin) {
}
