package bot.resonance.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.HdrHistogram.Histogram;

/**
 * The interactions scenario: a brand whose Discord guild is bound to it through the
 * operator API, and closed-loop clients sending its slash commands to
 * {@code POST /discord/interactions}, each a real, signed interaction with a fresh id
 * from one of the members.
 */
final class Interactions {

	private final String guildId;

	private final List<InteractionClient.Command> commands;

	/** Interaction ids not used yet; each run takes a range. */
	private long nextId;

	private Interactions(String guildId, List<InteractionClient.Command> commands, long firstId) {
		this.guildId = guildId;
		this.commands = commands;
		this.nextId = firstId;
	}

	/**
	 * Creates the brand (funded, with {@code daily_checkin} enabled for {@code /checkin}),
	 * binds a guild of this run to it, and sends each command once, noting its answer.
	 */
	static Interactions setUp(Api api, String name, Options options, List<String> notes)
			throws IOException, InterruptedException {
		Api.Brand brand = api.createBrand(name);
		if (!api.enableEventType(brand, "daily_checkin")) {
			notes.add("interactions: the server did not take PUT /v1/event-types/daily_checkin.");
		}
		long now = System.currentTimeMillis();
		// Snowflake-like ids, new in every run (a guild belongs to one brand).
		String guildId = Long.toString(1_200_000_000_000_000_000L + (now % 1_000_000_000_000L) * 1000);
		api.bindGuild(brand, guildId);
		Interactions interactions = new Interactions(guildId, options.interactionCommands(),
				1_300_000_000_000_000_000L + (now % 1_000_000_000_000L) * 100_000);
		String host = options.target().getHost();
		int port = (options.target().getPort() > 0) ? options.target().getPort() : 80;
		for (InteractionClient.Command command : options.interactionCommands()) {
			InteractionClient.Plan plan = InteractionClient.Plan.of(host, port, 1, guildId, List.of(command),
					interactions.take(1), 1, 0, Long.MAX_VALUE);
			String answer = InteractionClient.once(plan);
			String line = "interactions: " + command + " answers " + clip(answer, 300);
			notes.add(line);
			Bench.log(line);
			if (!answer.startsWith("200 ")) {
				throw new IOException("POST /discord/interactions with " + command + " answered " + clip(answer, 300)
						+ ". Is the server's DISCORD_INTERACTIONS_PUBLIC_KEY the bench's ("
						+ InteractionClient.PUBLIC_KEY + ")?");
			}
		}
		return interactions;
	}

	/** Sends interactions for a while, measuring nothing. */
	void warmUp(String host, int port, Options options, long nanos) throws InterruptedException {
		long end = System.nanoTime() + nanos;
		InteractionClient.Plan plan = plan(host, port, options, end, end);
		List<Thread> threads = new ArrayList<>();
		for (int i = 0; i < options.concurrency(); i++) {
			threads.add(Bench.thread(options).name("warm-up-interactions-" + i).start(new InteractionClient(plan, i)));
		}
		for (Thread thread : threads) {
			thread.join();
		}
	}

	Result run(String host, int port, Options options, long warmup, long duration, Cpu cpu)
			throws InterruptedException {
		String name = "interactions";
		Bench.log("Running " + name + " " + this.commands + " (" + options.concurrency() + " clients, "
				+ options.warmupSeconds() + " s warm-up + " + options.durationSeconds() + " s)");
		long start = System.nanoTime();
		long measureStart = start + warmup;
		long measureEnd = measureStart + duration;
		InteractionClient.Plan plan = plan(host, port, options, measureStart, measureEnd);
		List<InteractionClient> clients = new ArrayList<>();
		List<Thread> threads = new ArrayList<>();
		for (int i = 0; i < options.concurrency(); i++) {
			InteractionClient client = new InteractionClient(plan, i);
			clients.add(client);
			threads.add(Bench.thread(options).name(name + "-" + i).start(client));
		}
		Cpu.Sample[] samples = Bench.sampleWindow(cpu, measureStart, measureEnd);
		for (Thread thread : threads) {
			thread.join();
		}
		Histogram latency = new Histogram(120_000_000L, 3);
		long expected = 0;
		long connects = 0;
		Map<String, Long> others = new TreeMap<>();
		for (InteractionClient client : clients) {
			latency.add(client.latencyMicros);
			expected += client.expected;
			connects += client.connectsInWindow;
			client.outcomes.forEach((key, count) -> others.merge(key, count[0], Long::sum));
		}
		String description = "Discord interactions ("
				+ String.join(", ", this.commands.stream().map(InteractionClient.Command::toString).toList()) + ")";
		Result result = new Result(name, description, options.concurrency(), duration / 1e9, expected, latency,
				cpu.between(samples[0], samples[1]));
		result.others.putAll(others);
		result.notes.add(name + ": each request a signed slash command (Ed25519) with a new interaction id, from one of "
				+ options.members() + " members in one bound guild, commands picked at random; counted when the "
				+ "command answered with its own message (type 4 or 5), refusals it gives included (a cooldown, "
				+ "too little balance); duplicates, unbound guilds and unknown commands are other outcomes.");
		if (connects > 0) {
			result.notes.add(name + ": " + connects + " new connections in the measured window.");
		}
		return result;
	}

	private InteractionClient.Plan plan(String host, int port, Options options, long measureStart, long measureEnd) {
		// Ids for more requests than the clients can send in a run: 100 million.
		long firstId = take(100_000_000L);
		return InteractionClient.Plan.of(host, port, options.members(), this.guildId, this.commands, firstId,
				options.concurrency(), measureStart, measureEnd);
	}

	private long take(long count) {
		long first = this.nextId;
		this.nextId += count;
		return first;
	}

	private static String clip(String text, int max) {
		String flat = text.replace('\n', ' ');
		return (flat.length() <= max) ? flat : flat.substring(0, max) + "…";
	}

}
