package bot.resonance.bench;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The results as one markdown table (aligned, so it reads as well in a terminal). */
final class Report {

	private Report() {
	}

	static String markdown(Options options, Map<String, Result> results, List<String> notes) {
		StringBuilder out = new StringBuilder();
		out.append("# Resonance benchmark, ")
			.append(ZonedDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z")))
			.append("\n\n");
		if (!options.label().isBlank()) {
			out.append(options.label().strip()).append("\n\n");
		}
		out.append("Target ")
			.append(options.target())
			.append("; ")
			.append(options.concurrency())
			.append(" closed-loop clients (")
			.append(options.virtualThreads() ? "virtual" : "platform")
			.append(" threads); ")
			.append(options.members())
			.append(" members; ")
			.append(options.warmupSeconds())
			.append(" s warm-up + ")
			.append(options.durationSeconds())
			.append(" s measured per scenario; many-brands scenario over ")
			.append(options.brands())
			.append(" brands; JDBC batched = ")
			.append(options.jdbcBatch())
			.append(" awards per transaction; ")
			.append(Runtime.getRuntime().availableProcessors())
			.append(" CPUs.\n\n");

		Result floor = results.get("floor");
		Result naive = results.get("jdbc-naive");
		double batched = batchedRate(results);
		List<String[]> rows = new ArrayList<>();
		rows.add(new String[] { "scenario", "clients", "events/s", "p50 ms", "p95 ms", "p99 ms", "max ms",
				"vs HTTP floor", "vs JDBC naive", "vs JDBC batched", "PG commits/s", "other outcomes",
				"CPU gen/srv/pg/other" });
		for (Result result : results.values()) {
			if (result instanceof WebhookScenarios.WebhookResult) {
				continue;
			}
			rows.add(new String[] { result.description, Integer.toString(result.clients),
					String.format("%.0f", result.perSecond()), ms(result.millis(50)), ms(result.millis(95)),
					ms(result.millis(99)), ms(result.maxMillis()), ratio(result, floor), ratio(result, naive),
					ratio(result, batched), commits(result), result.describeOthers(), result.cpu.describe() });
		}
		if (rows.size() > 1) {
			table(out, rows);
			out.append("\n- events/s: awards answered `200 \"status\":\"awarded\"` per second (for the HTTP floor: ")
				.append("`401 INVALID_SIGNATURE` answers; for JDBC: committed awards; for Discord interactions: commands")
				.append(" answered with their own message). Latency is per request")
				.append(" (JDBC: per transaction), all outcomes, measured window only.\n")
				.append("- vs X: events/s divided by X's events/s.\n")
				.append("- PG commits/s: transactions committed per second in all of PostgreSQL's databases (read-only")
				.append(" ones too), and events/s divided by it (events per commit).\n")
				.append("- other outcomes: every answer other than the expected one in the measured window, by status")
				.append(" and error code (`IO …`: the connection failed, no answer).\n");
			hotAtLatency(out, results, batched);
			batchedDrift(out, results, batched);
		}
		out.append("- CPU: cores used during the measured window by the load generator / the server JVM / ")
			.append("PostgreSQL / everything else on the machine (`?`: not known).\n");
		webhooks(out, options, results);
		List<String> all = new ArrayList<>();
		results.values().forEach((result) -> all.addAll(result.notes));
		all.addAll(notes);
		if (!all.isEmpty()) {
			out.append("\nNotes:\n\n");
			all.forEach((note) -> out.append("- ").append(note).append('\n'));
		}
		return out.toString();
	}

	/**
	 * The batched baseline's measurement before the event scenarios; the one after them
	 * is {@code jdbc-batched}.
	 */
	static final String BATCHED_BEFORE = "jdbc-batched-before";

	/** A change of the baseline within a run beyond which the report says so. */
	static final double BATCHED_DRIFT_NOTED = 0.15;

	/**
	 * What the rows are compared with in "vs JDBC batched": the batched baseline, or the
	 * mean of its measurements before and after the event scenarios when both ran (a
	 * shared machine's speed changes over a run's minutes); 0 when it did not run.
	 */
	static double batchedRate(Map<String, Result> results) {
		Result before = results.get(BATCHED_BEFORE);
		Result after = results.get("jdbc-batched");
		if (before != null && after != null) {
			return (before.perSecond() + after.perSecond()) / 2;
		}
		Result one = (after != null) ? after : before;
		return (one != null) ? one.perSecond() : 0;
	}

	/** How far the baseline moved between its two measurements, when it ran twice. */
	private static void batchedDrift(StringBuilder out, Map<String, Result> results, double batched) {
		Result before = results.get(BATCHED_BEFORE);
		Result after = results.get("jdbc-batched");
		if (before == null || after == null || before.perSecond() <= 0) {
			return;
		}
		double change = after.perSecond() / before.perSecond() - 1;
		out.append(String.format(
				"- JDBC batched, measured twice: %.0f/s before the event scenarios and %.0f/s after them (%+.0f%%);"
						+ " \"vs JDBC batched\" is to their mean, %.0f/s.",
				before.perSecond(), after.perSecond(), change * 100, batched));
		if (Math.abs(change) > BATCHED_DRIFT_NOTED) {
			out.append(" The machine's speed changed during the run by more than ")
				.append(String.format("%.0f%%", BATCHED_DRIFT_NOTED * 100))
				.append(": the event scenarios ran somewhere between the two, so read their ratios as less")
				.append(" certain than usual.");
		}
		out.append('\n');
	}

	/** The latency bound the hot brand's and the known members' rows are read against. */
	static final double HOT_P99_BOUND_MILLIS = 50;

	/**
	 * Throughput at a bounded latency: of the hot brand's rows (the {@code hot} scenario
	 * and each client count of {@code hot-busy}), and of the known members' rows of many
	 * brands ({@code many-known}), the most events per second with a p99 under
	 * {@link #HOT_P99_BOUND_MILLIS}; says so if none stayed under it.
	 */
	static void hotAtLatency(StringBuilder out, Map<String, Result> results, double batched) {
		List<Result> hot = new ArrayList<>();
		List<Result> known = new ArrayList<>();
		results.forEach((name, result) -> {
			if (name.equals("hot") || name.startsWith("hot-busy-")) {
				hot.add(result);
			}
			else if (name.startsWith("many-known-")) {
				known.add(result);
			}
		});
		atLatency(out, "1 hot brand", hot, batched);
		atLatency(out, "many brands, known members", known, batched);
	}

	private static void atLatency(StringBuilder out, String label, List<Result> rows, double batched) {
		if (rows.isEmpty()) {
			return;
		}
		Result best = null;
		for (Result result : rows) {
			if (result.millis(99) < HOT_P99_BOUND_MILLIS && (best == null || result.perSecond() > best.perSecond())) {
				best = result;
			}
		}
		out.append("- ")
			.append(label)
			.append(" at p99 < ")
			.append(String.format("%.0f", HOT_P99_BOUND_MILLIS))
			.append(" ms: ");
		if (best == null) {
			out.append("none of its ").append(rows.size()).append(" rows stayed under it.\n");
			return;
		}
		out.append(String.format("%.0f", best.perSecond()))
			.append(" events/s with ")
			.append(best.clients)
			.append(" clients (p99 ")
			.append(ms(best.millis(99)))
			.append(" ms)");
		if (batched > 0) {
			out.append(", ").append(ratio(best, batched)).append(" JDBC batched");
		}
		out.append(": the most events/s among its ").append(rows.size()).append(" rows with a p99 under the bound.\n");
	}

	/** The webhook scenarios' own table, if they ran. */
	private static void webhooks(StringBuilder out, Options options, Map<String, Result> results) {
		List<WebhookScenarios.WebhookResult> ran = new ArrayList<>();
		results.values().forEach((result) -> {
			if (result instanceof WebhookScenarios.WebhookResult webhook) {
				ran.add(webhook);
			}
		});
		if (ran.isEmpty()) {
			return;
		}
		Result baseline = results.get("webhook-baseline");
		out.append("\n## Webhook delivery\n\n")
			.append(options.webhookEndpoints())
			.append(" endpoints on a receiver in the load generator (")
			.append(options.receiverHost())
			.append("); webhook baseline over ")
			.append(options.webhookBaselineConcurrency())
			.append(" connections; the webhooks scenario waits up to ")
			.append(options.webhookDrainSeconds())
			.append(" s after its window for the backlog.\n\n");
		List<String[]> rows = new ArrayList<>();
		rows.add(new String[] { "scenario", "clients", "events/s", "deliveries/s", "vs baseline", "p50 ms", "p95 ms",
				"p99 ms", "max ms", "backlog at end", "arrived / expected", "dup / bad sig", "CPU gen/srv/pg/other" });
		for (WebhookScenarios.WebhookResult result : ran) {
			rows.add(new String[] { result.description, Integer.toString(result.clients),
					(result.events >= 0) ? String.format("%.0f", result.eventsPerSecond()) : "-",
					String.format("%.0f", result.perSecond()), ratio(result, baseline), ms(result.millis(50)),
					ms(result.millis(95)), ms(result.millis(99)), ms(result.maxMillis()),
					(result.backlogAtEnd >= 0) ? String.format("%,d", result.backlogAtEnd) : "-",
					result.arrived(),
					result.duplicates + " / " + result.badSignatures, result.cpu.describe() });
		}
		table(out, rows);
		out.append("\n- deliveries/s: webhook POSTs the receiver answered 200 in the measured window, per second ")
			.append("(baseline: requests answered). events/s: awards answered in the window.\n")
			.append("- latency: webhooks: commit→receipt, the receipt time minus the body's `timestamp` (written in ")
			.append("the event's transaction, ms precision), deliveries received in the window; it includes the time ")
			.append("a delivery waited in the backlog. Baseline: request→response at the client.\n")
			.append("- backlog at end: deliveries due (awards × endpoints) but not yet received when the window ")
			.append("closed. arrived / expected: distinct (endpoint, webhook-id) pairs received by the end of the ")
			.append("drain / awards of the whole scenario (warm-up included) × endpoints; ✓ when all arrived with ")
			.append("no duplicate, no bad signature and no rejected request; \"rest queued\" when the drain ")
			.append("ended first but the server's own table still has exactly the rest pending and none dead.\n")
			.append("- dup / bad sig: deliveries whose webhook-id the endpoint had already received / whose ")
			.append("`X-Signature` was not the HMAC-SHA256 of the body with the endpoint's secret (every delivery ")
			.append("is checked).\n")
			.append("- CPU as above; the load generator's share includes the receiver (and, in the baseline, the ")
			.append("client loop).\n");
		if (ran.stream().anyMatch((result) -> !result.others.isEmpty())) {
			out.append("- other outcomes: ");
			out.append(String.join("; ", ran.stream()
				.filter((result) -> !result.others.isEmpty())
				.map((result) -> result.name + ": " + result.describeOthers())
				.toList()));
			out.append('\n');
		}
	}

	private static String commits(Result result) {
		double perSecond = result.cpu.commitsPerSecond();
		if (perSecond < 0) {
			return "?";
		}
		if (perSecond < 1 || result.expected == 0 || result.name.equals("floor")) {
			return String.format("%.0f", perSecond);
		}
		return String.format("%.0f (%.1f/commit)", perSecond, result.perSecond() / perSecond);
	}

	static String ms(double value) {
		if (Double.isNaN(value)) {
			return "-";
		}
		return (value < 10) ? String.format("%.2f", value) : String.format("%.1f", value);
	}

	private static String ratio(Result result, Result baseline) {
		return ratio(result, (baseline != null) ? baseline.perSecond() : 0);
	}

	private static String ratio(Result result, double baselinePerSecond) {
		if (baselinePerSecond <= 0) {
			return "-";
		}
		return String.format("%.2f×", result.perSecond() / baselinePerSecond);
	}

	private static void table(StringBuilder out, List<String[]> rows) {
		int columns = rows.getFirst().length;
		int[] widths = new int[columns];
		for (String[] row : rows) {
			for (int i = 0; i < columns; i++) {
				widths[i] = Math.max(widths[i], row[i].length());
			}
		}
		for (int r = 0; r < rows.size(); r++) {
			String[] row = rows.get(r);
			out.append('|');
			for (int i = 0; i < columns; i++) {
				boolean left = i == 0 || i == columns - 2;
				out.append(' ').append(pad(row[i], widths[i], left || r == 0)).append(" |");
			}
			out.append('\n');
			if (r == 0) {
				out.append('|');
				for (int i = 0; i < columns; i++) {
					boolean left = i == 0 || i == columns - 2;
					out.append(left ? ":" : "-").append("-".repeat(widths[i])).append(left ? "-|" : ":|");
				}
				out.append('\n');
			}
		}
	}

	private static String pad(String text, int width, boolean left) {
		String padding = " ".repeat(width - text.length());
		return left ? text + padding : padding + text;
	}

}
