package bot.resonance.brands;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A brand (tenant).
 *
 * @param brandId the brand's wallet-style address, {@code 0x} + 40 lower-case hex digits
 * @param name display name
 * @param rateLimitPerMinute how many event API requests the brand may make per minute
 * @param dailyEventLimit how many rewarded events one member may receive per UTC day
 * across all event types, or {@code null} for no limit
 * @param requireTimestamp whether event API requests must carry
 * {@code X-Resonance-Timestamp} (and so be signed over {@code timestamp.body}, refusing
 * replays older than five minutes)
 * @param defaultCurrency the currency rewards are paid in unless an event type says
 * otherwise
 * @param createdAt when the brand was created
 * @param updatedAt when its settings last changed
 */
public record Brand(String brandId, String name, int rateLimitPerMinute, @Nullable Integer dailyEventLimit,
		boolean requireTimestamp, String defaultCurrency, Instant createdAt, Instant updatedAt) {
}
