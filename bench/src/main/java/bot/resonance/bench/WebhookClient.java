package bot.resonance.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.HdrHistogram.Histogram;

/**
 * One closed-loop client of the webhook-baseline scenario: a keep-alive HTTP/1.1
 * connection to the {@link WebhookReceiver} that POSTs what Resonance would send (a
 * {@code reward.earned} body of the same shape and size, with a fresh message id and
 * timestamp, signed, with the same headers) to the endpoints in turn, one request at a
 * time. As lean as {@link EventClient}, so that the scenario shows the ceiling of the
 * receiver and the loopback on this machine.
 */
final class WebhookClient implements Runnable {

	private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".getBytes(StandardCharsets.US_ASCII);

	/**
	 * A {@code reward.earned} body as Resonance writes it (same fields, same lengths);
	 * {@code MSGID} and {@code TIMESTAMP} are replaced per request.
	 */
	private static final String BODY_TEMPLATE = "{\"id\":\"msg_MSGID\",\"event\":\"reward.earned\","
			+ "\"guildId\":\"987654321098765432\",\"timestamp\":\"TIMESTAMP\",\"data\":DATA,"
			+ "\"event_type\":\"reward.earned\",\"movement\":DATA}";

	private static final String DATA = "{\"id\":\"evt_01KAR1M8X3Q7N2V5B9C4D6E8FG\",\"type\":\"point\","
			+ "\"reason\":\"end_user_payout\",\"status\":\"accepted\",\"status_details\":null,"
			+ "\"user_identifier\":\"discord-100000000000012345@users.resonance.invalid\","
			+ "\"user_identifier_type\":\"email\",\"user_id\":\"100000000000012345\",\"amount\":\"5\","
			+ "\"currency\":{\"name\":\"POINTS\",\"decimals\":0},\"conversion_name\":\"custom_event\","
			+ "\"created_at\":\"2026-11-23T14:47:06.123456Z\"}";

	/** What a run shares between its clients; read-only but for the message counter. */
	record Plan(String host, int port, String[] secrets, byte[] body, int idAt, int timestampAt,
			AtomicLong messages, long measureStart, long measureEnd) {

		static Plan of(String host, int port, String[] secrets, long measureStart, long measureEnd) {
			String template = BODY_TEMPLATE.replace("DATA", DATA)
				.replace("MSGID", "0".repeat(26))
				.replace("TIMESTAMP", "2026-01-01T00:00:00.000Z");
			byte[] body = template.getBytes(StandardCharsets.US_ASCII);
			int idAt = template.indexOf("msg_") + 4;
			int timestampAt = template.indexOf("\"timestamp\":\"") + 13;
			return new Plan(host, port, secrets, body, idAt, timestampAt, new AtomicLong(1), measureStart,
					measureEnd);
		}

		/** The body's length (what the notes compare with the deliveries' mean). */
		int bodyLength() {
			return this.body.length;
		}

	}

	private final Plan plan;

	private final int first;

	private final Mac[] macs;

	private final byte[] mac = new byte[32];

	private final byte[] body;

	private final byte[] request = new byte[4096];

	private byte[] in = new byte[1024];

	private int inLimit;

	private Socket socket;

	private InputStream input;

	private OutputStream output;

	// Results, read by the runner after the thread ends.

	final Histogram latencyMicros = new Histogram(120_000_000L, 3);

	final Map<String, long[]> outcomes = new HashMap<>();

	/** 200 answers in the measured window. */
	long ok;

	/** Connections opened in the measured window. */
	long connectsInWindow;

	WebhookClient(Plan plan, int first) {
		this.plan = plan;
		this.first = first;
		this.macs = new Mac[plan.secrets().length];
		this.body = plan.body().clone();
	}

	@Override
	public void run() {
		int endpoints = this.plan.secrets().length;
		int endpoint = this.first % endpoints;
		while (true) {
			long start = System.nanoTime();
			if (start >= this.plan.measureEnd()) {
				break;
			}
			int length = prepare(endpoint);
			boolean wasOpen = this.socket != null;
			int status;
			String failure = null;
			try {
				if (this.socket == null) {
					connect();
				}
				this.output.write(this.request, 0, length);
				status = readResponse();
			}
			catch (IOException ex) {
				closeQuietly();
				status = -1;
				failure = "IO " + ex.getClass().getSimpleName();
			}
			long end = System.nanoTime();
			endpoint = (endpoint + 1) % endpoints;
			if (end < this.plan.measureStart() || end >= this.plan.measureEnd()) {
				if (status < 0) {
					Bench.sleep(50);
				}
				continue;
			}
			if (!wasOpen) {
				this.connectsInWindow++;
			}
			this.latencyMicros.recordValue(Math.max(1, (end - start) / 1000));
			if (status == 200) {
				this.ok++;
				continue;
			}
			this.outcomes.computeIfAbsent((failure != null) ? failure : Integer.toString(status), (k) -> new long[1])[0]++;
			if (status < 0) {
				Bench.sleep(50);
			}
		}
		closeQuietly();
	}

	/** Writes the next request into {@link #request}; returns its length. */
	private int prepare(int endpoint) {
		long message = this.plan.messages().getAndIncrement();
		crockford(message, this.body, this.plan.idAt());
		formatTimestamp(System.currentTimeMillis(), this.body, this.plan.timestampAt());
		Mac hmac = mac(endpoint);
		hmac.update(this.body);
		try {
			hmac.doFinal(this.mac, 0);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
		int n = 0;
		n = Bytes.ascii(this.request, n, "POST /e");
		n = Bytes.digits(this.request, n, endpoint);
		n = Bytes.ascii(this.request, n, " HTTP/1.1\r\nContent-Length: ");
		n = Bytes.digits(this.request, n, this.body.length);
		n = Bytes.ascii(this.request, n, "\r\nHost: ");
		n = Bytes.ascii(this.request, n, this.plan.host());
		n = Bytes.ascii(this.request, n, ":");
		n = Bytes.digits(this.request, n, this.plan.port());
		n = Bytes.ascii(this.request, n, "\r\nUser-Agent: Resonance-Webhooks/1.0\r\nContent-Type: application/json"
				+ "\r\nX-Webhook-Id: 0b7c4f0e-3f7a-4d0e-9a51-2f1d3c4b5a60\r\nX-Event: reward.earned\r\nX-Signature: sha256=");
		for (byte b : this.mac) {
			this.request[n++] = HEX[(b >> 4) & 0xf];
			this.request[n++] = HEX[b & 0xf];
		}
		n = Bytes.ascii(this.request, n, "\r\nX-Attempt: 1\r\nX-Idempotency-Key: dlv_");
		n = crockford(message, this.request, n);
		n = Bytes.ascii(this.request, n, "\r\nwebhook-id: msg_");
		n = crockford(message, this.request, n);
		n = Bytes.ascii(this.request, n, "\r\nwebhook-timestamp: ");
		n = Bytes.digits(this.request, n, System.currentTimeMillis() / 1000);
		// Same length as a real Standard Webhooks signature; the receiver checks X-Signature.
		n = Bytes.ascii(this.request, n, "\r\nwebhook-signature: v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=\r\n\r\n");
		System.arraycopy(this.body, 0, this.request, n, this.body.length);
		return n + this.body.length;
	}

	private Mac mac(int endpoint) {
		Mac hmac = this.macs[endpoint];
		if (hmac == null) {
			try {
				hmac = Mac.getInstance("HmacSHA256");
				hmac.init(new SecretKeySpec(this.plan.secrets()[endpoint].getBytes(StandardCharsets.UTF_8),
						"HmacSHA256"));
			}
			catch (GeneralSecurityException ex) {
				throw new IllegalStateException(ex);
			}
			this.macs[endpoint] = hmac;
		}
		return hmac;
	}

	private void connect() throws IOException {
		Socket s = new Socket();
		s.setTcpNoDelay(true);
		s.setSoTimeout(120_000);
		s.connect(new InetSocketAddress(this.plan.host(), this.plan.port()), 10_000);
		this.socket = s;
		this.input = s.getInputStream();
		this.output = s.getOutputStream();
	}

	private void closeQuietly() {
		if (this.socket != null) {
			try {
				this.socket.close();
			}
			catch (IOException ignored) {
				// closing anyway
			}
		}
		this.socket = null;
		this.input = null;
		this.output = null;
	}

	/**
	 * Reads the receiver's answer (status line, headers, a Content-Length body, which it
	 * never leaves out); returns the status.
	 */
	private int readResponse() throws IOException {
		this.inLimit = 0;
		int headerEnd;
		int searchFrom = 0;
		while ((headerEnd = WebhookReceiver.indexOf(this.in, searchFrom, this.inLimit, CRLFCRLF)) < 0) {
			searchFrom = Math.max(0, this.inLimit - 3);
			fill();
		}
		if (headerEnd < 12 || this.in[0] != 'H') {
			throw new IOException("Malformed response");
		}
		int status = (this.in[9] - '0') * 100 + (this.in[10] - '0') * 10 + (this.in[11] - '0');
		int contentLength = 0;
		boolean close = false;
		int at = WebhookReceiver.indexOf(this.in, 0, headerEnd, CONTENT_LENGTH);
		if (at >= 0) {
			for (int i = at + CONTENT_LENGTH.length; i < headerEnd && this.in[i] != '\r'; i++) {
				if (this.in[i] >= '0' && this.in[i] <= '9') {
					contentLength = contentLength * 10 + (this.in[i] - '0');
				}
			}
		}
		if (WebhookReceiver.indexOf(this.in, 0, headerEnd, CONNECTION_CLOSE) >= 0) {
			close = true;
		}
		while (this.inLimit < headerEnd + 4 + contentLength) {
			fill();
		}
		if (close) {
			closeQuietly();
		}
		return status;
	}

	private static final byte[] CRLFCRLF = { '\r', '\n', '\r', '\n' };

	private static final byte[] CONTENT_LENGTH = "Content-Length:".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] CONNECTION_CLOSE = "Connection: close".getBytes(StandardCharsets.US_ASCII);

	private void fill() throws IOException {
		if (this.inLimit == this.in.length) {
			this.in = Arrays.copyOf(this.in, this.in.length * 2);
		}
		int n = this.input.read(this.in, this.inLimit, this.in.length - this.inLimit);
		if (n < 0) {
			throw new java.io.EOFException("Connection closed by the receiver");
		}
		this.inLimit += n;
	}

	/** {@code value} as 26 Crockford base32 characters (a ULID-shaped id); returns the end. */
	static int crockford(long value, byte[] target, int at) {
		for (int i = 25; i >= 0; i--) {
			target[at + i] = (i >= 13) ? CROCKFORD[(int) ((value >>> (5 * (25 - i))) & 31)] : (byte) '0';
		}
		return at + 26;
	}

	/** {@code yyyy-MM-ddTHH:mm:ss.SSSZ} of epoch milliseconds, UTC. */
	static void formatTimestamp(long epochMillis, byte[] target, int at) {
		long days = Math.floorDiv(epochMillis, 86_400_000L);
		long ofDay = Math.floorMod(epochMillis, 86_400_000L);
		// civil from days (H. Hinnant's algorithm)
		long z = days + 719_468;
		long era = Math.floorDiv(z, 146_097);
		long dayOfEra = z - era * 146_097;
		long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
		long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
		long mp = (5 * dayOfYear + 2) / 153;
		int day = (int) (dayOfYear - (153 * mp + 2) / 5 + 1);
		int month = (int) ((mp < 10) ? mp + 3 : mp - 9);
		int year = (int) (yearOfEra + era * 400 + ((month <= 2) ? 1 : 0));
		pad(target, at, year, 4);
		target[at + 4] = '-';
		pad(target, at + 5, month, 2);
		target[at + 7] = '-';
		pad(target, at + 8, day, 2);
		target[at + 10] = 'T';
		pad(target, at + 11, (int) (ofDay / 3_600_000), 2);
		target[at + 13] = ':';
		pad(target, at + 14, (int) (ofDay / 60_000 % 60), 2);
		target[at + 16] = ':';
		pad(target, at + 17, (int) (ofDay / 1000 % 60), 2);
		target[at + 19] = '.';
		pad(target, at + 20, (int) (ofDay % 1000), 3);
		target[at + 23] = 'Z';
	}

	private static void pad(byte[] target, int at, int value, int width) {
		for (int i = at + width - 1; i >= at; i--, value /= 10) {
			target[i] = (byte) ('0' + value % 10);
		}
	}

}
