package bot.resonance.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.HdrHistogram.Histogram;

/** What one scenario measured. */
class Result {

	final String name;

	final String description;

	final int clients;

	final double seconds;

	/** The scenario's expected outcome (awards, or 401s for the floor) in the window. */
	final long expected;

	/** Every other outcome in the window, by "status code" (or error), with its count. */
	final Map<String, Long> others = new TreeMap<>();

	/** Latency of every request (or transaction) completed in the window, microseconds. */
	final Histogram latencyMicros;

	final Cpu.Usage cpu;

	/** Remarks for the notes under the table. */
	final List<String> notes = new ArrayList<>();

	Result(String name, String description, int clients, double seconds, long expected, Histogram latencyMicros,
			Cpu.Usage cpu) {
		this.name = name;
		this.description = description;
		this.clients = clients;
		this.seconds = seconds;
		this.expected = expected;
		this.latencyMicros = latencyMicros;
		this.cpu = cpu;
	}

	double perSecond() {
		return this.expected / this.seconds;
	}

	long otherCount() {
		return this.others.values().stream().mapToLong(Long::longValue).sum();
	}

	String describeOthers() {
		if (this.others.isEmpty()) {
			return "none";
		}
		StringBuilder text = new StringBuilder();
		this.others.forEach((key, count) -> {
			if (!text.isEmpty()) {
				text.append(", ");
			}
			text.append(key).append(" ×").append(count);
		});
		return text.toString();
	}

	/** A latency percentile in milliseconds. */
	double millis(double percentile) {
		if (this.latencyMicros.getTotalCount() == 0) {
			return Double.NaN;
		}
		return this.latencyMicros.getValueAtPercentile(percentile) / 1000.0;
	}

	double maxMillis() {
		if (this.latencyMicros.getTotalCount() == 0) {
			return Double.NaN;
		}
		return this.latencyMicros.getMaxValue() / 1000.0;
	}

}
