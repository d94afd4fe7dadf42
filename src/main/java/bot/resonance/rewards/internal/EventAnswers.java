package bot.resonance.rewards.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import bot.resonance.platform.web.SeedErrors;
import bot.resonance.rewards.IngestOutcome;
import bot.resonance.rewards.RewardEvents;
import bot.resonance.rewards.Submission;
import bot.resonance.rewards.internal.ingest.EventResponses;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

/**
 * Submits events to the pipeline and writes their answers, for every endpoint that takes
 * events ({@code /v1/events}, manual events). Answers are written straight to the
 * response: they are small maps, and the generic message-converter machinery would cost
 * more than the work itself.
 */
@Component
class EventAnswers {

	private final RewardEvents events;

	private final JsonMapper json;

	EventAnswers(RewardEvents events, JsonMapper json) {
		this.events = events;
		this.json = json;
	}

	/**
	 * Submits the event, waits for its outcome (up to the request timeout) and answers.
	 */
	void submit(Submission.NewEvent submission, HttpServletResponse response) throws IOException {
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
	void refuse(HttpServletResponse response, HttpStatus status, String code, String message) throws IOException {
		byte[] body = this.json.writeValueAsBytes(SeedErrors.body(code, message, null, null));
		response.setStatus(status.value());
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		response.setContentLength(body.length);
		response.getOutputStream().write(body);
	}

}
