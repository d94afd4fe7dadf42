package bot.resonance.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * CPU use over a measured window, in cores (1.0 = one core busy the whole time): the
 * load generator itself, the server's JVM, PostgreSQL (postmaster and its backends), and
 * everything else on the machine (on a shared machine: someone else's work). Read from
 * /proc, so only on Linux and only for processes on this machine; what cannot be read
 * is left out.
 */
final class Cpu {

	record Sample(long wallNanos, long generatorNanos, long serverTicks, long pgTicks, long busyTicks, long commits,
			Map<Long, Scheduled> lanes, Map<Long, Scheduled> backends) {
	}

	/**
	 * A thread's or process's time on a core and time waiting for one (runnable, not
	 * running), in nanoseconds, from its {@code schedstat}.
	 */
	record Scheduled(long runNanos, long waitNanos) {
	}

	/**
	 * Cores used over a window, and PostgreSQL's commits per second (all databases); a
	 * negative value means unknown.
	 */
	record Usage(double generator, double server, double postgres, double machine, double commitsPerSecond) {

		double other() {
			if (this.machine < 0) {
				return -1;
			}
			return Math.max(0, this.machine - Math.max(0, this.generator) - Math.max(0, this.server)
					- Math.max(0, this.postgres));
		}

		String describe() {
			return cores(this.generator) + " / " + cores(this.server) + " / " + cores(this.postgres) + " / "
					+ cores(other());
		}

		private static String cores(double value) {
			return (value < 0) ? "?" : String.format("%.2f", value);
		}

	}

	private final long serverPid;

	private final long pgPid;

	private final int clockTicks;

	private final LongSupplier commits;

	/**
	 * @param commits PostgreSQL's committed transactions so far, or a negative number if
	 * unknown
	 */
	Cpu(long serverPid, long pgPid, int clockTicks, LongSupplier commits) {
		this.serverPid = serverPid;
		this.pgPid = pgPid;
		this.clockTicks = clockTicks;
		this.commits = commits;
	}

	Sample sample() {
		long generator = -1;
		if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
			generator = os.getProcessCpuTime();
		}
		long server = (this.serverPid > 0) ? processTicks(this.serverPid, false) : -1;
		long pg = -1;
		List<Path> backends = (this.pgPid > 0) ? children(this.pgPid) : List.of();
		if (this.pgPid > 0) {
			pg = processTicks(this.pgPid, true);
			if (pg >= 0) {
				pg += ticks(backends);
			}
		}
		return new Sample(System.nanoTime(), generator, server, pg, machineBusyTicks(), this.commits.getAsLong(),
				(this.serverPid > 0) ? laneThreads(this.serverPid) : Map.of(), schedstats(backends));
	}

	/**
	 * Where the server's ingest lanes spent a window, or {@code null} if that cannot be
	 * read: the lanes' threads (each one batch at a time) and the PostgreSQL backends
	 * that used the most CPU (as many as lanes were busy: under event load, the lanes'
	 * connections), each on a core and waiting for one, in cores (1.0 = the whole
	 * window). A lane's batch goes back and forth between its thread and its backend, so
	 * for one busy lane the four add up to about the whole window (a little more: each
	 * side runs on briefly after handing over), and the waiting shows what the machine's
	 * other work costs the serial path.
	 */
	String lanes(Sample from, Sample to) {
		double nanos = to.wallNanos() - from.wallNanos();
		List<Scheduled> lanes = busiest(from.lanes(), to.lanes(), nanos, Integer.MAX_VALUE);
		if (lanes.isEmpty()) {
			return null;
		}
		List<Scheduled> backends = busiest(from.backends(), to.backends(), nanos, lanes.size());
		StringBuilder text = new StringBuilder();
		text.append((lanes.size() == 1) ? "the busy ingest lane thread" : lanes.size() + " busy ingest lane threads")
			.append(describe(lanes, nanos));
		if (!backends.isEmpty()) {
			text.append("; ")
				.append((backends.size() == 1) ? "the busiest PostgreSQL backend"
						: "the " + backends.size() + " busiest PostgreSQL backends")
				.append(describe(backends, nanos));
		}
		return text.toString();
	}

	/**
	 * The changes between two samples of the entries present in both that ran at least
	 * 5% of the window, most time on a core first, at most {@code limit}.
	 */
	private static List<Scheduled> busiest(Map<Long, Scheduled> from, Map<Long, Scheduled> to, double nanos,
			int limit) {
		List<Scheduled> changes = new ArrayList<>();
		to.forEach((id, end) -> {
			Scheduled start = from.get(id);
			if (start != null && end.runNanos() - start.runNanos() >= 0.05 * nanos) {
				changes.add(new Scheduled(end.runNanos() - start.runNanos(),
						Math.max(0, end.waitNanos() - start.waitNanos())));
			}
		});
		changes.sort((a, b) -> Long.compare(b.runNanos(), a.runNanos()));
		return changes.subList(0, Math.min(limit, changes.size()));
	}

	private static String describe(List<Scheduled> entries, double nanos) {
		StringBuilder run = new StringBuilder();
		StringBuilder wait = new StringBuilder();
		for (Scheduled entry : entries) {
			run.append((run.length() > 0) ? " + " : "")
				.append(String.format(Locale.ROOT, "%.2f", entry.runNanos() / nanos));
			wait.append((wait.length() > 0) ? " + " : "")
				.append(String.format(Locale.ROOT, "%.2f", entry.waitNanos() / nanos));
		}
		return " on a core " + run + ", waiting for one " + wait;
	}

	/** The schedstat of each thread of {@code pid} named like an ingest lane's. */
	private static Map<Long, Scheduled> laneThreads(long pid) {
		Map<Long, Scheduled> lanes = new HashMap<>();
		try (DirectoryStream<Path> threads = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
			for (Path thread : threads) {
				Scheduled scheduled = isLane(thread) ? schedstat(thread.resolve("schedstat")) : null;
				if (scheduled != null) {
					lanes.put(Long.parseLong(thread.getFileName().toString()), scheduled);
				}
			}
		}
		catch (IOException ex) {
			// not Linux, or the server is gone: not known
		}
		return lanes;
	}

	/** The schedstat of each of the processes (their /proc folders), by pid. */
	private static Map<Long, Scheduled> schedstats(List<Path> processes) {
		Map<Long, Scheduled> backends = new HashMap<>();
		for (Path child : processes) {
			Scheduled scheduled = schedstat(child.resolve("schedstat"));
			if (scheduled != null) {
				backends.put(Long.parseLong(child.getFileName().toString()), scheduled);
			}
		}
		return backends;
	}

	/** Whether a thread (its /proc folder) is one of the ingest lanes' (false if gone). */
	private static boolean isLane(Path thread) {
		try {
			return Files.readString(thread.resolve("comm")).startsWith("ingest-lane");
		}
		catch (IOException ex) {
			return false;
		}
	}

	/** Time on a core and waiting for one, from a schedstat file, or null. */
	private static Scheduled schedstat(Path file) {
		try {
			String[] fields = Files.readString(file).trim().split(" ");
			return new Scheduled(Long.parseLong(fields[0]), Long.parseLong(fields[1]));
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

	Usage between(Sample from, Sample to) {
		double seconds = (to.wallNanos() - from.wallNanos()) / 1e9;
		double ticks = seconds * this.clockTicks;
		return new Usage(
				(from.generatorNanos() < 0 || to.generatorNanos() < 0) ? -1
						: (to.generatorNanos() - from.generatorNanos()) / 1e9 / seconds,
				delta(from.serverTicks(), to.serverTicks(), ticks), delta(from.pgTicks(), to.pgTicks(), ticks),
				delta(from.busyTicks(), to.busyTicks(), ticks), delta(from.commits(), to.commits(), seconds));
	}

	private static double delta(long from, long to, double ticks) {
		return (from < 0 || to < 0) ? -1 : Math.max(0, to - from) / ticks;
	}

	/** utime + stime (+ cutime + cstime: children it has reaped) of one process. */
	private static long processTicks(long pid, boolean withReapedChildren) {
		long[] fields = stat(Path.of("/proc", Long.toString(pid), "stat"));
		if (fields == null) {
			return -1;
		}
		return fields[1] + fields[2] + (withReapedChildren ? fields[3] + fields[4] : 0);
	}

	/** utime + stime of the processes (their /proc folders) that are still there. */
	private static long ticks(List<Path> processes) {
		long total = 0;
		for (Path child : processes) {
			long[] fields = stat(child.resolve("stat"));
			if (fields != null) {
				total += fields[1] + fields[2];
			}
		}
		return total;
	}

	/** The /proc folders of the live children of {@code parent}. */
	private static List<Path> children(long parent) {
		List<Path> children = new ArrayList<>();
		try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
			for (Path process : processes) {
				long[] fields = stat(process.resolve("stat"));
				if (fields != null && fields[0] == parent) {
					children.add(process);
				}
			}
		}
		catch (IOException ex) {
			// not Linux: none known
		}
		return children;
	}

	/** ppid, utime, stime, cutime, cstime from a /proc/PID/stat, or null. */
	private static long[] stat(Path file) {
		try {
			String text = Files.readString(file);
			// the command name (field 2) is in parentheses and may contain spaces
			String[] f = text.substring(text.lastIndexOf(')') + 2).split(" ");
			// f[0] is field 3 (state): ppid is field 4, utime..cstime fields 14..17
			return new long[] { Long.parseLong(f[1]), Long.parseLong(f[11]), Long.parseLong(f[12]),
					Long.parseLong(f[13]), Long.parseLong(f[14]) };
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

	/** All CPUs' busy time (everything but idle and iowait), from /proc/stat. */
	private static long machineBusyTicks() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
				if (line.startsWith("cpu ")) {
					String[] f = line.trim().split("\\s+");
					long busy = 0;
					for (int i = 1; i < f.length && i <= 8; i++) {
						if (i != 4 && i != 5) {
							busy += Long.parseLong(f[i]);
						}
					}
					return busy;
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// not Linux
		}
		return -1;
	}

}
