package bot.resonance.webhooks.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
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
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.jspecify.annotations.Nullable;

import bot.resonance.platform.web.TextChecks;
import bot.resonance.webhooks.WebhookProperties;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Sends one attempt of a delivery: the message body, signed, with the documented headers;
 * never follows redirects, times out, reads at most a capped amount of the answer.
 *
 * <p>
 * A blocking client on the worker's virtual threads, with pooled keep-alive connections:
 * far less work per request than an asynchronous client, which matters when delivery
 * shares two cores with event processing. Its DNS resolver hands out only addresses the
 * {@link TargetGuard} allows, so a name that resolved to a public address when checked
 * cannot lead the connection somewhere internal (DNS rebinding).
 */
@Component
public class DeliverySender implements DisposableBean {

	static final String USER_AGENT = "Resonance-Webhooks/1.0";

	private static final int EXCERPT_CHARS = 1_000;

	/** Cuts off attempts that take longer than the request timeout in all. */
	private static final ScheduledExecutorService CUT_OFF = Executors
		.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("webhook-answer-cut-off").daemon(true).factory());

	private final CloseableHttpClient http;

	private final TargetGuard guard;

	private final WebhookProperties properties;

	private final Clock clock;

	DeliverySender(TargetGuard guard, WebhookProperties properties, Clock clock) {
		this.guard = guard;
		this.properties = properties;
		this.clock = clock;
		int connections = Math.max(1, properties.maxInFlight());
		Timeout connectTimeout = Timeout.of(properties.connectTimeout());
		Timeout requestTimeout = Timeout.of(properties.requestTimeout());
		this.http = HttpClients.custom()
			.setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
				.setMaxConnTotal(connections)
				.setMaxConnPerRoute(connections)
				.setDnsResolver(new GuardedDnsResolver(guard))
				.setDefaultConnectionConfig(ConnectionConfig.custom()
					.setConnectTimeout(connectTimeout)
					.setSocketTimeout(requestTimeout)
					.setTimeToLive(TimeValue.ofMinutes(5))
					.setValidateAfterInactivity(TimeValue.ofSeconds(2))
					.build())
				.build())
			.setDefaultRequestConfig(RequestConfig.custom()
				.setRedirectsEnabled(false)
				.setResponseTimeout(requestTimeout)
				.setConnectionRequestTimeout(requestTimeout)
				.build())
			.disableRedirectHandling()
			.disableAutomaticRetries()
			.disableCookieManagement()
			.disableAuthCaching()
			.disableContentCompression()
			.evictIdleConnections(TimeValue.ofSeconds(30))
			.setUserAgent(USER_AGENT)
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
		HttpPost request = new HttpPost(uri);
		request.setHeader("X-Webhook-Id", delivery.endpointId().toString());
		request.setHeader("X-Event", delivery.event());
		request.setHeader("X-Signature", WebhookSigner.xSignature(secrets.getFirst(), body));
		request.setHeader("X-Attempt", Integer.toString(delivery.attempt()));
		request.setHeader("X-Idempotency-Key", delivery.id());
		request.setHeader("webhook-id", delivery.messageId());
		request.setHeader("webhook-timestamp", Long.toString(timestamp));
		request.setHeader("webhook-signature",
				WebhookSigner.standardSignature(secrets, delivery.messageId(), timestamp, body));
		request.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_JSON));
		// However slowly the receiver answers, the attempt ends at the request timeout.
		AtomicBoolean cutOff = new AtomicBoolean();
		ScheduledFuture<?> deadline = CUT_OFF.schedule(() -> {
			cutOff.set(true);
			request.cancel();
		}, this.properties.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
		try {
			ClassicHttpResponse response = this.http.executeOpen(null, request, null);
			try {
				return answer(request, response, started, startNanos);
			}
			finally {
				closeQuietly(response);
			}
		}
		catch (ConnectTimeoutException ex) {
			return Attempt.timedOut(started, millisSince(startNanos),
					"Connection timed out after " + this.properties.connectTimeout().toSeconds() + " s.");
		}
		catch (SocketTimeoutException ex) {
			return Attempt.timedOut(started, millisSince(startNanos),
					"No answer within " + this.properties.requestTimeout().toSeconds() + " s.");
		}
		catch (ConnectException ex) {
			return Attempt.unreachable(started, millisSince(startNanos), "Connection refused.");
		}
		catch (UnknownHostException ex) {
			return Attempt.failed(started, millisSince(startNanos),
					"Not sent: " + TextChecks.clean(truncate(String.valueOf(ex.getMessage()), 200)) + ".");
		}
		catch (IOException ex) {
			if (cutOff.get() || ex instanceof InterruptedIOException) {
				return Attempt.timedOut(started, millisSince(startNanos),
						"No complete answer within " + this.properties.requestTimeout().toSeconds() + " s.");
			}
			return Attempt.unreachable(started, millisSince(startNanos), "The connection failed: "
					+ ex.getClass().getSimpleName()
					+ ((ex.getMessage() != null) ? " (" + TextChecks.clean(truncate(ex.getMessage(), 200)) + ")" : "")
					+ ".");
		}
		catch (RuntimeException ex) {
			return Attempt.failed(started, millisSince(startNanos), "The request could not be sent.");
		}
		finally {
			deadline.cancel(false);
		}
	}

	private Attempt answer(HttpPost request, ClassicHttpResponse response, Instant started, long startNanos)
			throws IOException {
		String excerpt = excerpt(request, response.getEntity());
		int status = response.getCode();
		int millis = millisSince(startNanos);
		if (status >= 200 && status < 300) {
			return new Attempt(Outcome.SUCCEEDED, started, millis, status, null, excerpt, null);
		}
		Header retryAfterHeader = response.getFirstHeader("Retry-After");
		Duration retryAfter = (status == 429 || status == 503)
				? retryAfter((retryAfterHeader != null) ? retryAfterHeader.getValue() : null, started) : null;
		return new Attempt((status == 410) ? Outcome.GONE : Outcome.FAILED, started, millis, status, "HTTP " + status,
				excerpt, retryAfter);
	}

	/**
	 * Reads at most the configured size of the answer and keeps the start as text that
	 * can be stored. The rest of a longer answer is not read: the connection is then
	 * closed rather than reused.
	 */
	private String excerpt(HttpPost request, @Nullable HttpEntity entity) throws IOException {
		if (entity == null) {
			return "";
		}
		InputStream in = entity.getContent();
		if (in == null) {
			return "";
		}
		byte[] bytes = in.readNBytes((int) this.properties.maxResponseSize().toBytes());
		if (in.read() == -1) {
			in.close(); // read to the end: the connection is kept for the next delivery
		}
		else {
			request.cancel(); // more than we read: drop the connection rather than drain
								// it
		}
		return TextChecks.clean(truncate(new String(bytes, StandardCharsets.UTF_8), EXCERPT_CHARS));
	}

	private static void closeQuietly(ClassicHttpResponse response) {
		try {
			response.close();
		}
		catch (IOException ex) {
			// the connection was dropped on purpose, or the receiver went away
		}
	}

	@Override
	public void destroy() throws IOException {
		this.http.close();
	}

	/**
	 * Resolves names through the guard: the connection uses only allowed addresses, and a
	 * name that leads only to refused ones fails with the reason.
	 */
	private static final class GuardedDnsResolver implements DnsResolver {

		private final TargetGuard guard;

		GuardedDnsResolver(TargetGuard guard) {
			this.guard = guard;
		}

		@Override
		public InetAddress[] resolve(String host) throws UnknownHostException {
			return this.guard.connectable(host);
		}

		@Override
		public String resolveCanonicalHostname(String host) throws UnknownHostException {
			return SystemDefaultDnsResolver.INSTANCE.resolveCanonicalHostname(host);
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
		/**
		 * The receiver answered another status (but 410), or the attempt was not sent
		 * (the address is not allowed, the name does not resolve, no signing secret).
		 */
		FAILED,
		/**
		 * No connection within the connect timeout, or no complete answer within the
		 * request timeout.
		 */
		TIMED_OUT,
		/**
		 * The connection was refused, or broke before an answer (reset, closed, TLS
		 * failure).
		 */
		UNREACHABLE,
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

		static Attempt timedOut(Instant startedAt, int durationMillis, String error) {
			return new Attempt(Outcome.TIMED_OUT, startedAt, durationMillis, null, error, null, null);
		}

		static Attempt unreachable(Instant startedAt, int durationMillis, String error) {
			return new Attempt(Outcome.UNREACHABLE, startedAt, durationMillis, null, error, null, null);
		}

	}

}
