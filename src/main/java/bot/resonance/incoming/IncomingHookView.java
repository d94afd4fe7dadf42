package bot.resonance.incoming;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * An incoming webhook.
 *
 * @param id its id
 * @param name what it is for
 * @param url where to send calls
 * @param actions what calls may do
 * @param rateLimitPerMinute calls accepted per minute (bursts up to it)
 * @param currency the currency of currency.add when the call names none; null: the
 * brand's default
 * @param enabled whether it accepts calls
 * @param legacySignatures whether it also accepts the legacy {@code X-Signature}, which
 * signs no time, so that a copy of a call verifies forever
 * @param createdAt when it was created
 * @param updatedAt when it last changed
 */
public record IncomingHookView(UUID id, String name, String url, List<String> actions, int rateLimitPerMinute,
		@Nullable String currency, boolean enabled, boolean legacySignatures, Instant createdAt, Instant updatedAt) {
}
