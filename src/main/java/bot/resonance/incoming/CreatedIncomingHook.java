package bot.resonance.incoming;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * An incoming webhook with its secret: answered on creation and rotation only.
 *
 * @param secret signs calls the Standard Webhooks way: {@code webhook-signature} is
 * {@code v1,} and the base64 HMAC-SHA256 of {@code id.timestamp.body}, keyed with the
 * base64-decoded part after {@code whsec_} (with {@code legacy_signatures}, also
 * {@code X-Signature: sha256=<hex HMAC-SHA256 of the body>} keyed with this string's
 * UTF-8 bytes)
 * @param previousSecretExpiresAt after a rotation, when the previous secret stops
 * verifying
 */
public record CreatedIncomingHook(UUID id, String name, String url, List<String> actions, int rateLimitPerMinute,
		@Nullable String currency, boolean enabled, boolean legacySignatures, Instant createdAt, Instant updatedAt,
		String secret, @Nullable Instant previousSecretExpiresAt) {
}
