package bot.resonance.bench;

import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Command-line settings of one benchmark run ({@code --name value} pairs). */
record Options(URI target, String adminToken, String pgUrl, String pgUser, String pgPassword, int durationSeconds,
		int warmupSeconds, int concurrency, int members, int brands, int jdbcBatch, List<String> scenarios,
		Path out, long serverPid, long pgPid, int clockTicks, String label, boolean virtualThreads,
		int serverWarmupSeconds, int jdbcNaiveConcurrency, int jdbcBatchedConcurrency, int historyEvents,
		int historyMembers, int webhookEndpoints, int webhookBaselineConcurrency, int webhookDrainSeconds,
		String receiverHost, int analyticsEvents, int analyticsMembers,
		List<InteractionClient.Command> interactionCommands, List<Integer> busyConcurrencies, int knownMembers) {

	static final List<String> DEFAULT_SCENARIOS = List.of("floor", "hot", "hot-busy", "history", "many", "many-known",
			"interactions", "jdbc-naive", "jdbc-batched", "webhook-baseline", "webhooks", "analytics");

	/** Every scenario: the default ones and those run only when asked for. */
	static final List<String> ALL_SCENARIOS = java.util.stream.Stream
		.concat(DEFAULT_SCENARIOS.stream(), java.util.stream.Stream.of("partitioning"))
		.toList();

	/** The interactions scenario's commands unless told otherwise. */
	static final String DEFAULT_INTERACTION_COMMANDS = "balance,checkin";

	static final String USAGE = """
			usage: java -jar resonance-bench.jar run --target URL --admin-token TOKEN [options]
			       java -jar resonance-bench.jar free-ports N
			       java -jar resonance-bench.jar interactions-public-key

			  --target URL          a running Resonance server (http only), e.g. http://127.0.0.1:8080
			  --admin-token T       its operator token
			  --pg-url URL          its PostgreSQL, for the JDBC baselines, e.g. jdbc:postgresql://localhost:5432/postgres
			                        (a database 'bench' is created there); without it the JDBC baselines are skipped
			  --pg-user U           default postgres
			  --pg-password P       default empty
			  --duration S          measured seconds per scenario (default 20)
			  --warmup S            unmeasured seconds before each scenario (default 5)
			  --server-warmup S     unmeasured traffic before the first scenario, while the server's JIT
			                        compiler settles (default 60; 0 skips it)
			  --concurrency C       closed-loop clients (default 64)
			  --busy-concurrency LIST  closed-loop clients of the hot-busy scenario, comma-separated: the
			                        hot brand under more offered load (bigger batches, higher latency), one
			                        row per count (default 80,96,128,192); the many-known scenario runs them too
			  --members M           distinct members (Discord user ids) events go to (default 100000)
			  --brands N            brands in the many-brands scenarios (default 50)
			  --known-members M     members per brand in the many-known scenario (default 2000): each brand
			                        is sent one event for each of them first (unmeasured), then the brands
			                        are measured with --concurrency clients and with each count of
			                        --busy-concurrency, one row each
			  --jdbc-batch B        awards per transaction in the batched JDBC baseline (default 50)
			  --jdbc-naive-concurrency C    connections of the naive JDBC baseline (default 8, like the
			                        reference pgbench run; more only adds contention on the wallet row)
			  --jdbc-batched-concurrency C  connections of the batched JDBC baseline (default 2)
			  --scenarios LIST      comma-separated, from floor,hot,hot-busy,history,many,many-known,interactions,jdbc-naive,
			                        jdbc-batched,webhook-baseline,webhooks,analytics (default all of these),
			                        and partitioning (only when asked for; needs --pg-url)
			  --interaction-commands LIST   the slash commands of the interactions scenario, comma-separated,
			                        each name or name:subcommand, picked at random per request
			                        (default balance,checkin; e.g. wallet:balance). The target must take
			                        the bench's key: DISCORD_INTERACTIONS_PUBLIC_KEY = interactions-public-key
			  --history-events N    events loaded into a brand's past for the history scenario (default 1000000)
			  --analytics-events N  events loaded into a brand's past (90 days) for the analytics scenario
			  --analytics-members N  the members those events come from (0: one per 20 events)
			                        (default 2000000)
			  --history-members N   members they are spread over (default 200000)
			  --out FILE            also write the results as markdown to FILE
			  --server-pid PID      the server's JVM, to report its CPU use
			  --pg-pid PID          the PostgreSQL postmaster, to report its CPU use (with its backends)
			  --clock-ticks N       USER_HZ of /proc (default 100)
			  --label TEXT          a line describing the run, put in the markdown header
			  --threads KIND        platform (default) or virtual: what runs each closed-loop client
			  --webhook-endpoints N endpoints of the webhooks scenario's brand, all on the local receiver (default 10)
			  --webhook-baseline-concurrency C   connections of the webhook baseline's client loop (default 64)
			  --webhook-drain S     after the webhooks window, how long to wait at most for the deliveries
			                        still due (default 120)
			  --receiver-host H     the address the webhook receiver listens on and the endpoint URLs name
			                        (default 127.0.0.1; the target must reach it and allow it as a private target)
			""";

	static Options parse(String[] args) {
		Map<String, String> values = new LinkedHashMap<>();
		for (int i = 0; i < args.length; i++) {
			String name = args[i];
			if (!name.startsWith("--") || i + 1 >= args.length) {
				throw new IllegalArgumentException("Expected --name value pairs, got: " + Arrays.toString(args));
			}
			values.put(name.substring(2), args[++i]);
		}
		String target = values.remove("target");
		String token = values.remove("admin-token");
		if (target == null || token == null) {
			throw new IllegalArgumentException("--target and --admin-token are required");
		}
		URI uri = URI.create(target.endsWith("/") ? target.substring(0, target.length() - 1) : target);
		if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
			throw new IllegalArgumentException("--target must be an http:// URL with a host: " + target);
		}
		List<String> scenarios = Arrays.stream(values.getOrDefault("scenarios", String.join(",", DEFAULT_SCENARIOS))
			.split(",")).map(String::trim).filter((s) -> !s.isEmpty()).toList();
		values.remove("scenarios");
		for (String scenario : scenarios) {
			if (!ALL_SCENARIOS.contains(scenario)) {
				throw new IllegalArgumentException("Unknown scenario " + scenario + "; known: " + ALL_SCENARIOS);
			}
		}
		String out = values.remove("out");
		String threads = values.getOrDefault("threads", "platform");
		if (!threads.equals("platform") && !threads.equals("virtual")) {
			throw new IllegalArgumentException("--threads must be platform or virtual: " + threads);
		}
		Options options = new Options(uri, token, blankToNull(values.remove("pg-url")),
				values.getOrDefault("pg-user", "postgres"), values.getOrDefault("pg-password", ""),
				positive(values, "duration", 20), nonNegative(values, "warmup", 5),
				positive(values, "concurrency", 64), positive(values, "members", 100_000),
				positive(values, "brands", 50), positive(values, "jdbc-batch", 50), scenarios,
				(out != null) ? Path.of(out) : null, nonNegative(values, "server-pid", 0),
				nonNegative(values, "pg-pid", 0), positive(values, "clock-ticks", 100),
				values.getOrDefault("label", ""), threads.equals("virtual"), nonNegative(values, "server-warmup", 60),
				positive(values, "jdbc-naive-concurrency", 8), positive(values, "jdbc-batched-concurrency", 2),
				positive(values, "history-events", 1_000_000), positive(values, "history-members", 200_000),
				positive(values, "webhook-endpoints", 10), positive(values, "webhook-baseline-concurrency", 64),
				nonNegative(values, "webhook-drain", 120), values.getOrDefault("receiver-host", "127.0.0.1"),
				positive(values, "analytics-events", 2_000_000), nonNegative(values, "analytics-members", 0),
				commands(values.getOrDefault("interaction-commands", DEFAULT_INTERACTION_COMMANDS)),
				positives(values, "busy-concurrency", "80,96,128,192"), positive(values, "known-members", 2000));
		values.keySet()
			.removeAll(List.of("pg-user", "pg-password", "duration", "warmup", "concurrency", "members", "brands",
					"jdbc-batch", "server-pid", "pg-pid", "clock-ticks", "label", "threads", "server-warmup", "jdbc-naive-concurrency",
					"jdbc-batched-concurrency", "history-events", "history-members",
					"webhook-endpoints", "webhook-baseline-concurrency", "webhook-drain", "receiver-host",
					"analytics-events", "analytics-members", "interaction-commands", "busy-concurrency",
					"known-members"));
		if (!values.isEmpty()) {
			throw new IllegalArgumentException("Unknown options: " + values.keySet());
		}
		return options;
	}

	boolean wants(String scenario) {
		return this.scenarios.contains(scenario);
	}

	private static List<InteractionClient.Command> commands(String list) {
		List<InteractionClient.Command> commands = Arrays.stream(list.split(","))
			.filter((text) -> !text.isBlank())
			.map(InteractionClient.Command::parse)
			.toList();
		if (commands.isEmpty()) {
			throw new IllegalArgumentException("--interaction-commands needs at least one command");
		}
		return commands;
	}

	private static String blankToNull(String value) {
		return (value == null || value.isBlank()) ? null : value;
	}

	private static List<Integer> positives(Map<String, String> values, String name, String fallback) {
		String text = values.getOrDefault(name, fallback);
		List<Integer> counts = new java.util.ArrayList<>();
		for (String part : text.split(",")) {
			if (part.isBlank()) {
				continue;
			}
			counts.add(positive(Map.of(name, part), name, 1));
		}
		if (counts.isEmpty()) {
			throw new IllegalArgumentException("--" + name + " names no count: " + text);
		}
		return List.copyOf(new java.util.LinkedHashSet<>(counts));
	}

	private static int positive(Map<String, String> values, String name, int fallback) {
		int value = nonNegative(values, name, fallback);
		if (value == 0) {
			throw new IllegalArgumentException("--" + name + " must be positive");
		}
		return value;
	}

	private static int nonNegative(Map<String, String> values, String name, int fallback) {
		String text = values.get(name);
		if (text == null) {
			return fallback;
		}
		try {
			int value = Integer.parseInt(text.trim());
			if (value < 0) {
				throw new IllegalArgumentException("--" + name + " must not be negative");
			}
			return value;
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("--" + name + " must be a whole number: " + text);
		}
	}

}
