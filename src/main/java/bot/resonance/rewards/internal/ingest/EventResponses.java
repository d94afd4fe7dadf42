package bot.resonance.rewards.internal.ingest;

import bot.resonance.rewards.IngestOutcome;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import bot.resonance.platform.web.SeedErrors;
import org.springframework.http.HttpStatus;

/**
 * The event API's answers, in the seed document's shapes: {@code {"success": true,
 * "event_id", "user_id", "amount_awarded", "new_balance"}} (plus {@code status}, and for
 * pending events {@code process_after} and {@code pending_reason}), or {@code {"success":
 * false, "error": {"code", "message", "retry_after"?}}}.
 */
public final class EventResponses {

	private EventResponses() {
	}

	public static Response render(IngestOutcome outcome) {
		return switch (outcome) {
			case IngestOutcome.Awarded awarded -> {
				Map<String, Object> body = new LinkedHashMap<>();
				body.put("success", true);
				body.put("event_id", awarded.eventId());
				body.put("user_id", awarded.userId());
				body.put("amount_awarded", awarded.amount());
				body.put("new_balance", awarded.newBalance());
				body.put("currency", awarded.currency());
				body.put("status", "awarded");
				yield new Response(200, body, null, null);
			}
			case IngestOutcome.Pending pending -> {
				Map<String, Object> body = new LinkedHashMap<>();
				body.put("success", true);
				body.put("event_id", pending.eventId());
				body.put("user_id", pending.userId());
				body.put("amount_awarded", 0);
				body.put("new_balance", pending.balance());
				body.put("status", "pending");
				body.put("pending_reason", pending.reason().name());
				body.put("process_after", pending.processAfter().toString());
				yield new Response(200, body, null, null);
			}
			case IngestOutcome.Rejected rejected -> new Response(rejected.code().status().value(), SeedErrors
				.body(rejected.code().name(), rejected.message(), rejected.retryAfterSeconds(), rejected.eventId()),
					rejected.retryAfterSeconds(), null);
			case IngestOutcome.Replayed replayed ->
				new Response(replayed.status(), null, replayed.retryAfterSeconds(), replayed.body());
			case IngestOutcome.KeyReused reused ->
				new Response(HttpStatus.UNPROCESSABLE_CONTENT.value(), SeedErrors.body("IDEMPOTENCY_KEY_REUSED",
						"This Idempotency-Key was already used with a different request body. Use a new key for a new event.",
						null, null), null, null);
			case IngestOutcome.Unavailable unavailable -> new Response(HttpStatus.SERVICE_UNAVAILABLE.value(),
					SeedErrors.body("SERVICE_UNAVAILABLE", unavailable.message(), 1L, null), 1L, null);
			case IngestOutcome.Failed failed -> new Response(HttpStatus.INTERNAL_SERVER_ERROR.value(), SeedErrors.body(
					"INTERNAL_ERROR",
					"An internal error occurred and the event was not recorded. Retry it (with the same Idempotency-Key).",
					null, null), null, null);
			case IngestOutcome.Skipped skipped -> throw new IllegalArgumentException("Nothing to answer");
		};
	}

	/**
	 * An answer: a body to serialize, or (for a replay) the stored JSON text.
	 *
	 * @param status the HTTP status
	 * @param body the body to serialize, if not a replay
	 * @param retryAfterSeconds the {@code Retry-After} header, if any
	 * @param rawBody the stored body of a replay
	 */
	public record Response(int status, @Nullable Map<String, Object> body, @Nullable Long retryAfterSeconds,
			@Nullable String rawBody) {
	}

}
