package bot.resonance.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's own account of where its ingest batches' time went: the
 * {@code resonance_ingest_batch_phase_seconds} totals of one scrape of
 * {@code /actuator/prometheus}, by phase in the server's order.
 *
 * @param seconds each phase's total time so far
 * @param batches each phase's count so far (every batch passes every phase once)
 */
record BatchPhases(Map<String, Double> seconds, Map<String, Double> batches) {

	private static final Pattern SAMPLE = Pattern
		.compile("(?m)^resonance_ingest_batch_phase_seconds_(sum|count)\\{phase=\"([a-z]+)\"[^}]*} (\\S+)$");

	/** The totals in a scrape; empty when it has none (an older server). */
	static BatchPhases parse(String scrape) {
		Map<String, Double> seconds = new LinkedHashMap<>();
		Map<String, Double> batches = new LinkedHashMap<>();
		Matcher sample = SAMPLE.matcher(scrape);
		while (sample.find()) {
			double value = Double.parseDouble(sample.group(3));
			(sample.group(1).equals("sum") ? seconds : batches).put(sample.group(2), value);
		}
		return new BatchPhases(seconds, batches);
	}

	/**
	 * What the batches between {@code before} and this scrape spent per batch, phase by
	 * phase (ms), or {@code null} if there were none or a scrape had no phases.
	 */
	String perBatchSince(BatchPhases before) {
		double count = this.batches.getOrDefault("commit", 0.0) - before.batches.getOrDefault("commit", 0.0);
		if (count <= 0 || before.seconds.isEmpty()) {
			return null;
		}
		double total = 0;
		StringJoiner phases = new StringJoiner(", ");
		for (String phase : order(this.seconds)) {
			double millis = (this.seconds.get(phase) - before.seconds.getOrDefault(phase, 0.0)) * 1000 / count;
			total += millis;
			phases.add(String.format(Locale.ROOT, "%s %.2f", phase, millis));
		}
		return String.format(Locale.ROOT, "%.2f ms a batch in %.0f batches: %s", total, count, phases);
	}

	/** The phases in the server's order of work (the scrape sorts them by name). */
	private static Iterable<String> order(Map<String, Double> seconds) {
		Map<String, Double> ordered = new LinkedHashMap<>();
		for (String phase : new String[] { "lock", "screen", "members", "state", "wallets", "decide", "post",
				"record", "commit" }) {
			if (seconds.containsKey(phase)) {
				ordered.put(phase, seconds.get(phase));
			}
		}
		seconds.forEach(ordered::putIfAbsent);
		return ordered.keySet();
	}

}
