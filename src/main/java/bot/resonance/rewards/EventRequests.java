package bot.resonance.rewards;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import bot.resonance.platform.web.RequestBodies;
import bot.resonance.platform.web.SeedErrors;
import bot.resonance.rewards.internal.EventRequestParser;
import bot.resonance.rewards.internal.ingest.RewardsProperties;
import bot.resonance.rewards.internal.ingest.EventResponses;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

/**
 * The HTTP side of the doors that speak the event API's language ({@code /v1/events},
 * manual events): its headers, its body size limit, the reader of manual event bodies
 * (the event API's own streaming parser and field rules), and its answers, in the seed
 * document's shapes. Answers are written straight to the response: they are small maps,
 * and the generic message-converter machinery would cost more than the work itself.
 */
@Component
public class EventRequests {

	/** The hex HMAC-SHA256 of the body (or of {@code timestamp.body}). */
	public static final String SIGNATURE_HEADER = "X-Resonance-Signature";

	/** Unix seconds the signature covers, when sent. */
	public static final String TIMESTAMP_HEADER = "X-Resonance-Timestamp";

	public static final String IDEMPOTENCY_HEADER = "Idempotency-Key";

	private final RewardEvents events;

	private final EventRequestParser parser;

	private final RewardsProperties properties;

	private final JsonMapper json;

	EventRequests(RewardEvents events, EventRequestParser parser, RewardsProperties properties, JsonMapper json) {
		this.events = events;
		this.parser = parser;
		this.properties = properties;
		this.json = json;
	}

	/**
	 * The request's body, refused ({@code 413}) beyond
	 * {@code resonance.rewards.max-event-size}.
	 */
	public byte[] readBody(HttpServletRequest request) throws IOException {
		return RequestBodies.read(request, this.properties.maxEventSize().toBytes());
	}

	/**
	 * Reads a manual event body ({@code event}, {@code email}, {@code metadata}, and
	 * optionally {@code brand_id} and {@code amount}). A body that is not one UTF-8 JSON
	 * object is refused with an {@link bot.resonance.platform.web.ApiException}; any
	 * other problem is reported in the body's {@link EventRequest}, which is then
	 * recorded and answered {@code INVALID_REQUEST}.
	 */
	public ManualEventBody readManualEvent(byte[] body) {
		return this.parser.parseManual(body);
	}

	/**
	 * Submits the event, waits for its outcome (up to the request timeout) and answers.
	 */
	public void submit(Submission.NewEvent submission, HttpServletResponse response) throws IOException {
		respond(response, this.events.submitAndWait(submission, "The event is taking too long to process. Retry it "
				+ "with the same Idempotency-Key to learn its outcome without processing it twice."));
	}

	private void respond(HttpServletResponse response, IngestOutcome outcome) throws IOException {
		EventResponses.Response answer = EventResponses.render(outcome);
		response.setStatus(answer.status());
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		if (answer.retryAfterSeconds() != null) {
			response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(answer.retryAfterSeconds()));
		}
		byte[] body;
		if (answer.rawBody() != null) {
			response.setHeader("Idempotent-Replayed", "true");
			body = answer.rawBody().getBytes(StandardCharsets.UTF_8);
		}
		else {
			body = this.json.writeValueAsBytes(answer.body());
		}
		response.setContentLength(body.length);
		response.getOutputStream().write(body);
	}

	/** Answers a request refused before it was recorded, in the seed's error shape. */
	public void refuse(HttpServletResponse response, HttpStatus status, String code, String message)
			throws IOException {
		byte[] body = this.json.writeValueAsBytes(SeedErrors.body(code, message, null, null));
		response.setStatus(status.value());
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		response.setContentLength(body.length);
		response.getOutputStream().write(body);
	}

}
