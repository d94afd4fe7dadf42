package bot.resonance.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.HdrHistogram.Histogram;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * One closed-loop client of {@code POST /discord/interactions}: slash commands in the
 * bench guild, each a real interaction payload with a fresh interaction id, from one of
 * the members at random, signed as Discord signs them (Ed25519 over
 * {@code X-Signature-Timestamp} + body) with the bench application's key.
 */
final class InteractionClient implements Runnable {

	/**
	 * The bench application's Ed25519 private key (its seed). Not a secret: a server
	 * benchmarked with the interactions scenario is given {@link #PUBLIC_KEY} as
	 * {@code DISCORD_INTERACTIONS_PUBLIC_KEY}, and accepts interactions signed by anyone
	 * who has this file.
	 */
	private static final byte[] PRIVATE_KEY = HexFormat.of()
		.parseHex("b3e1a7c06d2f4b5e8a9c1d2e3f405162738495a6b7c8d9eaf001122334455667");

	/** The bench application's public key, as the server takes it. */
	static final String PUBLIC_KEY;

	/** The bench application's id. */
	static final String APPLICATION_ID = "1100000000000000777";

	private static final byte[] PUBLIC_KEY_BYTES = new byte[Ed25519.PUBLIC_KEY_SIZE];

	static {
		Ed25519.generatePublicKey(PRIVATE_KEY, 0, PUBLIC_KEY_BYTES, 0);
		PUBLIC_KEY = HexFormat.of().formatHex(PUBLIC_KEY_BYTES);
	}

	private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] CONTENT_FIELD = "\"content\":\"".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] CODE_FIELD = "\"code\":\"".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] MESSAGE = "\"type\":4".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] DEFERRED = "\"type\":5".getBytes(StandardCharsets.US_ASCII);

	/** Answers that are not the command's own, by what they say. */
	private static final List<String> REFUSALS = List.of("already being processed", "Already handled",
			"not connected to Resonance", "Run /register", "not one Resonance knows", "Unknown command",
			"works in a server", "for the server's admins");

	private static final byte[][] REFUSAL_BYTES = REFUSALS.stream()
		.map((text) -> text.getBytes(StandardCharsets.UTF_8))
		.toArray(byte[][]::new);

	/** A command to send: {@code name}, or {@code name:subcommand}. */
	record Command(String name, String subcommand) {

		static Command parse(String text) {
			String[] parts = text.trim().split(":", 2);
			if (!parts[0].matches("[a-z0-9_-]{1,32}")
					|| (parts.length == 2 && !parts[1].matches("[a-z0-9_-]{1,32}"))) {
				throw new IllegalArgumentException(
						"A command is name or name:subcommand (a-z, 0-9, - and _): " + text);
			}
			return new Command(parts[0], (parts.length == 2) ? parts[1] : null);
		}

		@Override
		public String toString() {
			return "/" + this.name + ((this.subcommand != null) ? " " + this.subcommand : "");
		}

		/** The payload's {@code data}. */
		String data() {
			String options = (this.subcommand != null)
					? "[{\"name\":\"" + this.subcommand + "\",\"type\":1,\"options\":[]}]" : "[]";
			return "{\"id\":\"1100000000000000800\",\"name\":\"" + this.name + "\",\"type\":1,\"options\":" + options
					+ "}";
		}

	}

	/**
	 * What a run shares between its clients; read-only. Interaction ids are
	 * {@code firstId + client + k * clients}: unique across clients and runs.
	 */
	record Plan(String host, int port, byte[][] members, byte[] guildId, byte[] channelId, byte[][] commandData,
			byte[] headPrefix, long firstId, int clients, long measureStart, long measureEnd) {

		static Plan of(String host, int port, int members, String guildId, List<Command> commands, long firstId,
				int clients, long measureStart, long measureEnd) {
			byte[][] memberIds = new byte[members][];
			for (int i = 0; i < members; i++) {
				memberIds[i] = Long.toString(100_000_000_000_000_000L + i).getBytes(StandardCharsets.US_ASCII);
			}
			byte[][] data = commands.stream()
				.map((command) -> command.data().getBytes(StandardCharsets.US_ASCII))
				.toArray(byte[][]::new);
			byte[] head = ("POST /discord/interactions HTTP/1.1\r\nHost: " + host + ":" + port
					+ "\r\nContent-Type: application/json\r\nX-Signature-Ed25519: ")
				.getBytes(StandardCharsets.US_ASCII);
			return new Plan(host, port, memberIds, guildId.getBytes(StandardCharsets.US_ASCII),
					Long.toString(Long.parseLong(guildId) + 1).getBytes(StandardCharsets.US_ASCII), data, head,
					firstId, clients, measureStart, measureEnd);
		}

	}

	private final Plan plan;

	private final int index;

	private final HttpConnection connection;

	/** What is signed: the timestamp, then the body. */
	private final byte[] signed = new byte[4096];

	private final byte[] signature = new byte[Ed25519.SIGNATURE_SIZE];

	private final byte[] request = new byte[8192];

	private long sent;

	// Results, read by the runner after the thread ends.

	final Histogram latencyMicros = new Histogram(120_000_000L, 3);

	final Map<String, long[]> outcomes = new HashMap<>();

	/** Commands answered with their own message in the measured window. */
	long expected;

	/** Requests whose outcome is unknown (connection lost mid-request), whole run. */
	long unknown;

	/** Connections opened in the measured window. */
	long connectsInWindow;

	InteractionClient(Plan plan, int index) {
		this.plan = plan;
		this.index = index;
		this.connection = new HttpConnection(plan.host(), plan.port());
	}

	@Override
	public void run() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		int commands = this.plan.commandData().length;
		int memberCount = this.plan.members().length;
		while (true) {
			long start = System.nanoTime();
			if (start >= this.plan.measureEnd()) {
				break;
			}
			int command = (commands == 1) ? 0 : random.nextInt(commands);
			int length = prepare(command, random.nextInt(memberCount));
			String outcome = null;
			int status;
			boolean wasOpen = this.connection.isOpen();
			try {
				status = this.connection.exchange(this.request, length);
			}
			catch (IOException ex) {
				this.connection.closeQuietly();
				status = -1;
				outcome = "IO " + ex.getClass().getSimpleName();
				this.unknown++;
			}
			long end = System.nanoTime();
			boolean measured = end >= this.plan.measureStart() && end < this.plan.measureEnd();
			if (!measured) {
				if (status < 0) {
					HttpConnection.pause();
				}
				continue;
			}
			if (!wasOpen) {
				this.connectsInWindow++;
			}
			this.latencyMicros.recordValue(Math.max(1, (end - start) / 1000));
			if (status == 200 && outcome == null) {
				String refusal = refusal();
				if (refusal == null && (this.connection.bodyContains(MESSAGE) || this.connection.bodyContains(DEFERRED))) {
					this.expected++;
					continue;
				}
				outcome = "200 " + ((refusal != null) ? "\"" + refusal + "\"" : "no message");
			}
			else if (outcome == null) {
				String code = this.connection.field(CODE_FIELD);
				outcome = status + " " + ((code != null) ? code : "-");
			}
			this.outcomes.computeIfAbsent(outcome, (key) -> new long[1])[0]++;
			if (status < 0) {
				HttpConnection.pause();
			}
		}
		this.connection.closeQuietly();
	}

	/**
	 * Sends one interaction of {@code plan}'s first command from its first member, and
	 * answers the status and body: to show, before measuring, what the command answers.
	 */
	static String once(Plan plan) throws IOException {
		InteractionClient client = new InteractionClient(plan, 0);
		try {
			int status = client.connection.exchange(client.request, client.prepare(0, 0));
			return status + " " + client.connection.body();
		}
		finally {
			client.connection.closeQuietly();
		}
	}

	private String refusal() {
		for (int i = 0; i < REFUSAL_BYTES.length; i++) {
			if (this.connection.bodyContains(REFUSAL_BYTES[i])) {
				return REFUSALS.get(i);
			}
		}
		return null;
	}

	/** Writes the signed request into {@link #request}; returns its length. */
	private int prepare(int command, int member) {
		long id = this.plan.firstId() + this.index + this.sent++ * this.plan.clients();
		// The timestamp first: Discord signs timestamp + body.
		int n = Bytes.digits(this.signed, 0, System.currentTimeMillis() / 1000);
		int timestampLength = n;
		n = Bytes.ascii(this.signed, n, "{\"id\":\"");
		n = Bytes.digits(this.signed, n, id);
		n = Bytes.ascii(this.signed, n, "\",\"application_id\":\"" + APPLICATION_ID + "\",\"type\":2,\"token\":\"bench-");
		n = Bytes.digits(this.signed, n, id);
		n = Bytes.ascii(this.signed, n, "\",\"version\":1,\"guild_id\":\"");
		n = copy(this.plan.guildId(), n);
		n = Bytes.ascii(this.signed, n, "\",\"channel_id\":\"");
		n = copy(this.plan.channelId(), n);
		n = Bytes.ascii(this.signed, n, "\",\"member\":{\"user\":{\"id\":\"");
		byte[] user = this.plan.members()[member];
		n = copy(user, n);
		n = Bytes.ascii(this.signed, n, "\",\"username\":\"bench");
		n = copy(user, n);
		n = Bytes.ascii(this.signed, n, "\"},\"roles\":[],\"permissions\":\"0\"},\"data\":");
		n = copy(this.plan.commandData()[command], n);
		n = Bytes.ascii(this.signed, n, "}");
		int bodyLength = n - timestampLength;
		Ed25519.sign(PRIVATE_KEY, 0, PUBLIC_KEY_BYTES, 0, this.signed, 0, n, this.signature, 0);

		byte[] head = this.plan.headPrefix();
		int r = 0;
		System.arraycopy(head, 0, this.request, r, head.length);
		r += head.length;
		for (byte b : this.signature) {
			this.request[r++] = HEX[(b >> 4) & 0xf];
			this.request[r++] = HEX[b & 0xf];
		}
		r = Bytes.ascii(this.request, r, "\r\nX-Signature-Timestamp: ");
		System.arraycopy(this.signed, 0, this.request, r, timestampLength);
		r += timestampLength;
		r = Bytes.ascii(this.request, r, "\r\nContent-Length: ");
		r = Bytes.digits(this.request, r, bodyLength);
		r = Bytes.ascii(this.request, r, "\r\n\r\n");
		System.arraycopy(this.signed, timestampLength, this.request, r, bodyLength);
		return r + bodyLength;
	}

	private int copy(byte[] bytes, int at) {
		System.arraycopy(bytes, 0, this.signed, at, bytes.length);
		return at + bytes.length;
	}

}
