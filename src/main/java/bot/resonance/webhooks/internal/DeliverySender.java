package bot.resonance.webhooks.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

import bot.resonance.platform.web.TextChecks;
import bot.resonance.webhooks.WebhookProperties;
import org.springframework.stereotype.Component;

/**
 * Sends one attempt of a delivery: the message body, signed, with the documented headers;
 * never follows redirects, times out, reads at most a capped amount of the answer.
 */
@Component
public class DeliverySender {

	static final String USER_AGENT = "Resonance-Webhooks/1.0";

	private static final int EXCERPT_CHARS = 1_000;

	/** Cuts off answers that take too long to read. */
	private static final ScheduledExecutorService CUT_OFF = Executors
		.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("webhook-answer-cut-off").daemon(true).factory());

	private final HttpClient http;

	private final TargetGuard guard;

	private final WebhookProperties properties;

	private final Clock clock;

	DeliverySender(TargetGuard guard, WebhookProperties properties, Clock clock) {
		this.guard = guard;
		this.properties = properties;
		this.clock = clock;
		this.http = HttpClient.newBuilder()
			.followRedirects(HttpClient.Redirect.NEVER)
			.connectTimeout(properties.connectTimeout())
			.version(HttpClient.Version.HTTP_1_1)
			.executor(Executors.newVirtualThreadPerTaskExecutor())
			.build();
	}

	/** Sends the attempt and tells how it went; never throws. */
	public Attempt send(DeliveryRepository.Claimed delivery, WebhookDirectory.Configured target) {
		Instant started = this.clock.instant();
		long startNanos = System.nanoTime();
		URI uri;
		try {
			uri = URI.create(target.endpoint().url());
		}
		catch (IllegalArgumentException ex) {
			return Attempt.failed(started, 0, "The endpoint URL is not valid.");
		}
		Optional<String> refusal = this.guard.refusal(uri, false);
		if (refusal.isPresent()) {
			return Attempt.failed(started, millisSince(startNanos), "Not sent: " + refusal.get() + ".");
		}
		List<WebhookSigner.Secret> secrets = target.activeSecrets(started);
		if (secrets.isEmpty()) {
			return Attempt.failed(started, 0, "Not sent: the endpoint has no current signing secret.");
		}
		byte[] body = delivery.body().getBytes(StandardCharsets.UTF_8);
		long timestamp = started.getEpochSecond();
		HttpRequest request = HttpRequest.newBuilder(uri)
			.timeout(this.properties.requestTimeout())
			.header("Content-Type", "application/json")
			.header("User-Agent", USER_AGENT)
			.header("X-Webhook-Id", delivery.endpointId().toString())
			.header("X-Event", delivery.event())
			.header("X-Signature", WebhookSigner.xSignature(secrets.getFirst(), body))
			.header("X-Attempt", Integer.toString(delivery.attempt()))
			.header("X-Idempotency-Key", delivery.id())
			.header("webhook-id", delivery.messageId())
			.header("webhook-timestamp", Long.toString(timestamp))
			.header("webhook-signature",
					WebhookSigner.standardSignature(secrets, delivery.messageId(), timestamp, body))
			.POST(HttpRequest.BodyPublishers.ofByteArray(body))
			.build();
		try {
			HttpResponse<InputStream> response = this.http.send(request, HttpResponse.BodyHandlers.ofInputStream());
			String excerpt = excerpt(response.body(), startNanos);
			int status = response.statusCode();
			int millis = millisSince(startNanos);
			if (status >= 200 && status < 300) {
				return new Attempt(Outcome.SUCCEEDED, started, millis, status, null, excerpt, null);
			}
			Duration retryAfter = (status == 429 || status == 503)
					? retryAfter(response.headers().firstValue("Retry-After").orElse(null), started) : null;
			return new Attempt((status == 410) ? Outcome.GONE : Outcome.FAILED, started, millis, status,
					"HTTP " + status, excerpt, retryAfter);
		}
		catch (HttpConnectTimeoutException ex) {
			return Attempt.failed(started, millisSince(startNanos),
					"Connection timed out after " + this.properties.connectTimeout().toSeconds() + " s.");
		}
		catch (HttpTimeoutException ex) {
			return Attempt.failed(started, millisSince(startNanos),
					"No answer within " + this.properties.requestTimeout().toSeconds() + " s.");
		}
		catch (ConnectException ex) {
			return Attempt.failed(started, millisSince(startNanos), "Connection refused.");
		}
		catch (IOException ex) {
			return Attempt.failed(started, millisSince(startNanos), "The connection failed: "
					+ ex.getClass().getSimpleName()
					+ ((ex.getMessage() != null) ? " (" + TextChecks.clean(truncate(ex.getMessage(), 200)) + ")" : "")
					+ ".");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return Attempt.failed(started, millisSince(startNanos), "Interrupted: the node is shutting down.");
		}
	}

	/**
	 * Reads at most the configured size of the answer, within what is left of the request
	 * timeout (a receiver that drips its answer is cut off), and keeps the start as text
	 * that can be stored.
	 */
	private String excerpt(InputStream in, long startNanos) throws IOException {
		long left = this.properties.requestTimeout().toNanos() - (System.nanoTime() - startNanos);
		ScheduledFuture<?> cutOff = CUT_OFF.schedule(() -> closeQuietly(in), Math.max(1, left), TimeUnit.NANOSECONDS);
		try (in) {
			byte[] bytes = in.readNBytes((int) this.properties.maxResponseSize().toBytes());
			return TextChecks.clean(truncate(new String(bytes, StandardCharsets.UTF_8), EXCERPT_CHARS));
		}
		catch (IOException ex) {
			if (cutOff.isDone()) {
				return "(the answer took longer than " + this.properties.requestTimeout().toSeconds()
						+ " s to arrive and was cut off)";
			}
			throw ex;
		}
		finally {
			cutOff.cancel(false);
		}
	}

	private static void closeQuietly(InputStream in) {
		try {
			in.close();
		}
		catch (IOException ex) {
			// closing is all that was wanted
		}
	}

	/**
	 * {@code Retry-After} as seconds or an HTTP date, capped at a day; null if
	 * unreadable.
	 */
	static @Nullable Duration retryAfter(@Nullable String header, Instant now) {
		if (header == null || header.isBlank()) {
			return null;
		}
		String value = header.trim();
		Duration wait;
		try {
			wait = Duration.ofSeconds(Long.parseLong(value));
		}
		catch (NumberFormatException notSeconds) {
			try {
				wait = Duration.between(now,
						ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
			}
			catch (RuntimeException notADate) {
				return null;
			}
		}
		if (wait.isNegative()) {
			return Duration.ZERO;
		}
		return (wait.compareTo(Duration.ofDays(1)) > 0) ? Duration.ofDays(1) : wait;
	}

	private static int millisSince(long startNanos) {
		return (int) Math.min(Integer.MAX_VALUE, (System.nanoTime() - startNanos) / 1_000_000);
	}

	private static String truncate(String text, int max) {
		return (text.length() > max) ? text.substring(0, max) : text;
	}

	/** How an attempt went. */
	public enum Outcome {

		/** The receiver answered 2xx. */
		SUCCEEDED,
		/** Anything else: another status, a timeout, a refused connection. */
		FAILED,
		/** The receiver answered 410 Gone: the endpoint is disabled. */
		GONE

	}

	/**
	 * One attempt.
	 *
	 * @param outcome how it went
	 * @param startedAt when it started
	 * @param durationMillis how long it took
	 * @param statusCode the receiver's status, if it answered
	 * @param error what went wrong, if anything
	 * @param excerpt the start of the receiver's answer
	 * @param retryAfter the receiver's {@code Retry-After} on 429 and 503
	 */
	public record Attempt(Outcome outcome, Instant startedAt, int durationMillis, @Nullable Integer statusCode,
			@Nullable String error, @Nullable String excerpt, @Nullable Duration retryAfter) {

		static Attempt failed(Instant startedAt, int durationMillis, String error) {
			return new Attempt(Outcome.FAILED, startedAt, durationMillis, null, error, null, null);
		}

	}

}
