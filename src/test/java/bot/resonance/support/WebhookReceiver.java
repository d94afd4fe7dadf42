package bot.resonance.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.awaitility.Awaitility;

/**
 * A webhook receiver on localhost for tests: it records every request it gets and answers
 * with scripted responses (200 once the script runs out).
 */
public final class WebhookReceiver implements AutoCloseable {

	private final HttpServer server;

	private final List<Received> received = new CopyOnWriteArrayList<>();

	private final Queue<Answer> script = new ConcurrentLinkedQueue<>();

	private final AtomicInteger concurrent = new AtomicInteger();

	private final AtomicInteger mostConcurrent = new AtomicInteger();

	private volatile Answer fallback = new Answer(200, Map.of(), "ok", Duration.ZERO);

	private volatile CountDownLatch gate = new CountDownLatch(0);

	private WebhookReceiver(HttpServer server) {
		this.server = server;
	}

	public static WebhookReceiver start() {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
			WebhookReceiver receiver = new WebhookReceiver(server);
			server.createContext("/", receiver::handle);
			server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
			server.start();
			return receiver;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The URL of {@code path} on this receiver. */
	public String url(String path) {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + path;
	}

	/** The next requests are answered with these statuses, in order. */
	public WebhookReceiver thenAnswer(int... statuses) {
		for (int status : statuses) {
			this.script.add(new Answer(status, Map.of(), "status " + status, Duration.ZERO));
		}
		return this;
	}

	public WebhookReceiver thenAnswer(Answer answer) {
		this.script.add(answer);
		return this;
	}

	/** Once the script has run out, every request is answered with {@code answer}. */
	public WebhookReceiver always(Answer answer) {
		this.fallback = answer;
		return this;
	}

	/**
	 * Holds every request from now on (received, not answered) until {@link #release()},
	 * at most a minute.
	 */
	public WebhookReceiver hold() {
		this.gate = new CountDownLatch(1);
		return this;
	}

	/** Answers the held requests and stops holding. */
	public WebhookReceiver release() {
		this.gate.countDown();
		return this;
	}

	public List<Received> received() {
		return List.copyOf(this.received);
	}

	public List<Received> received(Predicate<Received> filter) {
		return this.received.stream().filter(filter).toList();
	}

	/** Waits until {@code count} requests matching {@code filter} arrived. */
	public List<Received> await(int count, Predicate<Received> filter, Duration timeout) {
		return Awaitility.await()
			.atMost(timeout)
			.pollInterval(Duration.ofMillis(20))
			.alias("at least " + count + " requests")
			.until(() -> received(filter), (matching) -> matching.size() >= count);
	}

	public List<Received> await(int count, Duration timeout) {
		return await(count, (r) -> true, timeout);
	}

	/** The most requests this receiver was answering at once. */
	public int mostConcurrent() {
		return this.mostConcurrent.get();
	}

	private void handle(HttpExchange exchange) throws IOException {
		this.mostConcurrent.accumulateAndGet(this.concurrent.incrementAndGet(), Math::max);
		try {
			answer(exchange);
		}
		finally {
			this.concurrent.decrementAndGet();
		}
	}

	private void answer(HttpExchange exchange) throws IOException {
		byte[] body;
		try (InputStream in = exchange.getRequestBody()) {
			body = in.readAllBytes();
		}
		Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
		exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, String.join(",", values)));
		this.received.add(new Received(exchange.getRequestURI().getPath(), headers, body, Instant.now()));
		try {
			this.gate.await(1, TimeUnit.MINUTES);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		Answer answer = this.script.poll();
		if (answer == null) {
			answer = this.fallback;
		}
		if (!answer.delay().isZero()) {
			try {
				Thread.sleep(answer.delay());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
		byte[] response = answer.body().getBytes(StandardCharsets.UTF_8);
		exchange.sendResponseHeaders(answer.status(), (response.length == 0) ? -1 : response.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(response);
		}
		catch (IOException ex) {
			// the sender gave up waiting
		}
	}

	@Override
	public void close() {
		release();
		this.server.stop(0);
	}

	/** A scripted answer. */
	public record Answer(int status, Map<String, String> headers, String body, Duration delay) {

		public static Answer status(int status) {
			return new Answer(status, Map.of(), "", Duration.ZERO);
		}

	}

	/** A request the receiver got. */
	public record Received(String path, Map<String, String> headers, byte[] body, Instant at) {

		public String header(String name) {
			return this.headers.get(name);
		}

		public String text() {
			return new String(this.body, StandardCharsets.UTF_8);
		}

		public int attempt() {
			return Integer.parseInt(header("X-Attempt"));
		}

		@Override
		public String toString() {
			return this.path + " attempt " + header("X-Attempt") + " " + header("X-Event");
		}

	}

	/** Several receivers' requests, for assertions across them. */
	public static List<Received> all(List<WebhookReceiver> receivers) {
		List<Received> all = new ArrayList<>();
		receivers.forEach((r) -> all.addAll(r.received()));
		return all;
	}

}
