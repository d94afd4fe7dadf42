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
		Result batched = results.get("jdbc-batched");
		List<String[]> rows = new ArrayList<>();
		rows.add(new String[] { "scenario", "clients", "events/s", "p50 ms", "p95 ms", "p99 ms", "max ms",
				"vs HTTP floor", "vs JDBC naive", "vs JDBC batched", "PG commits/s", "other outcomes",
				"CPU gen/srv/pg/other" });
		for (Result result : results.values()) {
			rows.add(new String[] { result.description, Integer.toString(result.clients),
					String.format("%.0f", result.perSecond()), ms(result.millis(50)), ms(result.millis(95)),
					ms(result.millis(99)), ms(result.maxMillis()), ratio(result, floor), ratio(result, naive),
					ratio(result, batched), commits(result), result.describeOthers(), result.cpu.describe() });
		}
		table(out, rows);

		out.append("\n- events/s: awards answered `200 \"status\":\"awarded\"` per second (for the HTTP floor: ")
			.append("`401 INVALID_SIGNATURE` answers; for JDBC: committed awards). Latency is per request")
			.append(" (JDBC: per transaction), all outcomes, measured window only.\n")
			.append("- vs X: events/s divided by X's events/s.\n")
			.append("- PG commits/s: transactions committed per second in all of PostgreSQL's databases (read-only")
			.append(" ones too), and events/s divided by it (events per commit).\n")
			.append("- other outcomes: every answer other than the expected one in the measured window, by status")
			.append(" and error code (`IO …`: the connection failed, no answer).\n")
			.append("- CPU: cores used during the measured window by the load generator / the server JVM / ")
			.append("PostgreSQL / everything else on the machine (`?`: not known).\n");
		List<String> all = new ArrayList<>();
		results.values().forEach((result) -> all.addAll(result.notes));
		all.addAll(notes);
		if (!all.isEmpty()) {
			out.append("\nNotes:\n\n");
			all.forEach((note) -> out.append("- ").append(note).append('\n'));
		}
		return out.toString();
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

	private static String ms(double value) {
		if (Double.isNaN(value)) {
			return "-";
		}
		return (value < 10) ? String.format("%.2f", value) : String.format("%.1f", value);
	}

	private static String ratio(Result result, Result baseline) {
		if (baseline == null || baseline.perSecond() <= 0) {
			return "-";
		}
		return String.format("%.2f×", result.perSecond() / baseline.perSecond());
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
