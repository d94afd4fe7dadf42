package bot.resonance.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * CPU use over a measured window, in cores (1.0 = one core busy the whole time): the
 * load generator itself, the server's JVM, PostgreSQL (postmaster and its backends), and
 * everything else on the machine (on a shared machine: someone else's work). Read from
 * /proc, so only on Linux and only for processes on this machine; what cannot be read
 * is left out.
 */
final class Cpu {

	record Sample(long wallNanos, long generatorNanos, long serverTicks, long pgTicks, long busyTicks, long commits) {
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
		if (this.pgPid > 0) {
			pg = processTicks(this.pgPid, true);
			if (pg >= 0) {
				pg += childrenTicks(this.pgPid);
			}
		}
		return new Sample(System.nanoTime(), generator, server, pg, machineBusyTicks(), this.commits.getAsLong());
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

	/** utime + stime of the live children of {@code parent}. */
	private static long childrenTicks(long parent) {
		long total = 0;
		try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
			for (Path process : processes) {
				long[] fields = stat(process.resolve("stat"));
				if (fields != null && fields[0] == parent) {
					total += fields[1] + fields[2];
				}
			}
		}
		catch (IOException ex) {
			return 0;
		}
		return total;
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
