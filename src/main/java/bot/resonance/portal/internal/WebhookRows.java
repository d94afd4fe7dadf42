package bot.resonance.portal.internal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

import org.jspecify.annotations.Nullable;

import bot.resonance.incoming.IncomingCallView;
import bot.resonance.incoming.IncomingHookView;
import bot.resonance.webhooks.DeliveryView;
import bot.resonance.webhooks.Endpoint;
import bot.resonance.webhooks.WebhookAdministration;

/**
 * What the webhook pages show, ready to render: times in UTC words, statuses with the
 * badge that marks them. Public (as every record a template reads) so that the templates'
 * expressions can read them.
 */
public final class WebhookRows {

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss 'UTC'")
		.withZone(ZoneOffset.UTC);

	private WebhookRows() {
	}

	static String time(@Nullable Instant instant) {
		return (instant != null) ? TIME.format(instant) : "";
	}

	/**
	 * An outgoing webhook in the list or on its page.
	 *
	 * @param id its id ({@code X-Webhook-Id})
	 * @param url where deliveries go
	 * @param description what it is for, or empty
	 * @param eventTypes the events it receives; empty with {@code allEvents}
	 * @param allEvents whether it receives every event, now and future
	 * @param state {@code active}, {@code paused} or {@code disabled}
	 * @param stateBadge the badge class of the state
	 * @param paused whether it is paused
	 * @param disabledReason why Resonance disabled it, or empty
	 * @param stats its deliveries of the last 24 hours
	 */
	public record OutgoingRow(String id, String url, String description, List<String> eventTypes, boolean allEvents,
			String state, String stateBadge, boolean paused, String disabledReason,
			WebhookAdministration.DeliveryStats stats) {

		static OutgoingRow of(Endpoint endpoint, WebhookAdministration.@Nullable DeliveryStats stats) {
			String state = !endpoint.enabled() ? "disabled" : endpoint.paused() ? "paused" : "active";
			return new OutgoingRow(endpoint.id().toString(), endpoint.url(),
					(endpoint.description() != null) ? endpoint.description() : "",
					(endpoint.eventTypes() != null) ? endpoint.eventTypes() : List.of(), endpoint.eventTypes() == null,
					state, switch (state) {
						case "active" -> "ok";
						case "paused" -> "warn";
						default -> "bad";
					}, endpoint.paused(), (endpoint.disabledReason() != null) ? endpoint.disabledReason() : "",
					(stats != null) ? stats : new WebhookAdministration.DeliveryStats(0, 0, 0, 0));
		}

	}

	/**
	 * A delivery in the delivery log.
	 *
	 * @param id its id ({@code X-Idempotency-Key})
	 * @param event the event
	 * @param status {@code pending}, {@code sending}, {@code succeeded}, {@code dead} or
	 * {@code held}
	 * @param statusLabel the status as the log shows it ({@code DEAD})
	 * @param statusBadge the badge class of the status
	 * @param createdAt when the message was published
	 * @param nextAttemptAt when it is tried next, or empty
	 * @param attempts its attempts, oldest first
	 * @param dead whether every attempt failed (it can be re-queued)
	 */
	public record DeliveryRow(String id, String event, String status, String statusLabel, String statusBadge,
			String createdAt, String nextAttemptAt, List<AttemptRow> attempts, boolean dead) {

		/**
		 * When the delivery is sent next: a time only while it waits for one; a held one
		 * goes when its endpoint is resumed or enabled; a finished one never.
		 */
		static String nextAttempt(String status, @Nullable Instant at) {
			return switch (status) {
				case "pending", "sending" -> time(at);
				case "held" -> "when resumed or enabled";
				default -> "";
			};
		}

		static DeliveryRow of(DeliveryView delivery) {
			String badge = switch (delivery.status()) {
				case "succeeded" -> "ok";
				case "dead" -> "bad";
				default -> "warn";
			};
			return new DeliveryRow(delivery.deliveryId(), delivery.event(), delivery.status(),
					delivery.status().equals("dead") ? "DEAD" : delivery.status(), badge, time(delivery.createdAt()),
					nextAttempt(delivery.status(), delivery.nextAttemptAt()),
					delivery.attempts().stream().map(AttemptRow::of).toList(), delivery.status().equals("dead"));
		}

	}

	/**
	 * One attempt of a delivery.
	 *
	 * @param attempt its number ({@code X-Attempt})
	 * @param startedAt when it was sent
	 * @param durationMs how long the receiver took
	 * @param statusCode the receiver's status, or empty if it did not answer
	 * @param error what went wrong, or empty
	 */
	public record AttemptRow(int attempt, String startedAt, int durationMs, String statusCode, String error) {

		static AttemptRow of(DeliveryView.Attempt attempt) {
			return new AttemptRow(attempt.attempt(), time(attempt.startedAt()), attempt.durationMs(),
					(attempt.statusCode() != null) ? attempt.statusCode().toString() : "",
					(attempt.error() != null) ? attempt.error() : "");
		}

	}

	/**
	 * An incoming webhook in the list or on its page.
	 *
	 * @param id its id
	 * @param name what it is for
	 * @param url where its calls go
	 * @param actions the actions it allows
	 * @param rateLimitPerMinute the calls per minute it accepts
	 * @param currency the currency of currency.add when a call names none; null: the
	 * brand's default
	 * @param enabled whether it accepts calls
	 * @param lastCall its latest call, if any
	 */
	public record IncomingRow(String id, String name, String url, List<String> actions, int rateLimitPerMinute,
			@Nullable String currency, boolean enabled, @Nullable CallRow lastCall) {

		static IncomingRow of(IncomingHookView hook, @Nullable IncomingCallView lastCall) {
			return new IncomingRow(hook.id().toString(), hook.name(), hook.url(), hook.actions(),
					hook.rateLimitPerMinute(), hook.currency(), hook.enabled(),
					(lastCall != null) ? CallRow.of(lastCall) : null);
		}

	}

	/**
	 * A call in an incoming webhook's call log.
	 *
	 * @param id the call id (in its answer)
	 * @param receivedAt when it came in
	 * @param action the action it asked for, or empty
	 * @param outcome {@code succeeded}, {@code rejected}, {@code failed} or
	 * {@code replayed}
	 * @param outcomeBadge the badge class of the outcome
	 * @param status the HTTP status answered
	 * @param errorCode the error code answered, or empty
	 */
	public record CallRow(String id, String receivedAt, String action, String outcome, String outcomeBadge, int status,
			String errorCode) {

		static CallRow of(IncomingCallView call) {
			return new CallRow(call.id(), time(call.receivedAt()), (call.action() != null) ? call.action() : "",
					call.outcome(), switch (call.outcome()) {
						case "succeeded", "replayed" -> "ok";
						case "rejected" -> "warn";
						default -> "bad";
					}, call.status(), (call.errorCode() != null) ? call.errorCode() : "");
		}

	}

	/**
	 * A checkbox of a choice: an event or an action.
	 *
	 * @param name its value ({@code duel.finish})
	 * @param description what it means
	 * @param checked whether it is chosen
	 */
	public record Choice(String name, String description, boolean checked) {
	}

}
