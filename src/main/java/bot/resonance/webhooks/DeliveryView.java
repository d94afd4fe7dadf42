package bot.resonance.webhooks;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A delivery of a message to an endpoint.
 *
 * @param deliveryId the delivery's id (sent as {@code X-Idempotency-Key})
 * @param webhookId the endpoint
 * @param messageId the message (sent as {@code webhook-id} and the body's {@code id})
 * @param event the event
 * @param status {@code pending} (due at {@code next_attempt_at}), {@code sending},
 * {@code succeeded}, {@code dead} (every attempt failed), or {@code held} (the endpoint
 * is paused or disabled)
 * @param attemptCount attempts made
 * @param nextAttemptAt when a pending delivery is sent next
 * @param lastStatusCode the status of the last answer
 * @param lastError what went wrong last
 * @param createdAt when the message was published
 * @param updatedAt when the delivery last changed
 * @param attempts every attempt, oldest first
 */
public record DeliveryView(String deliveryId, UUID webhookId, String messageId, String event, String status,
		int attemptCount, @Nullable Instant nextAttemptAt, @Nullable Integer lastStatusCode, @Nullable String lastError,
		Instant createdAt, Instant updatedAt, List<Attempt> attempts) {

	/**
	 * One attempt of a delivery.
	 *
	 * @param attempt its number ({@code X-Attempt})
	 * @param startedAt when it was sent
	 * @param durationMs how long the receiver took
	 * @param statusCode the receiver's status, if it answered
	 * @param error what went wrong, if anything
	 * @param responseExcerpt the start of the receiver's answer
	 */
	public record Attempt(int attempt, Instant startedAt, int durationMs, @Nullable Integer statusCode,
			@Nullable String error, @Nullable String responseExcerpt) {
	}

}
