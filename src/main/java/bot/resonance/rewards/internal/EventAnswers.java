package bot.resonance.rewards.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import bot.resonance.platform.web.SeedErrors;
import bot.resonance.rewards.internal.ingest.EventResponses;
import bot.resonance.rewards.internal.ingest.IngestOutcome;
import bot.resonance.rewards.internal.ingest.IngestPipeline;
import bot.resonance.rewards.internal.ingest.Submission;
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

	private final IngestPipeline pipeline;

	private final RewardsProperties properties;

	private final JsonMapper json;

	EventAnswers(IngestPipeline pipeline, RewardsProperties properties, JsonMapper json) {
		this.pipeline = pipeline;
		this.properties = properties;
		this.json = json;
	}

	/**
	 * Submits the event, waits for its outcome (up to the request timeout) and answers.
	 */
	void submit(Submission.NewEvent submission, HttpServletResponse response) throws IOException {
		IngestOutcome outcome;
		try {
			outcome = this.pipeline.submit(submission)
				.get(this.properties.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			outcome = new IngestOutcome.Unavailable("The event is taking too long to process. Retry it with the same "
					+ "Idempotency-Key to learn its outcome without processing it twice.");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			outcome = new IngestOutcome.Unavailable("The server is shutting down. Retry shortly.");
		}
		catch (ExecutionException ex) {
			outcome = new IngestOutcome.Failed();
		}
		respond(response, outcome);
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
