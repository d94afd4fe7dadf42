package bot.resonance.incoming;

import java.time.Instant;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * One call to an incoming webhook.
 *
 * @param id the call id, also in its answer
 * @param receivedAt when it came in
 * @param action the action it asked for, if it got that far
 * @param outcome succeeded, rejected (4xx), failed (5xx) or replayed
 * @param status the HTTP status answered
 * @param errorCode the error code answered, if any
 * @param idempotencyKey the X-Idempotency-Key sent, if any
 * @param webhookId the webhook-id of a call signed the Standard Webhooks way
 * @param response the JSON answered
 */
public record IncomingCallView(String id, Instant receivedAt, @Nullable String action, String outcome, int status,
		@Nullable String errorCode, @Nullable String idempotencyKey, @Nullable String webhookId, JsonNode response) {
}
