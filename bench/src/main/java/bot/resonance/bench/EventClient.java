package bot.resonance.bench;

import java.io.EOFException;
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
import java.util.concurrent.ThreadLocalRandom;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.HdrHistogram.Histogram;

/**
 * One closed-loop client of {@code POST /v1/events}: a keep-alive HTTP/1.1 connection
 * over a plain socket, one request at a time. Lean on purpose, since it shares the
 * machine with the server: request and response buffers, the HMAC instances (one per
 * brand) and the member ids are made once; a request costs no allocation beyond what
 * the socket does, except a small string for an unusual outcome.
 */
final class EventClient implements Runnable {

	private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] STATUS_FIELD = "\"status\":\"".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] CODE_FIELD = "\"code\":\"".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] AWARDED = "awarded".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] INVALID_SIGNATURE = "INVALID_SIGNATURE".getBytes(StandardCharsets.US_ASCII);

	/** What a run shares between its clients; read-only. */
	record Plan(String host, int port, byte[][] members, Api.Brand[] brands, byte[][] bodyPrefixes,
			byte[] bodySuffix, byte[] headPrefix, boolean wrongSignature, long measureStart, long measureEnd) {

		static Plan of(String host, int port, int members, Api.Brand[] brands, boolean wrongSignature,
				long measureStart, long measureEnd) {
			byte[][] memberIds = new byte[members][];
			for (int i = 0; i < members; i++) {
				// Discord-like 18-digit snowflakes, all the same length.
				memberIds[i] = Long.toString(100_000_000_000_000_000L + i).getBytes(StandardCharsets.US_ASCII);
			}
			byte[][] prefixes = new byte[brands.length][];
			for (int i = 0; i < brands.length; i++) {
				prefixes[i] = ("{\"brand_id\":\"" + brands[i].id() + "\",\"event_type\":\"custom_event\",\"user_id\":\"")
					.getBytes(StandardCharsets.US_ASCII);
			}
			byte[] suffix = ("\",\"server_id\":\"987654321098765432\",\"amount\":" + Api.AMOUNT + ",\"metadata\":{}}")
				.getBytes(StandardCharsets.US_ASCII);
			byte[] head = ("POST /v1/events HTTP/1.1\r\nHost: " + host + ":" + port
					+ "\r\nContent-Type: application/json\r\nX-Resonance-Signature: ")
				.getBytes(StandardCharsets.US_ASCII);
			return new Plan(host, port, memberIds, brands, prefixes, suffix, head, wrongSignature, measureStart,
					measureEnd);
		}

	}

	private final Plan plan;

	private final Mac[] macs;

	private final byte[] mac = new byte[32];

	private final byte[] body = new byte[1024];

	private final byte[] request = new byte[2048];

	private byte[] in = new byte[16 * 1024];

	private int inPos;

	private int inLimit;

	private byte[] responseBody = new byte[4096];

	private int responseLength;

	private boolean closeAfterResponse;

	private Socket socket;

	private InputStream input;

	private OutputStream output;

	// Results, read by the runner after the thread ends.

	final Histogram latencyMicros = new Histogram(120_000_000L, 3);

	final Map<String, long[]> outcomes = new HashMap<>();

	/** Responses in the measured window that are the scenario's expected outcome. */
	long expected;

	/** Awards answered per brand over the whole run (warm-up included), for the wallet check. */
	final long[] awardedPerBrand;

	/** Requests whose outcome is unknown (connection lost mid-request), whole run. */
	long unknown;

	/** Connections opened in the measured window (Connection: close, errors). */
	long connectsInWindow;

	/** The slowest connect in the measured window, microseconds. */
	long slowestConnectMicros;

	EventClient(Plan plan) {
		this.plan = plan;
		this.macs = new Mac[plan.brands().length];
		this.awardedPerBrand = new long[plan.brands().length];
	}

	@Override
	public void run() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		int brandCount = this.plan.brands().length;
		int memberCount = this.plan.members().length;
		while (true) {
			long start = System.nanoTime();
			if (start >= this.plan.measureEnd()) {
				break;
			}
			int brand = (brandCount == 1) ? 0 : random.nextInt(brandCount);
			int member = random.nextInt(memberCount);
			int length = prepare(brand, member);
			String outcome;
			int status;
			boolean wasOpen = this.socket != null;
			long connectMicros = 0;
			try {
				if (this.socket == null) {
					connect();
					connectMicros = (System.nanoTime() - start) / 1000;
				}
				this.output.write(this.request, 0, length);
				status = readResponse();
				outcome = null;
			}
			catch (IOException ex) {
				closeQuietly();
				status = -1;
				outcome = "IO " + ex.getClass().getSimpleName();
				this.unknown++;
			}
			long end = System.nanoTime();
			boolean measured = end >= this.plan.measureStart() && end < this.plan.measureEnd();
			if (measured && !wasOpen) {
				this.connectsInWindow++;
				this.slowestConnectMicros = Math.max(this.slowestConnectMicros, connectMicros);
			}
			if (status == 200 && contains(STATUS_FIELD, AWARDED)) {
				this.awardedPerBrand[brand]++;
				if (measured && !this.plan.wrongSignature()) {
					this.expected++;
					this.latencyMicros.recordValue(Math.max(1, (end - start) / 1000));
					continue;
				}
			}
			if (!measured) {
				if (status < 0) {
					pause();
				}
				continue;
			}
			this.latencyMicros.recordValue(Math.max(1, (end - start) / 1000));
			if (status == 401 && this.plan.wrongSignature() && contains(CODE_FIELD, INVALID_SIGNATURE)) {
				this.expected++;
				continue;
			}
			if (outcome == null) {
				String detail = (status == 200) ? field(STATUS_FIELD) : field(CODE_FIELD);
				outcome = status + " " + ((detail != null) ? detail : "-");
			}
			this.outcomes.computeIfAbsent(outcome, (key) -> new long[1])[0]++;
			if (status < 0) {
				pause();
			}
		}
		closeQuietly();
	}

	/** Writes the signed request into {@link #request}; returns its length. */
	private int prepare(int brand, int member) {
		byte[] prefix = this.plan.bodyPrefixes()[brand];
		byte[] memberId = this.plan.members()[member];
		byte[] suffix = this.plan.bodySuffix();
		int bodyLength = 0;
		System.arraycopy(prefix, 0, this.body, bodyLength, prefix.length);
		bodyLength += prefix.length;
		System.arraycopy(memberId, 0, this.body, bodyLength, memberId.length);
		bodyLength += memberId.length;
		System.arraycopy(suffix, 0, this.body, bodyLength, suffix.length);
		bodyLength += suffix.length;

		Mac hmac = mac(brand);
		hmac.update(this.body, 0, bodyLength);
		try {
			hmac.doFinal(this.mac, 0);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}

		byte[] head = this.plan.headPrefix();
		int n = 0;
		System.arraycopy(head, 0, this.request, n, head.length);
		n += head.length;
		for (byte b : this.mac) {
			this.request[n++] = HEX[(b >> 4) & 0xf];
			this.request[n++] = HEX[b & 0xf];
		}
		n = Bytes.ascii(this.request, n, "\r\nContent-Length: ");
		n = Bytes.digits(this.request, n, bodyLength);
		n = Bytes.ascii(this.request, n, "\r\n\r\n");
		System.arraycopy(this.body, 0, this.request, n, bodyLength);
		return n + bodyLength;
	}

	private Mac mac(int brand) {
		Mac hmac = this.macs[brand];
		if (hmac == null) {
			try {
				String key = this.plan.brands()[brand].secretKey();
				if (this.plan.wrongSignature()) {
					key = key + "-wrong";
				}
				hmac = Mac.getInstance("HmacSHA256");
				hmac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			}
			catch (GeneralSecurityException ex) {
				throw new IllegalStateException(ex);
			}
			this.macs[brand] = hmac;
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

	private static void pause() {
		try {
			Thread.sleep(50);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Reads one HTTP/1.1 response: status, the headers that frame the body
	 * (Content-Length, chunked, Connection: close) and the body into
	 * {@link #responseBody}. Returns the status code.
	 */
	private int readResponse() throws IOException {
		this.inPos = 0;
		this.inLimit = 0;
		this.responseLength = 0;
		this.closeAfterResponse = false;
		int headerEnd;
		int searchFrom = 0;
		while ((headerEnd = Bytes.indexOf(this.in, searchFrom, this.inLimit, (byte) '\r', (byte) '\n', (byte) '\r',
				(byte) '\n')) < 0) {
			searchFrom = Math.max(0, this.inLimit - 3);
			fill();
		}
		if (headerEnd < 12 || this.in[0] != 'H') {
			throw new IOException("Malformed response");
		}
		int status = (this.in[9] - '0') * 100 + (this.in[10] - '0') * 10 + (this.in[11] - '0');
		long contentLength = -1;
		boolean chunked = false;
		int line = Bytes.indexOf(this.in, 0, headerEnd + 2, (byte) '\r', (byte) '\n') + 2;
		while (line < headerEnd + 2) {
			int lineEnd = Bytes.indexOf(this.in, line, headerEnd + 2, (byte) '\r', (byte) '\n');
			if (Bytes.startsWithIgnoreCase(this.in, line, lineEnd, "content-length:")) {
				contentLength = 0;
				for (int i = line + 15; i < lineEnd; i++) {
					byte c = this.in[i];
					if (c >= '0' && c <= '9') {
						contentLength = contentLength * 10 + (c - '0');
					}
				}
			}
			else if (Bytes.startsWithIgnoreCase(this.in, line, lineEnd, "transfer-encoding:")) {
				chunked = Bytes.containsIgnoreCase(this.in, line + 18, lineEnd, "chunked");
			}
			else if (Bytes.startsWithIgnoreCase(this.in, line, lineEnd, "connection:")) {
				this.closeAfterResponse = Bytes.containsIgnoreCase(this.in, line + 11, lineEnd, "close");
			}
			line = lineEnd + 2;
		}
		this.inPos = headerEnd + 4;
		if (chunked) {
			while (true) {
				int sizeEnd;
				while ((sizeEnd = Bytes.indexOf(this.in, this.inPos, this.inLimit, (byte) '\r', (byte) '\n')) < 0) {
					fill();
				}
				int chunk = hex(this.inPos, sizeEnd);
				this.inPos = sizeEnd + 2;
				if (chunk == 0) {
					// trailers, up to an empty line
					while (true) {
						int end;
						while ((end = Bytes.indexOf(this.in, this.inPos, this.inLimit, (byte) '\r', (byte) '\n')) < 0) {
							fill();
						}
						boolean empty = end == this.inPos;
						this.inPos = end + 2;
						if (empty) {
							break;
						}
					}
					break;
				}
				copyBody(chunk);
				while (this.inLimit - this.inPos < 2) {
					fill();
				}
				this.inPos += 2;
			}
		}
		else if (contentLength >= 0) {
			copyBody((int) contentLength);
		}
		else {
			// No framing: the body runs to the end of the connection.
			this.closeAfterResponse = true;
			try {
				while (true) {
					copyBody(this.inLimit - this.inPos);
					fill();
				}
			}
			catch (EOFException endOfBody) {
				// done
			}
		}
		if (this.closeAfterResponse) {
			closeQuietly();
		}
		return status;
	}

	private void copyBody(int length) throws IOException {
		int remaining = length;
		while (remaining > 0) {
			if (this.inPos == this.inLimit) {
				fill();
			}
			int n = Math.min(remaining, this.inLimit - this.inPos);
			if (this.responseLength + n > this.responseBody.length) {
				this.responseBody = Arrays.copyOf(this.responseBody,
						Math.max(this.responseBody.length * 2, this.responseLength + n));
			}
			System.arraycopy(this.in, this.inPos, this.responseBody, this.responseLength, n);
			this.responseLength += n;
			this.inPos += n;
			remaining -= n;
		}
	}

	/** Reads more bytes into {@link #in}, compacting or growing it first if full. */
	private void fill() throws IOException {
		if (this.inLimit == this.in.length) {
			if (this.inPos > 0) {
				System.arraycopy(this.in, this.inPos, this.in, 0, this.inLimit - this.inPos);
				this.inLimit -= this.inPos;
				this.inPos = 0;
			}
			else {
				this.in = Arrays.copyOf(this.in, this.in.length * 2);
			}
		}
		int n = this.input.read(this.in, this.inLimit, this.in.length - this.inLimit);
		if (n < 0) {
			throw new EOFException("Connection closed by the server");
		}
		this.inLimit += n;
	}

	/** Whether the response body has {@code field} followed by {@code value}. */
	private boolean contains(byte[] field, byte[] value) {
		int at = Bytes.indexOf(this.responseBody, 0, this.responseLength, field);
		if (at < 0) {
			return false;
		}
		int from = at + field.length;
		if (from + value.length >= this.responseLength) {
			return false;
		}
		for (int i = 0; i < value.length; i++) {
			if (this.responseBody[from + i] != value[i]) {
				return false;
			}
		}
		return this.responseBody[from + value.length] == '"';
	}

	/** The string value after {@code field} in the response body, if any. */
	private String field(byte[] field) {
		int at = Bytes.indexOf(this.responseBody, 0, this.responseLength, field);
		if (at < 0) {
			return null;
		}
		int from = at + field.length;
		int end = from;
		while (end < this.responseLength && this.responseBody[end] != '"' && end - from < 80) {
			end++;
		}
		return new String(this.responseBody, from, end - from, StandardCharsets.UTF_8);
	}

	/** A chunk-size line: hex digits, then optional spaces or ";extensions". */
	private int hex(int from, int to) throws IOException {
		int value = 0;
		int digits = 0;
		for (int i = from; i < to; i++) {
			int c = this.in[i];
			int digit = (c >= '0' && c <= '9') ? c - '0'
					: (c >= 'a' && c <= 'f') ? c - 'a' + 10 : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
			if (digit < 0) {
				break;
			}
			value = value * 16 + digit;
			digits++;
		}
		if (digits == 0) {
			throw new IOException("Malformed chunk size");
		}
		return value;
	}

}
