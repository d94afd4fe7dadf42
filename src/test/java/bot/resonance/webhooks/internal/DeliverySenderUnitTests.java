package bot.resonance.webhooks.internal;

import bot.resonance.webhooks.Endpoint;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import bot.resonance.support.RefusingPort;

import bot.resonance.webhooks.WebhookProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sender against receivers that misbehave on the wire: it never follows redirects,
 * never waits longer than its request timeout however slowly an answer drips, reads no
 * more than its cap, and never connects to a refused address, however a name resolves by
 * the time it connects.
 */
class DeliverySenderUnitTests {

	private final AtomicInteger connections = new AtomicInteger();

	private ServerSocket server;

	@AfterEach
	void stop() throws Exception {
		if (this.server != null) {
			this.server.close();
		}
	}

	@Test
	void redirectsAreFailuresNotFollowed() throws Exception {
		int port = serve((out) -> write(out,
				"HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:1/elsewhere\r\nContent-Length: 0\r\n\r\n"));
		DeliverySender.Attempt attempt = sender(true).send(delivery(), target("http://127.0.0.1:" + port + "/hook"));
		assertThat(attempt.outcome()).isEqualTo(DeliverySender.Outcome.FAILED);
		assertThat(attempt.statusCode()).isEqualTo(302);
	}

	@Test
	void anAnswerThatDripsIsCutOffAtTheRequestTimeout() throws Exception {
		int port = serve((out) -> {
			write(out, "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n");
			for (int i = 0; i < 100; i++) {
				write(out, "x");
				sleep(200);
			}
		});
		DeliverySender.Attempt attempt = sender(true).send(delivery(), target("http://127.0.0.1:" + port + "/hook"));
		assertThat(attempt.outcome()).isEqualTo(DeliverySender.Outcome.TIMED_OUT);
		// Cut off by the deadline, not by reading the 20 s the answer would take.
		assertThat(attempt.error()).contains("within 1 s");
	}

	@Test
	void aReceiverThatNeverAnswersTimesOut() throws Exception {
		int port = serve((out) -> sleep(5_000));
		DeliverySender.Attempt attempt = sender(true).send(delivery(), target("http://127.0.0.1:" + port + "/hook"));
		assertThat(attempt.outcome()).isEqualTo(DeliverySender.Outcome.TIMED_OUT);
		assertThat(attempt.statusCode()).isNull();
		assertThat(attempt.error()).contains("within 1 s");
	}

	@Test
	void aRefusedOrDroppedConnectionIsUnreachable() throws Exception {
		try (RefusingPort closed = RefusingPort.open()) {
			DeliverySender.Attempt refused = sender(true).send(delivery(),
					target("http://127.0.0.1:" + closed.port() + "/hook"));
			assertThat(refused.outcome()).isEqualTo(DeliverySender.Outcome.UNREACHABLE);
			assertThat(refused.error()).isEqualTo("Connection refused.");
		}

		// Reads the request, then hangs up without a word.
		int port = serve((out) -> {
		});
		DeliverySender.Attempt dropped = sender(true).send(delivery(), target("http://127.0.0.1:" + port + "/hook"));
		assertThat(dropped.outcome()).isEqualTo(DeliverySender.Outcome.UNREACHABLE);
		assertThat(dropped.error()).startsWith("The connection failed");
	}

	@Test
	void aLongAnswerIsReadOnlyUpToItsCap() throws Exception {
		String big = "y".repeat(2_000_000);
		int port = serve((out) -> write(out, "HTTP/1.1 200 OK\r\nContent-Length: " + big.length() + "\r\n\r\n" + big));
		DeliverySender.Attempt attempt = sender(true).send(delivery(), target("http://127.0.0.1:" + port + "/hook"));
		assertThat(attempt.outcome()).isEqualTo(DeliverySender.Outcome.SUCCEEDED);
		assertThat(attempt.excerpt()).hasSize(1_000);
	}

	@Test
	void privateAddressesAreNeverConnectedToUnlessAllowed() throws Exception {
		int port = serve((out) -> write(out, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
		DeliverySender.Attempt attempt = sender(false).send(delivery(), target("http://127.0.0.1:" + port + "/hook"));
		assertThat(attempt.outcome()).isEqualTo(DeliverySender.Outcome.FAILED);
		assertThat(attempt.error()).contains("Not sent").contains("127.0.0.1 (Loopback, RFC 1122)");
		// A name that resolves to a loopback address is refused at connection time too.
		DeliverySender.Attempt byName = sender(false).send(delivery(), target("http://localhost:" + port + "/hook"));
		assertThat(byName.outcome()).isEqualTo(DeliverySender.Outcome.FAILED);
		assertThat(byName.error()).contains("Not sent");
		assertThat(this.connections).as("connections the receiver saw").hasValue(0);
	}

	@Test
	void aNameThatLaterResolvesToARefusedAddressIsNotConnectedTo() throws Exception {
		int port = serve((out) -> write(out, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
		// The receiver's name resolves to a public address when the attempt is checked,
		// then to the receiver on this machine, spelt as an IPv4-mapped address, when the
		// client connects (DNS rebinding). Loopback itself is allowed here.
		byte[] mapped = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 127, 0, 0, 1 };
		AtomicInteger lookups = new AtomicInteger();
		DeliverySender sender = sender(true,
				(host) -> (lookups.getAndIncrement() == 0)
						? new InetAddress[] { InetAddress.getByAddress(host, new byte[] { 8, 8, 8, 8 }) }
						: new InetAddress[] { Inet6Address.getByAddress(host, mapped, -1) });
		DeliverySender.Attempt attempt = sender.send(delivery(), target("http://rebound.example:" + port + "/hook"));
		assertThat(attempt.outcome()).isEqualTo(DeliverySender.Outcome.FAILED);
		assertThat(attempt.error()).startsWith("Not sent: ")
			.contains("rebound.example resolves to ::ffff:7f00:1")
			.contains("embeds 127.0.0.1");
		assertThat(lookups).as("checked, then resolved to connect").hasValue(2);
		assertThat(this.connections).as("connections the receiver saw").hasValue(0);

		// The same name resolving to 127.0.0.1 itself, which is allowed, is delivered to.
		DeliverySender plain = sender(true,
				(host) -> new InetAddress[] { InetAddress.getByAddress(host, new byte[] { 127, 0, 0, 1 }) });
		assertThat(plain.send(delivery(), target("http://rebound.example:" + port + "/hook")).outcome())
			.isEqualTo(DeliverySender.Outcome.SUCCEEDED);
		assertThat(this.connections).hasValue(1);
	}

	@Test
	void aStoredUrlThatCarriesALoopbackAddressIsNotConnectedTo() throws Exception {
		int port = serve((out) -> write(out, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
		for (String host : List.of("[::ffff:7f00:1]", "[::ffff:127.0.0.1]", "[::127.0.0.1]")) {
			DeliverySender.Attempt attempt = sender(true).send(delivery(),
					target("http://" + host + ":" + port + "/hook"));
			assertThat(attempt.outcome()).as(host).isEqualTo(DeliverySender.Outcome.FAILED);
			assertThat(attempt.error()).as(host).startsWith("Not sent: ").contains("embeds 127.0.0.1");
		}
		assertThat(this.connections).as("connections the receiver saw").hasValue(0);
	}

	private int serve(Consumer<OutputStream> answer) throws Exception {
		this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		Thread.ofVirtual().start(() -> {
			while (!this.server.isClosed()) {
				try (Socket socket = this.server.accept()) {
					this.connections.incrementAndGet();
					InputStream in = socket.getInputStream();
					byte[] buffer = new byte[65536];
					int read = in.read(buffer);
					if (read > 0) {
						answer.accept(socket.getOutputStream());
					}
				}
				catch (Exception ex) {
					// the sender hung up
				}
			}
		});
		return this.server.getLocalPort();
	}

	private static void write(OutputStream out, String text) {
		try {
			out.write(text.getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static DeliverySender sender(boolean allowLoopback) {
		return sender(allowLoopback, InetAddress::getAllByName);
	}

	private static DeliverySender sender(boolean allowLoopback, TargetGuard.Resolver resolver) {
		Map<String, String> values = new HashMap<>();
		values.put("resonance.webhooks.request-timeout", "1s");
		values.put("resonance.webhooks.connect-timeout", "1s");
		if (allowLoopback) {
			values.put("resonance.webhooks.allowed-private-targets", "127.0.0.0/8");
		}
		WebhookProperties properties = new Binder(new MapConfigurationPropertySource(values))
			.bindOrCreate("resonance.webhooks", WebhookProperties.class);
		TargetGuard guard = new TargetGuard(properties, new LocalAddresses(List::of, Clock.systemUTC()), resolver);
		return new DeliverySender(guard, properties, Clock.systemUTC());
	}

	private static DeliveryRepository.Claimed delivery() {
		return new DeliveryRepository.Claimed("0x" + "a".repeat(40), "dlv_1", UUID.randomUUID(), "msg_1",
				"reward.earned", 1, 0, "{\"event\":\"reward.earned\"}", Instant.now());
	}

	private static WebhookDirectory.Configured target(String url) {
		Instant now = Instant.now();
		return new WebhookDirectory.Configured(new Endpoint("0x" + "a".repeat(40), UUID.randomUUID(), url, null, null,
				true, false, null, null, now, now), List.of(WebhookSigner.Secret.of(WebhookSigner.newSecret(), null)));
	}

}
