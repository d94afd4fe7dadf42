package bot.resonance.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;

/**
 * The Resonance benchmark: sets brands up through the operator API, then runs each
 * scenario with closed-loop clients for a warm-up and a measured window, and prints one
 * table. See bench/README.md.
 */
public final class Bench {

	private Bench() {
	}

	public static void main(String[] args) throws Exception {
		Locale.setDefault(Locale.ROOT);
		if (args.length >= 1 && args[0].equals("free-ports")) {
			freePorts((args.length > 1) ? Integer.parseInt(args[1]) : 1);
			return;
		}
		if (args.length >= 1 && args[0].equals("interactions-public-key")) {
			System.out.println(InteractionClient.PUBLIC_KEY);
			return;
		}
		if (args.length == 0 || !args[0].equals("run")) {
			System.err.print(Options.USAGE);
			System.exit(2);
		}
		Options options;
		try {
			options = Options.parse(java.util.Arrays.copyOfRange(args, 1, args.length));
		}
		catch (IllegalArgumentException ex) {
			System.err.println(ex.getMessage());
			System.err.print(Options.USAGE);
			System.exit(2);
			return;
		}
		System.exit(run(options) ? 0 : 1);
	}

	/** Prints {@code count} distinct free TCP ports, one a line. */
	private static void freePorts(int count) throws IOException {
		List<ServerSocket> sockets = new ArrayList<>();
		try {
			for (int i = 0; i < count; i++) {
				ServerSocket socket = new ServerSocket(0);
				socket.setReuseAddress(true);
				sockets.add(socket);
			}
			for (ServerSocket socket : sockets) {
				System.out.println(socket.getLocalPort());
			}
		}
		finally {
			for (ServerSocket socket : sockets) {
				socket.close();
			}
		}
	}

	private static boolean run(Options options) throws Exception {
		Api api = new Api(options.target(), options.adminToken());
		if (!api.healthy()) {
			System.err.println("The server at " + options.target() + " is not healthy (GET /actuator/health)");
			return false;
		}
		JdbcBaseline jdbc = (options.pgUrl() != null)
				? new JdbcBaseline(options.pgUrl(), options.pgUser(), options.pgPassword(), options.members()) : null;
		Cpu cpu = new Cpu(options.serverPid(), options.pgPid(), options.clockTicks(),
				(jdbc != null) ? jdbc::commits : () -> -1);
		long warmup = TimeUnit.SECONDS.toNanos(options.warmupSeconds());
		long duration = TimeUnit.SECONDS.toNanos(options.durationSeconds());
		String host = options.target().getHost();
		int port = (options.target().getPort() > 0) ? options.target().getPort() : 80;

		log("Setting up brands on " + options.target());
		String run = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
		boolean needsHot = options.wants("floor") || options.wants("hot") || options.wants("hot-busy");
		Api.Brand hot = needsHot ? api.createBrand("bench-" + run + "-hot") : null;
		Api.Brand[] many = new Api.Brand[(options.wants("many") || options.wants("many-known")) ? options.brands() : 0];
		for (int i = 0; i < many.length; i++) {
			many[i] = api.createBrand("bench-" + run + "-" + i);
		}
		// Its endpoints are registered when its scenario starts: until then its events
		// produce no webhook messages, and it takes part in the server's warm-up.
		Api.Brand webhookBrand = options.wants("webhooks") ? api.createBrand("bench-" + run + "-webhooks") : null;

		Map<String, Result> results = new LinkedHashMap<>();
		List<String> notes = new ArrayList<>();
		boolean ok = true;
		Interactions interactions = null;
		if (options.wants("interactions")) {
			interactions = Interactions.setUp(api, "bench-" + run + "-interactions", options, notes);
		}
		if (options.serverWarmupSeconds() > 0 && (needsHot || many.length > 0 || webhookBrand != null)) {
			// A cold server JIT-compiles for a minute or more on two cores, and the compiler's
			// CPU is taken from the requests: give it every kind of request first, unmeasured.
			List<Api.Brand> all = new ArrayList<>();
			if (hot != null) {
				all.add(hot);
			}
			all.addAll(Arrays.asList(many));
			if (webhookBrand != null) {
				all.add(webhookBrand);
			}
			Api.Brand[] warm = all.toArray(Api.Brand[]::new);
			long seconds = options.serverWarmupSeconds();
			log("Warming the server up (" + seconds + " s, not measured)");
			warmUp(host, port, warm, true, options, TimeUnit.SECONDS.toNanos(Math.max(1, seconds / 6)));
			warmUp(host, port, warm, false, options, TimeUnit.SECONDS.toNanos(Math.max(1, seconds - seconds / 6)));
		}
		if (interactions != null && options.serverWarmupSeconds() > 0) {
			long seconds = Math.max(1, options.serverWarmupSeconds() / 3);
			log("Warming the interactions endpoint up (" + seconds + " s, not measured)");
			interactions.warmUp(host, port, options, TimeUnit.SECONDS.toNanos(seconds));
		}
		if (options.wants("floor")) {
			pauseBetween(jdbc);
			results.put("floor",
					http(api, "floor", "HTTP floor (wrong signature → 401)",
							host, port, new Api.Brand[] { hot }, true, options, options.concurrency(), warmup, duration,
							cpu));
		}
		boolean eventScenarios = EVENT_SCENARIOS.stream().anyMatch(options::wants);
		boolean batchedTwice = options.wants("jdbc-batched") && jdbc != null && eventScenarios;
		if (batchedTwice) {
			// The machine is shared, and its speed can change over a run's minutes: the
			// baseline is measured before the event scenarios as well as after them, and
			// their ratios are to the mean of the two (Report).
			try {
				log("Creating the stand-in tables in database '" + JdbcBaseline.DATABASE + "'");
				jdbc.createSchema();
				pauseBetween(jdbc);
				log("Running " + Report.BATCHED_BEFORE);
				results.put(Report.BATCHED_BEFORE, batched(jdbc, options, Report.BATCHED_BEFORE,
						", before the event scenarios", warmup, duration, cpu));
				progress(results.get(Report.BATCHED_BEFORE));
			}
			catch (Exception ex) {
				ok = false;
				notes.add("JDBC batched baseline before the event scenarios failed: " + ex);
				ex.printStackTrace();
			}
			finally {
				jdbc.dropSchema();
			}
		}
		if (options.wants("hot")) {
			pauseBetween(jdbc);
			results.put("hot", http(api, "hot", "Resonance, 1 hot brand", host, port, new Api.Brand[] { hot },
					false, options, options.concurrency(), warmup, duration, cpu));
		}
		if (options.wants("hot-busy")) {
			// The same brand under more offered load: the lane batches whatever queued while
			// the batch before ran, so more clients make bigger batches, at a higher latency.
			for (int clients : options.busyConcurrencies()) {
				pauseBetween(jdbc);
				results.put("hot-busy-" + clients,
						http(api, "hot-busy-" + clients, "Resonance, 1 hot brand, " + clients + " clients", host, port,
								new Api.Brand[] { hot }, false, options, clients, warmup, duration, cpu));
			}
		}
		if (options.wants("history") && jdbc == null) {
			notes.add("history skipped: it loads its past straight into the server's database, which needs --pg-url.");
		}
		else if (options.wants("history")) {
			// The same workload as the hot brand, on a brand with a long past.
			Api.Brand old = api.createBrand("bench-" + run + "-history");
			log("Loading " + options.historyEvents() + " past events over " + options.historyMembers()
					+ " members into a brand's history");
			double seconds = new History(options.pgUrl(), options.pgUser(), options.pgPassword()).load(old.id(),
					options.historyEvents(), options.historyMembers());
			notes.add(String.format(java.util.Locale.ROOT,
					"history: %,d past events over %,d members loaded in %.0f s before measuring; the ledger, event "
							+ "and member tables then hold them besides everything the other scenarios wrote.",
					options.historyEvents(), options.historyMembers(), seconds));
			pauseBetween(jdbc);
			results.put("history",
					http(api, "history", String.format(java.util.Locale.ROOT, "Resonance, 1 hot brand, %,d past events",
							options.historyEvents()), host, port, new Api.Brand[] { old }, false, options,
							options.concurrency(), warmup, duration, cpu));
		}
		if (options.wants("many")) {
			pauseBetween(jdbc);
			results.put("many", http(api, "many", "Resonance, " + many.length + " brands, new members", host, port,
					many, false, options, options.concurrency(), warmup, duration, cpu));
		}
		if (options.wants("many-known")) {
			// The same brands once they know their members, as a community's brands do
			// after their first days: "many" is nearly all first sights (each brand meets
			// each of its members once, and most of them are known to another brand
			// already), which create a member, its identity and its account.
			int members = Math.min(options.knownMembers(), options.members());
			log("Sending each of the " + many.length + " brands one event for each of " + members
					+ " members (not measured)");
			long started = System.nanoTime();
			everyPair(host, port, many, members, options);
			notes.add(String.format(java.util.Locale.ROOT,
					"many-known: each of the %d brands was first sent one event for each of %,d members (%,d events "
							+ "in %.0f s, not measured); the measured events then go to those members only.",
					many.length, members, (long) many.length * members, (System.nanoTime() - started) / 1e9));
			List<Integer> counts = new ArrayList<>();
			counts.add(options.concurrency());
			counts.addAll(options.busyConcurrencies());
			for (int clients : new java.util.LinkedHashSet<>(counts)) {
				pauseBetween(jdbc);
				results.put("many-known-" + clients,
						http(api, "many-known-" + clients,
								"Resonance, " + many.length + " brands, known members, " + clients + " clients", host,
								port, many, false, options, members, clients, warmup, duration, cpu));
			}
		}
		if (interactions != null) {
			pauseBetween(jdbc);
			results.put("interactions",
					interactions.run(host, port, options, warmup, duration, cpu));
		}
		boolean wantsJdbc = options.wants("jdbc-naive") || options.wants("jdbc-batched");
		if (wantsJdbc && jdbc == null) {
			notes.add("JDBC baselines skipped: no --pg-url.");
		}
		else if (wantsJdbc) {
			try {
				log("Creating the stand-in tables in database '" + JdbcBaseline.DATABASE + "'");
				jdbc.createSchema();
				if (options.wants("jdbc-naive")) {
					pauseBetween(jdbc);
					log("Running jdbc-naive");
					results.put("jdbc-naive",
							jdbc.run("jdbc-naive",
									"JDBC naive (1 award/txn, " + options.jdbcNaiveConcurrency() + " connections)",
									options.jdbcNaiveConcurrency(), 1, warmup, duration, cpu, thread(options)));
					progress(results.get("jdbc-naive"));
				}
				if (options.wants("jdbc-batched")) {
					pauseBetween(jdbc);
					log("Running jdbc-batched");
					results.put("jdbc-batched", batched(jdbc, options, "jdbc-batched",
							batchedTwice ? ", after the event scenarios" : "", warmup, duration, cpu));
					progress(results.get("jdbc-batched"));
				}
			}
			catch (Exception ex) {
				ok = false;
				notes.add("JDBC baselines failed: " + ex);
				ex.printStackTrace();
			}
			finally {
				jdbc.dropSchema();
			}
		}

		if (options.wants("webhook-baseline") || options.wants("webhooks")) {
			// Last: the server may still be delivering after the webhooks scenario's drain.
			WebhookScenarios webhooks = new WebhookScenarios(options, api, cpu);
			try {
				if (options.wants("webhook-baseline")) {
					pauseBetween(jdbc);
					results.put("webhook-baseline", webhooks.baseline(warmup, duration));
				}
				if (options.wants("webhooks")) {
					pauseBetween(jdbc);
					results.put("webhooks", webhooks.deliveries(webhookBrand, warmup, duration));
				}
			}
			catch (Exception ex) {
				ok = false;
				notes.add("Webhook scenarios failed: " + ex);
				ex.printStackTrace();
			}
			finally {
				webhooks.close();
			}
		}

		if (options.wants("analytics") && jdbc == null) {
			notes.add("analytics skipped: it loads its past straight into the server's database, which needs --pg-url.");
		}
		else if (options.wants("analytics")) {
			try {
				analytics(api, options, run, notes);
			}
			catch (Exception ex) {
				ok = false;
				notes.add("Analytics scenario failed: " + ex);
				ex.printStackTrace();
			}
		}

		if (options.wants("partitioning") && options.pgUrl() == null) {
			notes.add("partitioning skipped: it needs --pg-url.");
		}
		else if (options.wants("partitioning")) {
			try {
				notes.addAll(new Partitioning(options.pgUrl(), options.pgUser(), options.pgPassword(), 6, 200_000).run());
			}
			catch (Exception ex) {
				ok = false;
				notes.add("Partitioning scenario failed: " + ex);
				ex.printStackTrace();
			}
		}

		String report = Report.markdown(options, results, notes);
		System.out.println();
		System.out.println(report);
		if (options.out() != null) {
			if (options.out().toAbsolutePath().getParent() != null) {
				Files.createDirectories(options.out().toAbsolutePath().getParent());
			}
			Files.writeString(options.out(), report);
			log("Results written to " + options.out());
		}
		return ok;
	}

	/**
	 * The analytics scenario: a brand with a long, varied past (loaded straight into the
	 * database with the aggregates the server keeps), then each analytics request timed
	 * (median and slowest of 20, after 3 unmeasured), against the same questions asked of
	 * {@code reward_events} directly.
	 */
	private static void analytics(Api api, Options options, String run, List<String> notes) throws Exception {
		int days = 90;
		long events = options.analyticsEvents();
		int members = (options.analyticsMembers() > 0) ? options.analyticsMembers() : (int) Math.max(1, events / 20);
		Api.Brand brand = api.createBrand("bench-" + run + "-analytics");
		log("Loading " + events + " past events over " + members + " members and " + days + " days for analytics");
		History history = new History(options.pgUrl(), options.pgUser(), options.pgPassword());
		double seconds = history.loadAnalytics(brand.id(), events, members, days);
		notes.add(String.format(java.util.Locale.ROOT,
				"analytics: %,d past events of one brand over %,d members and %d days (loaded in %.0f s); each request "
						+ "answered 20 times after 3 unmeasured, median / slowest:",
				events, members, days, seconds));
		java.time.Instant endOfToday = java.time.LocalDate.now(java.time.ZoneOffset.UTC)
			.plusDays(1)
			.atStartOfDay(java.time.ZoneOffset.UTC)
			.toInstant();
		java.time.Instant endOfHour = java.time.Instant.now()
			.truncatedTo(java.time.temporal.ChronoUnit.HOURS)
			.plusSeconds(3600);
		Map<String, String> requests = new LinkedHashMap<>();
		requests.put("summary, last 7 days by day (the default)", "/v1/analytics/summary");
		requests.put("summary, last 30 days by day",
				"/v1/analytics/summary?from=" + endOfToday.minus(java.time.Duration.ofDays(30)));
		requests.put("summary, last 90 days by day (the whole history)",
				"/v1/analytics/summary?from=" + endOfToday.minus(java.time.Duration.ofDays(days)));
		requests.put("summary, last 24 hours by hour", "/v1/analytics/summary?granularity=hour");
		requests.put("summary, last 31 days by hour", "/v1/analytics/summary?granularity=hour&from="
				+ endOfHour.minus(java.time.Duration.ofDays(31)) + "&to=" + endOfHour);
		requests.put("top-members, last 30 days (the default)", "/v1/analytics/top-members");
		requests.put("top-members, last 90 days, top 100",
				"/v1/analytics/top-members?limit=100&from=" + endOfToday.minus(java.time.Duration.ofDays(days)));
		for (Map.Entry<String, String> request : requests.entrySet()) {
			for (int i = 0; i < 3; i++) {
				api.get(brand, request.getValue());
			}
			double[] millis = new double[20];
			for (int i = 0; i < millis.length; i++) {
				long start = System.nanoTime();
				api.get(brand, request.getValue());
				millis[i] = (System.nanoTime() - start) / 1e6;
			}
			java.util.Arrays.sort(millis);
			String line = String.format(java.util.Locale.ROOT, "  - %s: %.1f ms / %.1f ms", request.getKey(),
					millis[millis.length / 2], millis[millis.length - 1]);
			notes.add(line);
			log(line.trim());
		}
		double[] brute = history.bruteForceMillis(brand.id(), days, 30);
		String baseline = String.format(java.util.Locale.ROOT,
				"  - baseline, the same questions asked of reward_events directly (SQL only, no HTTP, median of 3): "
						+ "90-day summary %.0f ms, 30-day top members %.0f ms",
				brute[0], brute[1]);
		notes.add(baseline);
		log(baseline.trim());
	}

	/** Runs one event scenario. */
	private static Result http(Api api, String name, String description, String host, int port, Api.Brand[] brands,
			boolean wrongSignature, Options options, int concurrency, long warmup, long duration, Cpu cpu)
			throws Exception {
		return http(api, name, description, host, port, brands, wrongSignature, options, options.members(),
				concurrency, warmup, duration, cpu);
	}

	/** Runs one event scenario whose events go to the first {@code members} members. */
	private static Result http(Api api, String name, String description, String host, int port, Api.Brand[] brands,
			boolean wrongSignature, Options options, int members, int concurrency, long warmup, long duration,
			Cpu cpu) throws Exception {
		log("Running " + name + " (" + concurrency + " clients, " + options.warmupSeconds() + " s warm-up + "
				+ options.durationSeconds() + " s)");
		long[] balancesBefore = new long[brands.length];
		for (int i = 0; i < brands.length && !wrongSignature; i++) {
			balancesBefore[i] = api.walletBalance(brands[i]);
		}
		long start = System.nanoTime();
		long measureStart = start + warmup;
		long measureEnd = measureStart + duration;
		EventClient.Plan plan = EventClient.Plan.of(host, port, members, brands, wrongSignature, measureStart,
				measureEnd);
		List<EventClient> clients = new ArrayList<>();
		List<Thread> threads = new ArrayList<>();
		for (int i = 0; i < concurrency; i++) {
			EventClient client = new EventClient(plan);
			clients.add(client);
			threads.add(thread(options).name(name + "-" + i).start(client));
		}
		BatchPhases[] phases = new BatchPhases[2];
		int[] scrapes = { 0 };
		Cpu.Sample[] samples = sampleWindow(cpu, measureStart, measureEnd,
				() -> phases[scrapes[0]++] = api.batchPhases());
		for (Thread thread : threads) {
			thread.join();
		}
		Histogram latency = new Histogram(120_000_000L, 3);
		long expected = 0;
		long unknown = 0;
		long connects = 0;
		long slowestConnect = 0;
		long[] awarded = new long[brands.length];
		Map<String, Long> others = new java.util.TreeMap<>();
		for (EventClient client : clients) {
			latency.add(client.latencyMicros);
			expected += client.expected;
			unknown += client.unknown;
			connects += client.connectsInWindow;
			slowestConnect = Math.max(slowestConnect, client.slowestConnectMicros);
			for (int i = 0; i < brands.length; i++) {
				awarded[i] += client.awardedPerBrand[i];
			}
			client.outcomes.forEach((key, count) -> others.merge(key, count[0], Long::sum));
		}
		Result result = new Result(name, description, concurrency, duration / 1e9, expected, latency,
				cpu.between(samples[0], samples[1]));
		result.others.putAll(others);
		if (connects > 0) {
			result.notes.add(name + ": " + connects + " new connections in the measured window ("
					+ String.format("%.0f", result.latencyMicros.getTotalCount() / (double) connects)
					+ " requests per connection, slowest connect " + String.format("%.1f", slowestConnect / 1000.0)
					+ " ms): the server closed keep-alive connections (Connection: close) or they broke.");
		}
		String perBatch = (phases[0] != null && phases[1] != null) ? phases[1].perBatchSince(phases[0]) : null;
		if (perBatch != null) {
			result.notes.add(name + ": the server's batches in the measured window (its "
					+ "resonance_ingest_batch_phase_seconds), " + perBatch + ".");
		}
		if (!wrongSignature) {
			String lanes = cpu.lanes(samples[0], samples[1]);
			if (lanes != null) {
				result.notes.add(name + ": where the serial path went, in cores over the measured window "
						+ "(from /proc/*/schedstat): " + lanes + ".");
			}
			walletCheck(api, name, brands, balancesBefore, awarded, unknown, result);
		}
		progress(result);
		return result;
	}

	/**
	 * Sends each brand one event for each of the first {@code members} members, measuring
	 * nothing, with {@code --concurrency} clients.
	 */
	private static void everyPair(String host, int port, Api.Brand[] brands, int members, Options options)
			throws InterruptedException {
		unmeasured(EventClient.Plan.everyPair(host, port, members, brands), "every-pair-", options);
	}

	/** Sends events for a while, measuring nothing. */
	private static void warmUp(String host, int port, Api.Brand[] brands, boolean wrongSignature, Options options,
			long nanos) throws InterruptedException {
		long end = System.nanoTime() + nanos;
		unmeasured(EventClient.Plan.of(host, port, options.members(), brands, wrongSignature, end, end), "warm-up-",
				options);
	}

	/** Runs {@code --concurrency} clients of {@code plan} until they stop. */
	private static void unmeasured(EventClient.Plan plan, String name, Options options) throws InterruptedException {
		List<Thread> threads = new ArrayList<>();
		for (int i = 0; i < options.concurrency(); i++) {
			threads.add(thread(options).name(name + i).start(new EventClient(plan)));
		}
		for (Thread thread : threads) {
			thread.join();
		}
	}

	/**
	 * Every "awarded" answer must have moved exactly {@link Api#AMOUNT} out of the brand
	 * wallet, no more, no less (requests whose answer was lost may or may not have).
	 */
	private static void walletCheck(Api api, String name, Api.Brand[] brands, long[] before, long[] awarded,
			long unknown, Result result) throws IOException, InterruptedException {
		sleep(500);
		long expectedDebit = 0;
		long actualDebit = 0;
		int mismatched = 0;
		for (int i = 0; i < brands.length; i++) {
			long debit = before[i] - api.walletBalance(brands[i]);
			expectedDebit += awarded[i] * Api.AMOUNT;
			actualDebit += debit;
			if (debit != awarded[i] * Api.AMOUNT) {
				mismatched++;
			}
		}
		long totalAwarded = expectedDebit / Api.AMOUNT;
		if (mismatched == 0) {
			result.notes.add(name + ": wallet check OK, " + totalAwarded + " awards answered (warm-up included) = "
					+ actualDebit + " debited from " + brands.length + " wallet(s).");
		}
		else {
			result.notes.add(name + ": WALLET MISMATCH in " + mismatched + " of " + brands.length + " wallets: "
					+ totalAwarded + " awards answered (×" + Api.AMOUNT + " = " + expectedDebit + ") but "
					+ actualDebit + " debited" + ((unknown > 0) ? "; " + unknown + " requests had no answer" : "")
					+ ".");
		}
	}

	/**
	 * What runs each client. Platform threads by default: on a small machine shared with
	 * the server they cost about half the CPU per request of virtual threads (whose
	 * blocking socket reads go through the poller and the carrier pool), and add no
	 * scheduling delay to the measured latency.
	 */
	static Thread.Builder thread(Options options) {
		return options.virtualThreads() ? Thread.ofVirtual() : Thread.ofPlatform().daemon(true);
	}

	/** Samples CPU when the measured window starts and ends (blocks until it ends). */
	static Cpu.Sample[] sampleWindow(Cpu cpu, long measureStart, long measureEnd) {
		return sampleWindow(cpu, measureStart, measureEnd, () -> {
		});
	}

	/**
	 * Samples CPU when the measured window starts and ends (blocks until it ends), and
	 * runs {@code alsoSample} right after each CPU sample.
	 */
	static Cpu.Sample[] sampleWindow(Cpu cpu, long measureStart, long measureEnd, Runnable alsoSample) {
		sleep(TimeUnit.NANOSECONDS.toMillis(measureStart - System.nanoTime()));
		Cpu.Sample first = cpu.sample();
		alsoSample.run();
		sleep(TimeUnit.NANOSECONDS.toMillis(measureEnd - System.nanoTime()));
		Cpu.Sample last = cpu.sample();
		alsoSample.run();
		return new Cpu.Sample[] { first, last };
	}

	/** The scenarios that send events, whose rows are read as ratios to the batched baseline. */
	private static final List<String> EVENT_SCENARIOS = List.of("hot", "hot-busy", "history", "many", "many-known");

	/** One measurement of the batched JDBC baseline, in the stand-in tables. */
	private static Result batched(JdbcBaseline jdbc, Options options, String name, String when, long warmup,
			long duration, Cpu cpu) throws Exception {
		return jdbc.run(name,
				"JDBC batched (" + options.jdbcBatch() + " awards/txn, " + options.jdbcBatchedConcurrency()
						+ " connections)" + when,
				options.jdbcBatchedConcurrency(), options.jdbcBatch(), warmup, duration, cpu, thread(options));
	}

	/** Lets the previous scenario's work settle, and checkpoints when it can. */
	private static void pauseBetween(JdbcBaseline jdbc) {
		if (jdbc != null) {
			jdbc.checkpoint();
		}
		sleep(1000);
	}

	private static void progress(Result result) {
		log(String.format("  %s: %.0f/s, p50 %.1f ms, p99 %.1f ms, other outcomes: %s", result.name,
				result.perSecond(), result.millis(50), result.millis(99), result.describeOthers()));
	}

	static void log(String message) {
		System.out.println("[" + ZonedDateTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss")) + "] " + message);
		System.out.flush();
	}

	static void sleep(long millis) {
		if (millis <= 0) {
			return;
		}
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
