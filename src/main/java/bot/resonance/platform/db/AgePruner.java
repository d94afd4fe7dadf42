package bot.resonance.platform.db;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import bot.resonance.platform.jobs.Job;
import bot.resonance.platform.jobs.JobHandler;
import bot.resonance.platform.jobs.JobQueue;

/**
 * A pruner of rows that are forgotten once old enough: a recurring job ({@link Pruning})
 * that deletes, a slice at a time, every row older than {@code age} when it runs. A
 * subclass says how its rows are deleted ({@link #prune}).
 */
public abstract class AgePruner implements JobHandler {

	private final Logger log = LoggerFactory.getLogger(getClass());

	private final JobQueue queue;

	private final String what;

	private final Duration age;

	private final Clock clock;

	/**
	 * @param queue the job's queue name
	 * @param interval how often it runs, across all nodes
	 * @param what what it removes, for the log ("portal sign-in failures older than
	 * PT15M")
	 * @param age how old a row is when it goes (by the time {@link #prune} compares)
	 * @param clock the time
	 */
	protected AgePruner(String queue, Duration interval, String what, Duration age, Clock clock) {
		this.queue = Pruning.queue(queue, interval);
		this.what = what;
		this.age = age;
		this.clock = clock;
	}

	/**
	 * Deletes up to {@code limit} rows older than {@code before}; returns how many.
	 */
	protected abstract int prune(Instant before, int limit);

	@Override
	public JobQueue queue() {
		return this.queue;
	}

	@Override
	public void handle(Job job) {
		Instant before = this.clock.instant().minus(this.age);
		Pruning.run(this.log, this.what, () -> Pruning.inSlices((slice) -> prune(before, slice)));
	}

}
