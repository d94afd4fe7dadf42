package bot.resonance.platform.admin;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Who may scrape {@code /actuator/prometheus}.
 *
 * @param token when set ({@code RESONANCE_METRICS_TOKEN}), a scrape needs
 * {@code Authorization: Bearer <token>} (or the admin token); when unset the endpoint is
 * open, for scrapers on a private network
 */
@ConfigurationProperties("resonance.metrics")
public record MetricsProperties(@Nullable String token) {
}
