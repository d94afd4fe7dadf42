package bot.resonance.bench;

import java.io.IOException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.HdrHistogram.Histogram;

/**
 * The webhook scenarios. {@code webhooks}: a brand with N endpoints on the local
 * {@link WebhookReceiver} gets events at full speed; what counts is how many deliveries
 * arrive per second, how long after their message was written, and, once the backlog has
 * drained, whether every message reached every endpoint exactly once, correctly signed.
 * {@code webhook-baseline}: lean clients POST deliveries of the same size to the same
 * receiver, the ceiling of the receiver and the loopback on this machine.
 */
final class WebhookScenarios {

	private final Options options;

	private final Api api;

	private final Cpu cpu;

	private final WebhookReceiver receiver;

	WebhookScenarios(Options options, Api api, Cpu cpu) throws IOException {
		this.options = options;
		this.api = api;
		this.cpu = cpu;
		this.receiver = new WebhookReceiver(options.receiverHost());
		Bench.log("Webhook receiver listening on " + options.receiverHost() + ":" + this.receiver.port());
	}

	void close() {
		this.receiver.close();
	}

	/** The webhook-baseline scenario. */
	WebhookResult baseline(long warmup, long duration) throws InterruptedException {
		int endpoints = this.options.webhookEndpoints();
		int connections = this.options.webhookBaselineConcurrency();
		Bench.log("Running webhook-baseline (" + connections + " connections to " + endpoints + " endpoints, "
				+ this.options.warmupSeconds() + " s warm-up + " + this.options.durationSeconds() + " s)");
		String[] secrets = new String[endpoints];
		SecureRandom random = new SecureRandom();
		for (int i = 0; i < endpoints; i++) {
			byte[] key = new byte[32];
			random.nextBytes(key);
			secrets[i] = "whsec_" + Base64.getEncoder().encodeToString(key);
		}
		long start = System.nanoTime();
		long measureStart = start + warmup;
		long measureEnd = measureStart + duration;
		WebhookReceiver.Phase phase = this.receiver.begin(secrets, measureStart, measureEnd);
		WebhookClient.Plan plan = WebhookClient.Plan.of(this.options.receiverHost(), this.receiver.port(), secrets,
				measureStart, measureEnd);
		List<WebhookClient> clients = new ArrayList<>();
		List<Thread> threads = new ArrayList<>();
		for (int i = 0; i < connections; i++) {
			WebhookClient client = new WebhookClient(plan, i);
			clients.add(client);
			threads.add(Bench.thread(this.options).name("webhook-baseline-" + i).start(client));
		}
		Cpu.Sample[] samples = Bench.sampleWindow(this.cpu, measureStart, measureEnd);
		for (Thread thread : threads) {
			thread.join();
		}
		Histogram latency = new Histogram(120_000_000L, 3);
		long ok = 0;
		long connects = 0;
		Map<String, Long> others = new TreeMap<>();
		for (WebhookClient client : clients) {
			latency.add(client.latencyMicros);
			ok += client.ok;
			connects += client.connectsInWindow;
			client.outcomes.forEach((key, count) -> others.merge(key, count[0], Long::sum));
		}
		long sent = plan.messages().get() - 1;
		WebhookResult result = new WebhookResult("webhook-baseline",
				"Baseline: lean HTTP client loop → receiver (" + connections + " connections)", connections,
				duration / 1e9, ok, latency, this.cpu.between(samples[0], samples[1]));
		result.events = -1;
		result.others.putAll(others);
		result.expectedTotal = sent;
		result.distinctTotal = phase.distinctTotal();
		collect(result, phase);
		result.notes.add(String.format(
				"webhook-baseline: %,d requests of %d bytes (a reward.earned body's shape), %d connections; the receiver "
						+ "saw %,d in the window and %,d in all (%,d sent), answered 200 to each; request→response "
						+ "latency measured by the client.%s",
				sent, plan.bodyLength(), connections, phase.inWindow.sum(), phase.received.sum(), sent,
				(connects > 0) ? " " + connects + " connections opened in the window." : ""));
		log(result);
		return result;
	}

	/** The webhooks scenario. */
	WebhookResult deliveries(Api.Brand brand, long warmup, long duration) throws Exception {
		int endpoints = this.options.webhookEndpoints();
		String host = this.options.target().getHost();
		int port = (this.options.target().getPort() > 0) ? this.options.target().getPort() : 80;
		String[] secrets = new String[endpoints];
		for (int i = 0; i < endpoints; i++) {
			String url = "http://" + this.options.receiverHost() + ":" + this.receiver.port() + "/e" + i;
			secrets[i] = this.api.createWebhook(brand, url).secret();
		}
		Bench.log("Running webhooks (" + this.options.concurrency() + " event clients, " + endpoints
				+ " endpoints, " + this.options.warmupSeconds() + " s warm-up + " + this.options.durationSeconds()
				+ " s, then up to " + this.options.webhookDrainSeconds() + " s for the backlog)");
		long balanceBefore = this.api.walletBalance(brand);
		long start = System.nanoTime();
		long measureStart = start + warmup;
		long measureEnd = measureStart + duration;
		WebhookReceiver.Phase phase = this.receiver.begin(secrets, measureStart, measureEnd);
		EventClient.Plan plan = EventClient.Plan.of(host, port, this.options.members(), new Api.Brand[] { brand },
				false, measureStart, measureEnd);
		List<EventClient> clients = new ArrayList<>();
		List<Thread> threads = new ArrayList<>();
		for (int i = 0; i < this.options.concurrency(); i++) {
			EventClient client = new EventClient(plan);
			clients.add(client);
			threads.add(Bench.thread(this.options).name("webhooks-" + i).start(client));
		}
		Timeline timeline = new Timeline(phase, start, measureStart, measureEnd);
		Cpu.Sample[] samples = Bench.sampleWindow(this.cpu, measureStart, measureEnd);
		long distinctAtEnd = phase.distinctTotal();
		for (Thread thread : threads) {
			thread.join();
		}
		long awarded = 0;
		long eventsInWindow = 0;
		long unknown = 0;
		Histogram eventLatency = new Histogram(120_000_000L, 3);
		Map<String, Long> others = new TreeMap<>();
		for (EventClient client : clients) {
			awarded += client.awardedPerBrand[0];
			eventsInWindow += client.expected;
			unknown += client.unknown;
			eventLatency.add(client.latencyMicros);
			client.outcomes.forEach((key, count) -> others.merge("event " + key, count[0], Long::sum));
		}
		long expected = awarded * endpoints;
		long backlogAtEnd = Math.max(0, expected - distinctAtEnd);

		// The deliveries lag the events: wait (bounded) for the rest.
		long drainStart = System.nanoTime();
		long drainDeadline = drainStart + TimeUnit.SECONDS.toNanos(this.options.webhookDrainSeconds());
		long lastProgress = drainStart;
		long last = phase.distinctTotal();
		while (last < expected && System.nanoTime() < drainDeadline) {
			Bench.sleep(200);
			long now = phase.distinctTotal();
			if (now != last) {
				lastProgress = System.nanoTime();
				last = now;
			}
			else if (System.nanoTime() - lastProgress > TimeUnit.SECONDS.toNanos(60)) {
				break;
			}
		}
		double drainSeconds = (System.nanoTime() - drainStart) / 1e9;
		timeline.stop();
		long drained = phase.distinctTotal() - distinctAtEnd;
		// Duplicates and retries that trail the last delivery.
		Bench.sleep(1000);

		WebhookResult result = new WebhookResult("webhooks",
				"Resonance → " + endpoints + " endpoints (" + this.options.concurrency() + " event clients)",
				this.options.concurrency(), duration / 1e9, phase.inWindow.sum(), phase.latencyWindow.copy(),
				this.cpu.between(samples[0], samples[1]));
		result.events = eventsInWindow;
		result.eventLatency = eventLatency;
		result.others.putAll(others);
		result.expectedTotal = expected;
		result.distinctTotal = phase.distinctTotal();
		result.backlogAtEnd = backlogAtEnd;
		result.drainSeconds = drainSeconds;
		result.drainComplete = result.distinctTotal >= expected;
		collect(result, phase);
		result.notes.add(String.format(
				"webhooks: %,d events awarded (warm-up included) × %d endpoints = %,d deliveries expected; %,d had "
						+ "arrived when the window closed (backlog %,d); %s after %.0f s (%,d more, %.0f/s); per "
						+ "endpoint %,d to %,d distinct; mean body %d bytes.",
				awarded, endpoints, expected, distinctAtEnd, backlogAtEnd,
				result.drainComplete ? "all arrived" : String.format("%,d had not arrived", expected - result.distinctTotal),
				drainSeconds,
				drained, (drainSeconds > 0.2) ? drained / drainSeconds : 0.0, phase.distinctMin(), phase.distinctMax(),
				(phase.received.sum() > 0) ? phase.bodyBytes.sum() / phase.received.sum() : 0));
		if (phase.latencyAll.getTotalCount() > 0 && eventLatency.getTotalCount() > 0) {
			result.notes.add(String.format(
					"webhooks: commit→receipt over every delivery (warm-up and drain included): p50 %s ms, p99 %s ms, "
							+ "max %s ms; events answered in the window: p50 %.1f ms, p99 %.1f ms.",
					Report.ms(phase.latencyAll.getValueAtPercentile(50) / 1000.0),
					Report.ms(phase.latencyAll.getValueAtPercentile(99) / 1000.0),
					Report.ms(phase.latencyAll.getMaxValue() / 1000.0),
					eventLatency.getValueAtPercentile(50) / 1000.0, eventLatency.getValueAtPercentile(99) / 1000.0));
		}
		result.notes.add("webhooks: deliveries/s from the start of the warm-up to the end of the drain, in "
				+ timeline.describe() + " (| = window start and end).");
		if (unknown > 0) {
			result.notes.add("webhooks: " + unknown + " events lost their answer (they may or may not have been "
					+ "awarded, so the expected count may be off by as many × endpoints).");
		}
		Map<String, long[]> statuses = deliveryStatuses(brand.id());
		if (statuses != null) {
			long queued = 0;
			StringBuilder text = new StringBuilder();
			for (Map.Entry<String, long[]> status : statuses.entrySet()) {
				if (status.getKey().equals("pending") || status.getKey().equals("sending")) {
					queued += status.getValue()[0];
				}
				text.append(text.isEmpty() ? "" : ", ")
					.append(String.format("%s %,d (attempts ≤ %d)", status.getKey(), status.getValue()[0],
							status.getValue()[1]));
			}
			result.queuedAtServer = queued;
			result.deadAtServer = statuses.containsKey("dead") ? statuses.get("dead")[0] : 0;
			result.notes.add("webhooks: the server's deliveries of the brand by status after the drain: "
					+ (text.isEmpty() ? "none" : text) + ".");
		}
		if (!result.drainComplete) {
			result.notes.add(result.stillQueued()
					? "webhooks: the drain ended (--webhook-drain) before every delivery arrived; the server still "
							+ "had exactly the rest queued and none dead: late, not lost."
					: "webhooks: DELIVERIES MISSING: the drain ended before every delivery arrived, and the "
							+ "server's queue does not account for the rest (see its statuses).");
		}
		long debit = balanceBefore - this.api.walletBalance(brand);
		if (debit != awarded * Api.AMOUNT) {
			result.notes.add("webhooks: WALLET MISMATCH: " + awarded + " awards answered but " + debit + " debited.");
		}
		log(result);
		return result;
	}

	/** What the receiver checked, into the result. */
	private static void collect(WebhookResult result, WebhookReceiver.Phase phase) {
		result.duplicates = phase.duplicates.sum();
		result.badSignatures = phase.badSignatures.sum();
		result.retries = phase.retries.sum();
		result.rejected = phase.rejected.sum();
		result.noTimestamp = phase.noTimestamp.sum();
	}

	/**
	 * The brand's webhook deliveries by status (count, most attempts), straight from the
	 * server's database ({@code resonance}, next to --pg-url's), or null without --pg-url
	 * or if it cannot be read.
	 */
	private Map<String, long[]> deliveryStatuses(String brandId) {
		if (this.options.pgUrl() == null) {
			return null;
		}
		Matcher url = Pattern.compile("(jdbc:postgresql://[^/?]+)(/[^?]*)?(\\?.*)?").matcher(this.options.pgUrl());
		if (!url.matches()) {
			return null;
		}
		Properties credentials = new Properties();
		credentials.setProperty("user", this.options.pgUser());
		credentials.setProperty("password", this.options.pgPassword());
		try (Connection connection = DriverManager.getConnection(
				url.group(1) + "/resonance" + ((url.group(3) != null) ? url.group(3) : ""), credentials);
				PreparedStatement query = connection.prepareStatement(
						"select status, count(*), max(attempts) from webhook_deliveries where brand_id = ? "
								+ "group by status order by status")) {
			query.setString(1, brandId);
			Map<String, long[]> statuses = new TreeMap<>();
			try (ResultSet rows = query.executeQuery()) {
				while (rows.next()) {
					statuses.put(rows.getString(1), new long[] { rows.getLong(2), rows.getLong(3) });
				}
			}
			return statuses;
		}
		catch (SQLException ex) {
			Bench.log("Could not read the server's webhook deliveries: " + ex.getMessage());
			return null;
		}
	}

	private static void log(WebhookResult result) {
		Bench.log(String.format("  %s: %.0f deliveries/s%s, p50 %s ms, p99 %s ms, %s", result.name,
				result.perSecond(), (result.events >= 0) ? String.format(" (%.0f events/s)", result.eventsPerSecond())
						: "",
				Report.ms(result.millis(50)), Report.ms(result.millis(99)), result.checks()));
	}

	/** Deliveries received per second, sampled every second on a thread of its own. */
	private static final class Timeline {

		private final List<long[]> samples = new ArrayList<>();

		private final long measureStart;

		private final long measureEnd;

		private final Thread thread;

		private volatile boolean running = true;

		Timeline(WebhookReceiver.Phase phase, long start, long measureStart, long measureEnd) {
			this.measureStart = measureStart;
			this.measureEnd = measureEnd;
			this.thread = Thread.ofPlatform().name("webhook-timeline").daemon(true).start(() -> {
				long next = start;
				while (this.running) {
					synchronized (this.samples) {
						this.samples.add(new long[] { System.nanoTime(), phase.received.sum() });
					}
					next += TimeUnit.SECONDS.toNanos(1);
					Bench.sleep(TimeUnit.NANOSECONDS.toMillis(next - System.nanoTime()));
				}
			});
		}

		void stop() throws InterruptedException {
			this.running = false;
			this.thread.join();
		}

		String describe() {
			StringBuilder text = new StringBuilder();
			synchronized (this.samples) {
				int step = Math.max(1, (this.samples.size() + 29) / 30);
				text.append(step).append(" s steps: ");
				for (int i = step; i < this.samples.size(); i += step) {
					long[] from = this.samples.get(i - step);
					long[] to = this.samples.get(i);
					if (from[0] < this.measureStart && to[0] >= this.measureStart
							|| from[0] < this.measureEnd && to[0] >= this.measureEnd) {
						text.append("| ");
					}
					text.append(String.format("%.0f ", (to[1] - from[1]) / ((to[0] - from[0]) / 1e9)));
				}
			}
			return text.toString().strip();
		}

	}

	/** What one webhook scenario measured. */
	static final class WebhookResult extends Result {

		/** Events awarded in the window (webhooks), or -1 (baseline). */
		long events = -1;

		Histogram eventLatency;

		/** Deliveries that should arrive in all: events awarded × endpoints, or requests sent. */
		long expectedTotal;

		/** Distinct (endpoint, webhook-id) pairs the receiver got. */
		long distinctTotal;

		long backlogAtEnd = -1;

		double drainSeconds = -1;

		boolean drainComplete = true;

		long duplicates;

		long badSignatures;

		long retries;

		long rejected;

		long noTimestamp;

		WebhookResult(String name, String description, int clients, double seconds, long expected,
				Histogram latencyMicros, Cpu.Usage cpu) {
			super(name, description, clients, seconds, expected, latencyMicros, cpu);
		}

		double eventsPerSecond() {
			return this.events / this.seconds;
		}

		/** Deliveries the server still had to send after the drain (pending, sending), or -1. */
		long queuedAtServer = -1;

		/** Deliveries the server gave up on (dead), or -1. */
		long deadAtServer = -1;

		/** Whether every delivery arrived once, correctly signed. */
		boolean allGood() {
			return this.distinctTotal >= this.expectedTotal && clean();
		}

		/** No duplicate, no bad signature, no rejected request. */
		boolean clean() {
			return this.duplicates == 0 && this.badSignatures == 0 && this.rejected == 0;
		}

		/**
		 * Not all arrived within the drain, but the server still has exactly the rest queued
		 * and gave none up: late, not lost.
		 */
		boolean stillQueued() {
			return !allGood() && clean() && this.deadAtServer == 0
					&& this.distinctTotal + this.queuedAtServer == this.expectedTotal;
		}

		/** The "arrived / expected" cell. */
		String arrived() {
			String counts = String.format("%,d / %,d", this.distinctTotal, this.expectedTotal);
			if (allGood()) {
				return counts + " ✓";
			}
			if (stillQueued()) {
				return counts + " (rest queued)";
			}
			return counts + " ✗";
		}

		String checks() {
			return String.format("%,d of %,d arrived, %d duplicates, %d bad signatures%s%s", this.distinctTotal,
					this.expectedTotal, this.duplicates, this.badSignatures,
					(this.retries > 0) ? ", " + this.retries + " retries" : "",
					(this.rejected > 0) ? ", " + this.rejected + " rejected requests" : "");
		}

	}

}
