package bot.resonance.platform.web;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits and retention for the HTTP APIs.
 *
 * @param maxBodySize the largest request body accepted by the management and operator
 * APIs; larger bodies get {@code 413}
 * @param idempotencyKeyRetention how long a stored {@code Idempotency-Key} response is
 * replayed
 * @param idempotencyWaitTimeout how long a request waits for another request with the
 * same {@code Idempotency-Key} to finish before it is answered {@code 409}
 * @param idempotencyPruneInterval how often keys older than their retention are forgotten
 * (once per interval across all nodes)
 */
@ConfigurationProperties("resonance.http")
public record HttpProperties(@DefaultValue("1MB") DataSize maxBodySize,
		@DefaultValue("24h") Duration idempotencyKeyRetention, @DefaultValue("10s") Duration idempotencyWaitTimeout,
		@DefaultValue("10m") Duration idempotencyPruneInterval) {
}
