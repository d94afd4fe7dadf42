package bot.resonance.webhooks.internal;

import java.io.InputStream;
import java.io.OutputStream;
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
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import bot.resonance.webhooks.WebhookProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sender against receivers that misbehave on the wire: it never follows redirects,
 * never waits longer than its request timeout however slowly an answer drips, reads no
 * more than its cap, and never connects to a private address unless allowed.
 */
class DeliverySenderUnitTests {

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
		int closed;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			closed = socket.getLocalPort();
		}
		DeliverySender.Attempt refused = sender(true).send(delivery(), target("http://127.0.0.1:" + closed + "/hook"));
		assertThat(refused.outcome()).isEqualTo(DeliverySender.Outcome.UNREACHABLE);
		assertThat(refused.error()).isEqualTo("Connection refused.");

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
		assertThat(attempt.error()).contains("Not sent").contains("loopback");
		// A name that resolves to a loopback address is refused at connection time too.
		DeliverySender.Attempt byName = sender(false).send(delivery(), target("http://localhost:" + port + "/hook"));
		assertThat(byName.outcome()).isEqualTo(DeliverySender.Outcome.FAILED);
		assertThat(byName.error()).contains("Not sent");
	}

	private int serve(Consumer<OutputStream> answer) throws Exception {
		this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		Thread.ofVirtual().start(() -> {
			while (!this.server.isClosed()) {
				try (Socket socket = this.server.accept()) {
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
		Map<String, String> values = new HashMap<>();
		values.put("resonance.webhooks.request-timeout", "1s");
		values.put("resonance.webhooks.connect-timeout", "1s");
		if (allowLoopback) {
			values.put("resonance.webhooks.allowed-private-targets", "127.0.0.0/8");
		}
		WebhookProperties properties = new Binder(new MapConfigurationPropertySource(values))
			.bindOrCreate("resonance.webhooks", WebhookProperties.class);
		return new DeliverySender(new TargetGuard(properties), properties, Clock.systemUTC());
	}

	private static DeliveryRepository.Claimed delivery() {
		return new DeliveryRepository.Claimed("0x" + "a".repeat(40), "dlv_1", UUID.randomUUID(), "msg_1",
				"reward.earned", 1, 0, "{\"event\":\"reward.earned\"}");
	}

	private static WebhookDirectory.Configured target(String url) {
		Instant now = Instant.now();
		return new WebhookDirectory.Configured(new Endpoint("0x" + "a".repeat(40), UUID.randomUUID(), url, null, null,
				true, false, null, null, now, now), List.of(WebhookSigner.Secret.of(WebhookSigner.newSecret(), null)));
	}

}
