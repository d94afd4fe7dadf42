package bot.resonance.bench;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * The webhook receiver of the webhook scenarios: a minimal HTTP/1.1 server on a plain
 * {@link ServerSocket}, one platform thread per keep-alive connection, that answers every
 * {@code POST /e<i>} with an empty {@code 200} at once. Before answering it checks the
 * delivery (the {@code X-Signature} HMAC of the raw body with endpoint i's secret, and
 * the {@code webhook-id} against those endpoint i already received) and records how long
 * after the body's {@code timestamp} it arrived. Lean like {@link EventClient}: it shares
 * the machine with the server, and its cost is the webhook-baseline scenario's.
 */
final class WebhookReceiver implements AutoCloseable {

	private static final byte[] OK = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] NOT_FOUND = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"
		.getBytes(StandardCharsets.US_ASCII);

	private static final byte[] BAD_REQUEST = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
		.getBytes(StandardCharsets.US_ASCII);

	private static final byte[] TIMESTAMP_FIELD = "\"timestamp\":\"".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] SHA256_PREFIX = "sha256=".getBytes(StandardCharsets.US_ASCII);

	private final ServerSocket server;

	private final Thread acceptor;

	private volatile Phase phase;

	private volatile boolean open = true;

	WebhookReceiver(String host) throws IOException {
		this.server = new ServerSocket();
		this.server.setReuseAddress(true);
		this.server.bind(new InetSocketAddress(InetAddress.getByName(host), 0), 1024);
		this.acceptor = Thread.ofPlatform().name("webhook-receiver-accept").daemon(true).start(this::accept);
	}

	int port() {
		return this.server.getLocalPort();
	}

	/**
	 * Starts counting afresh: deliveries to {@code /e0} … {@code /e<n-1>}, signed with
	 * these secrets; those received in [measureStart, measureEnd) ({@link System#nanoTime})
	 * count as the measured window's.
	 */
	Phase begin(String[] secrets, long measureStart, long measureEnd) {
		Phase next = new Phase(secrets, measureStart, measureEnd);
		this.phase = next;
		return next;
	}

	@Override
	public void close() {
		this.open = false;
		try {
			this.server.close();
		}
		catch (IOException ignored) {
			// closing anyway
		}
	}

	private void accept() {
		int n = 0;
		while (this.open) {
			try {
				Socket socket = this.server.accept();
				socket.setTcpNoDelay(true);
				Thread.ofPlatform()
					.name("webhook-receiver-" + n++)
					.daemon(true)
					.start(() -> new Connection(socket).run());
			}
			catch (IOException ex) {
				if (this.open) {
					Bench.log("Webhook receiver: accept failed: " + ex);
					Bench.sleep(100);
				}
			}
		}
	}

	/** What the receiver saw since {@link #begin}; every counter may be read at any time. */
	static final class Phase {

		final String[] secrets;

		final long measureStart;

		final long measureEnd;

		/** Distinct deliveries (first receipt of a webhook-id) per endpoint, whole phase. */
		final LongAdder[] distinct;

		/** Every POST answered 200, whole phase (duplicates included). */
		final LongAdder received = new LongAdder();

		/** POSTs answered 200 inside the measured window. */
		final LongAdder inWindow = new LongAdder();

		/** A webhook-id the endpoint had already received. */
		final LongAdder duplicates = new LongAdder();

		/** X-Signature missing or not the HMAC of the body. */
		final LongAdder badSignatures = new LongAdder();

		/** No parseable {@code "timestamp"} in the body (no latency recorded). */
		final LongAdder noTimestamp = new LongAdder();

		/** Deliveries with {@code X-Attempt} other than 1: retries by the sender. */
		final LongAdder retries = new LongAdder();

		/** Requests to an unknown path, or malformed. */
		final LongAdder rejected = new LongAdder();

		final LongAdder bodyBytes = new LongAdder();

		/** Receipt time minus the body's timestamp, µs, measured window only. */
		final Histogram latencyWindow = new ConcurrentHistogram(3_600_000_000L, 3);

		/** The same over the whole phase (warm-up and drain included). */
		final Histogram latencyAll = new ConcurrentHistogram(3_600_000_000L, 3);

		private final IdSet[] seen;

		Phase(String[] secrets, long measureStart, long measureEnd) {
			this.secrets = secrets.clone();
			this.measureStart = measureStart;
			this.measureEnd = measureEnd;
			this.distinct = new LongAdder[secrets.length];
			this.seen = new IdSet[secrets.length];
			for (int i = 0; i < secrets.length; i++) {
				this.distinct[i] = new LongAdder();
				this.seen[i] = new IdSet();
			}
		}

		long distinctTotal() {
			long total = 0;
			for (LongAdder adder : this.distinct) {
				total += adder.sum();
			}
			return total;
		}

		long distinctMin() {
			return Arrays.stream(this.distinct).mapToLong(LongAdder::sum).min().orElse(0);
		}

		long distinctMax() {
			return Arrays.stream(this.distinct).mapToLong(LongAdder::sum).max().orElse(0);
		}

	}

	/** One keep-alive connection: reads requests, answers each, until the peer closes. */
	private final class Connection {

		private final Socket socket;

		private byte[] in = new byte[16 * 1024];

		private int pos;

		private int limit;

		private final byte[] mac = new byte[32];

		private Phase macsOf;

		private Mac[] macs;

		Connection(Socket socket) {
			this.socket = socket;
		}

		void run() {
			try (Socket s = this.socket) {
				InputStream input = s.getInputStream();
				OutputStream output = s.getOutputStream();
				while (WebhookReceiver.this.open) {
					if (!handle(input, output)) {
						return;
					}
				}
			}
			catch (EOFException | SocketException ex) {
				// the peer closed the connection
			}
			catch (IOException ex) {
				Bench.log("Webhook receiver: connection failed: " + ex);
			}
		}

		/** Reads and answers one request; false when the connection should close. */
		private boolean handle(InputStream input, OutputStream output) throws IOException {
			// Each request starts at offset 0 (what follows the previous one moves down), so
			// offsets found in it stay valid while the buffer only grows.
			if (this.pos > 0) {
				System.arraycopy(this.in, this.pos, this.in, 0, this.limit - this.pos);
				this.limit -= this.pos;
				this.pos = 0;
			}
			int headerEnd;
			int searchFrom = 0;
			while ((headerEnd = indexOf(this.in, searchFrom, this.limit, CRLFCRLF)) < 0) {
				searchFrom = Math.max(0, this.limit - 3);
				if (!fill(input)) {
					return false;
				}
			}
			Phase phase = WebhookReceiver.this.phase;
			int start = 0;
			// request line: POST /e<i> HTTP/1.1
			int endpoint = -1;
			if (startsWith(start, "POST /e")) {
				int i = start + 7;
				int value = 0;
				int digits = 0;
				while (i < headerEnd && this.in[i] >= '0' && this.in[i] <= '9' && digits < 6) {
					value = value * 10 + (this.in[i++] - '0');
					digits++;
				}
				if (digits > 0 && this.in[i] == ' ' && phase != null && value < phase.secrets.length) {
					endpoint = value;
				}
			}
			int contentLength = -1;
			boolean close = false;
			int signatureFrom = -1;
			int signatureTo = -1;
			int idFrom = -1;
			int idTo = -1;
			boolean retry = false;
			int line = indexOf(this.in, start, headerEnd + 2, CRLF) + 2;
			while (line < headerEnd + 2) {
				int lineEnd = indexOf(this.in, line, headerEnd + 2, CRLF);
				int colon = indexOf(this.in, line, lineEnd, COLON);
				if (colon > 0) {
					int valueFrom = colon + 1;
					while (valueFrom < lineEnd && this.in[valueFrom] == ' ') {
						valueFrom++;
					}
					int nameLength = colon - line;
					if (nameLength == 14 && Bytes.startsWithIgnoreCase(this.in, line, line + nameLength, "content-length")) {
						contentLength = 0;
						for (int i = valueFrom; i < lineEnd; i++) {
							byte c = this.in[i];
							if (c >= '0' && c <= '9') {
								contentLength = contentLength * 10 + (c - '0');
							}
						}
					}
					else if (nameLength == 11 && Bytes.startsWithIgnoreCase(this.in, line, line + nameLength, "x-signature")) {
						signatureFrom = valueFrom;
						signatureTo = lineEnd;
					}
					else if (nameLength == 10 && Bytes.startsWithIgnoreCase(this.in, line, line + nameLength, "webhook-id")) {
						idFrom = valueFrom;
						idTo = lineEnd;
					}
					else if (nameLength == 9 && Bytes.startsWithIgnoreCase(this.in, line, line + nameLength, "x-attempt")) {
						retry = !(lineEnd - valueFrom == 1 && this.in[valueFrom] == '1');
					}
					else if (nameLength == 10 && Bytes.startsWithIgnoreCase(this.in, line, line + nameLength, "connection")) {
						close = Bytes.containsIgnoreCase(this.in, valueFrom, lineEnd, "close");
					}
					else if (nameLength == 17 && Bytes.startsWithIgnoreCase(this.in, line, line + nameLength, "transfer-encoding")) {
						// not sent by the JDK HTTP client for a byte[] body; not supported here
						contentLength = -2;
					}
				}
				line = lineEnd + 2;
			}
			if (contentLength < 0) {
				if (phase != null) {
					phase.rejected.increment();
				}
				output.write(BAD_REQUEST);
				return false;
			}
			int bodyStart = headerEnd + 4;
			if (bodyStart + contentLength > this.in.length) {
				this.in = Arrays.copyOf(this.in, Math.max(bodyStart + contentLength, this.in.length * 2));
			}
			while (this.limit < bodyStart + contentLength) {
				if (!fill(input)) {
					return false;
				}
			}
			this.pos = bodyStart + contentLength;
			if (phase == null || endpoint < 0) {
				if (phase != null) {
					phase.rejected.increment();
				}
				output.write(NOT_FOUND);
				return !close;
			}
			long receivedMicros = nowMicros();
			long receivedNanos = System.nanoTime();
			phase.received.increment();
			phase.bodyBytes.add(contentLength);
			if (receivedNanos >= phase.measureStart && receivedNanos < phase.measureEnd) {
				phase.inWindow.increment();
			}
			if (!signatureOk(phase, endpoint, bodyStart, contentLength, signatureFrom, signatureTo)) {
				phase.badSignatures.increment();
			}
			if (retry) {
				phase.retries.increment();
			}
			if (idFrom < 0 || !phase.seen[endpoint].add(this.in, idFrom, idTo)) {
				phase.duplicates.increment();
			}
			else {
				phase.distinct[endpoint].increment();
			}
			long sentMillis = timestamp(bodyStart, bodyStart + contentLength);
			if (sentMillis < 0) {
				phase.noTimestamp.increment();
			}
			else {
				long micros = Math.max(1, Math.min(receivedMicros - sentMillis * 1000, 3_600_000_000L));
				phase.latencyAll.recordValue(micros);
				if (receivedNanos >= phase.measureStart && receivedNanos < phase.measureEnd) {
					phase.latencyWindow.recordValue(micros);
				}
			}
			output.write(OK);
			return !close;
		}

		/** Whether X-Signature is {@code sha256=<hex of HMAC-SHA256(body)>}. */
		private boolean signatureOk(Phase phase, int endpoint, int from, int length, int sigFrom, int sigTo) {
			if (sigFrom < 0 || sigTo - sigFrom != SHA256_PREFIX.length + 64) {
				return false;
			}
			for (int i = 0; i < SHA256_PREFIX.length; i++) {
				if (this.in[sigFrom + i] != SHA256_PREFIX[i]) {
					return false;
				}
			}
			Mac hmac = mac(phase, endpoint);
			hmac.update(this.in, from, length);
			try {
				hmac.doFinal(this.mac, 0);
			}
			catch (GeneralSecurityException ex) {
				throw new IllegalStateException(ex);
			}
			int at = sigFrom + SHA256_PREFIX.length;
			for (int i = 0; i < 32; i++) {
				int high = hexDigit(this.in[at + 2 * i]);
				int low = hexDigit(this.in[at + 2 * i + 1]);
				if (high < 0 || low < 0 || (byte) ((high << 4) | low) != this.mac[i]) {
					return false;
				}
			}
			return true;
		}

		private Mac mac(Phase phase, int endpoint) {
			if (this.macsOf != phase) {
				this.macsOf = phase;
				this.macs = new Mac[phase.secrets.length];
			}
			Mac hmac = this.macs[endpoint];
			if (hmac == null) {
				try {
					hmac = Mac.getInstance("HmacSHA256");
					hmac.init(new SecretKeySpec(phase.secrets[endpoint].getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
				}
				catch (GeneralSecurityException ex) {
					throw new IllegalStateException(ex);
				}
				this.macs[endpoint] = hmac;
			}
			return hmac;
		}

		/**
		 * The body's first {@code "timestamp":"2026-04-14T19:00:00.000Z"} as epoch
		 * milliseconds, or -1.
		 */
		private long timestamp(int from, int to) {
			int at = indexOf(this.in, from, to, TIMESTAMP_FIELD);
			if (at < 0 || at + TIMESTAMP_FIELD.length + 24 > to) {
				return -1;
			}
			return WebhookReceiver.parseTimestamp(this.in, at + TIMESTAMP_FIELD.length);
		}

		/** Reads more bytes, growing the buffer if full; false at the end of the stream. */
		private boolean fill(InputStream input) throws IOException {
			if (this.limit == this.in.length) {
				this.in = Arrays.copyOf(this.in, this.in.length * 2);
			}
			int n = input.read(this.in, this.limit, this.in.length - this.limit);
			if (n < 0) {
				return false;
			}
			this.limit += n;
			return true;
		}

		private boolean startsWith(int from, String text) {
			if (from + text.length() > this.limit) {
				return false;
			}
			for (int i = 0; i < text.length(); i++) {
				if (this.in[from + i] != text.charAt(i)) {
					return false;
				}
			}
			return true;
		}

	}

	private static final byte[] CRLF = { '\r', '\n' };

	private static final byte[] CRLFCRLF = { '\r', '\n', '\r', '\n' };

	private static final byte[] COLON = { ':' };

	/** The wall clock in microseconds (Instant.now() is precise to the microsecond on Linux). */
	static long nowMicros() {
		Instant now = Instant.now();
		return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
	}

	/** {@code yyyy-MM-ddTHH:mm:ss.SSSZ} at {@code at} as epoch milliseconds, or -1. */
	static long parseTimestamp(byte[] text, int at) {
		int year = number(text, at, 4);
		int month = number(text, at + 5, 2);
		int day = number(text, at + 8, 2);
		int hour = number(text, at + 11, 2);
		int minute = number(text, at + 14, 2);
		int second = number(text, at + 17, 2);
		int millis = number(text, at + 20, 3);
		if (year < 0 || month < 1 || day < 1 || hour < 0 || minute < 0 || second < 0 || millis < 0
				|| text[at + 4] != '-' || text[at + 10] != 'T' || text[at + 19] != '.' || text[at + 23] != 'Z') {
			return -1;
		}
		return ((daysFromCivil(year, month, day) * 24 + hour) * 60 + minute) * 60_000L + second * 1000L + millis;
	}

	/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
	static long daysFromCivil(int year, int month, int day) {
		int y = (month <= 2) ? year - 1 : year;
		int era = Math.floorDiv(y, 400);
		int yearOfEra = y - era * 400;
		int dayOfYear = (153 * (month + ((month > 2) ? -3 : 9)) + 2) / 5 + day - 1;
		int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
		return era * 146_097L + dayOfEra - 719_468;
	}

	private static int number(byte[] text, int at, int digits) {
		int value = 0;
		for (int i = at; i < at + digits; i++) {
			int c = text[i] - '0';
			if (c < 0 || c > 9) {
				return -1;
			}
			value = value * 10 + c;
		}
		return value;
	}

	private static int hexDigit(byte c) {
		if (c >= '0' && c <= '9') {
			return c - '0';
		}
		if (c >= 'a' && c <= 'f') {
			return c - 'a' + 10;
		}
		if (c >= 'A' && c <= 'F') {
			return c - 'A' + 10;
		}
		return -1;
	}

	static int indexOf(byte[] data, int from, int to, byte[] needle) {
		outer: for (int i = from; i <= to - needle.length; i++) {
			for (int j = 0; j < needle.length; j++) {
				if (data[i + j] != needle[j]) {
					continue outer;
				}
			}
			return i;
		}
		return -1;
	}

	/**
	 * The webhook-ids one endpoint received: an open-addressing set of 128-bit keys. A
	 * {@code msg_<ULID>} id is its 128 bits exactly; any other id is hashed (two
	 * independent 64-bit hashes).
	 */
	static final class IdSet {

		private long[] keys = new long[2 << 14];

		private boolean[] used = new boolean[1 << 14];

		private int size;

		/** Adds the id in {@code bytes[from, to)}; false if it was already there. */
		synchronized boolean add(byte[] bytes, int from, int to) {
			long high = 0;
			long low = 0;
			boolean exact = to - from == 30 && bytes[from] == 'm' && bytes[from + 1] == 's' && bytes[from + 2] == 'g'
					&& bytes[from + 3] == '_';
			for (int i = from + 4; exact && i < to; i++) {
				int digit = crockford(bytes[i]);
				if (digit < 0) {
					exact = false;
				}
				// shift the 128-bit (high, low) left by 5 and add the digit
				high = (high << 5) | (low >>> 59);
				low = (low << 5) | digit;
			}
			if (!exact) {
				high = 0xcbf29ce484222325L;
				low = 0x84222325cbf29ce4L;
				for (int i = from; i < to; i++) {
					high = (high ^ bytes[i]) * 0x100000001b3L;
					low = (low ^ bytes[i]) * 0x9e3779b97f4a7c15L + 0x632be59bd9b4e019L;
				}
			}
			if ((this.size + 1) * 2 > this.used.length) {
				grow();
			}
			return insert(high, low);
		}

		private boolean insert(long high, long low) {
			int mask = this.used.length - 1;
			int slot = (int) (mix(high ^ Long.rotateLeft(low, 17)) & mask);
			while (this.used[slot]) {
				if (this.keys[2 * slot] == high && this.keys[2 * slot + 1] == low) {
					return false;
				}
				slot = (slot + 1) & mask;
			}
			this.used[slot] = true;
			this.keys[2 * slot] = high;
			this.keys[2 * slot + 1] = low;
			this.size++;
			return true;
		}

		private void grow() {
			long[] oldKeys = this.keys;
			boolean[] oldUsed = this.used;
			this.keys = new long[oldKeys.length * 2];
			this.used = new boolean[oldUsed.length * 2];
			this.size = 0;
			for (int i = 0; i < oldUsed.length; i++) {
				if (oldUsed[i]) {
					insert(oldKeys[2 * i], oldKeys[2 * i + 1]);
				}
			}
		}

		private static long mix(long x) {
			x ^= x >>> 33;
			x *= 0xff51afd7ed558ccdL;
			x ^= x >>> 33;
			x *= 0xc4ceb9fe1a85ec53L;
			return x ^ (x >>> 33);
		}

		private static int crockford(byte c) {
			if (c >= '0' && c <= '9') {
				return c - '0';
			}
			int u = (c >= 'a' && c <= 'z') ? c - 32 : c;
			if (u < 'A' || u > 'Z' || u == 'I' || u == 'L' || u == 'O' || u == 'U') {
				return -1;
			}
			// A..Z without I, L, O, U: 10..31
			int value = u - 'A' + 10;
			if (u > 'I') {
				value--;
			}
			if (u > 'L') {
				value--;
			}
			if (u > 'O') {
				value--;
			}
			if (u > 'U') {
				value--;
			}
			return value;
		}

	}

}
