package bot.resonance.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

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

	/**
	 * What a run shares between its clients; read-only but for {@code sequence}.
	 *
	 * @param sequence if not {@code null}, the clients send one event for each pair of a
	 * brand and a member, each pair once, taking the next from this counter, and stop
	 * when every pair was sent; {@code null}: each request's brand and member are picked
	 * at random until {@code measureEnd}
	 */
	record Plan(String host, int port, byte[][] members, Api.Brand[] brands, byte[][] bodyPrefixes,
			byte[] bodySuffix, byte[] headPrefix, boolean wrongSignature, long measureStart, long measureEnd,
			AtomicLong sequence) {

		static Plan of(String host, int port, int members, Api.Brand[] brands, boolean wrongSignature,
				long measureStart, long measureEnd) {
			return of(host, port, members, brands, wrongSignature, measureStart, measureEnd, null);
		}

		/**
		 * A plan that sends one event for each pair of a brand and one of the first
		 * {@code members} members, each once, measuring nothing: afterwards each brand
		 * knows each of them.
		 */
		static Plan everyPair(String host, int port, int members, Api.Brand[] brands) {
			return of(host, port, members, brands, false, Long.MAX_VALUE, Long.MAX_VALUE, new AtomicLong());
		}

		private static Plan of(String host, int port, int members, Api.Brand[] brands, boolean wrongSignature,
				long measureStart, long measureEnd, AtomicLong sequence) {
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
					measureEnd, sequence);
		}

	}

	private final Plan plan;

	private final Mac[] macs;

	private final byte[] mac = new byte[32];

	private final byte[] body = new byte[1024];

	private final byte[] request = new byte[2048];

	private final HttpConnection connection;

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
		this.connection = new HttpConnection(plan.host(), plan.port());
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
			int brand;
			int member;
			if (this.plan.sequence() != null) {
				long next = this.plan.sequence().getAndIncrement();
				if (next >= (long) brandCount * memberCount) {
					break;
				}
				brand = (int) (next % brandCount);
				member = (int) (next / brandCount);
			}
			else {
				brand = (brandCount == 1) ? 0 : random.nextInt(brandCount);
				member = random.nextInt(memberCount);
			}
			int length = prepare(brand, member);
			String outcome;
			int status;
			boolean wasOpen = this.connection.isOpen();
			long connectMicros = 0;
			try {
				if (!wasOpen) {
					this.connection.connect();
					connectMicros = (System.nanoTime() - start) / 1000;
				}
				status = this.connection.exchange(this.request, length);
				outcome = null;
			}
			catch (IOException ex) {
				this.connection.closeQuietly();
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
			if (status == 200 && this.connection.contains(STATUS_FIELD, AWARDED)) {
				this.awardedPerBrand[brand]++;
				if (measured && !this.plan.wrongSignature()) {
					this.expected++;
					this.latencyMicros.recordValue(Math.max(1, (end - start) / 1000));
					continue;
				}
			}
			if (!measured) {
				if (status < 0) {
					HttpConnection.pause();
				}
				continue;
			}
			this.latencyMicros.recordValue(Math.max(1, (end - start) / 1000));
			if (status == 401 && this.plan.wrongSignature() && this.connection.contains(CODE_FIELD, INVALID_SIGNATURE)) {
				this.expected++;
				continue;
			}
			if (outcome == null) {
				String detail = (status == 200) ? this.connection.field(STATUS_FIELD) : this.connection.field(CODE_FIELD);
				outcome = status + " " + ((detail != null) ? detail : "-");
			}
			this.outcomes.computeIfAbsent(outcome, (key) -> new long[1])[0]++;
			if (status < 0) {
				HttpConnection.pause();
			}
		}
		this.connection.closeQuietly();
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

}
