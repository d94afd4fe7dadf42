package bot.resonance.platform.jobs;

import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import bot.resonance.platform.db.Pruning;
import org.springframework.stereotype.Component;

/**
 * Deletes dead jobs (those that failed every attempt, kept for inspection) once they have
 * been dead for {@code resonance.jobs.dead-retention}, a slice at a time; {@code 0} keeps
 * them. A recurring job itself: once every {@code resonance.jobs.prune-interval} across
 * all nodes. A dead job is logged as an error when it dies, so it has been seen by then.
 */
@Component
class DeadJobPruner implements JobHandler {

	private static final Logger log = LoggerFactory.getLogger(DeadJobPruner.class);

	private final JobStore store;

	private final JobsProperties properties;

	private final Clock clock;

	DeadJobPruner(JobStore store, JobsProperties properties, Clock clock) {
		this.store = store;
		this.properties = properties;
		this.clock = clock;
	}

	@Override
	public JobQueue queue() {
		return Pruning.queue("dead-job-pruning", this.properties.pruneInterval());
	}

	@Override
	public void handle(Job job) {
		prune();
	}

	/** One pass: returns how many dead jobs were deleted. */
	int prune() {
		if (this.properties.deadRetention().isZero()) {
			return 0;
		}
		return Pruning.run(log, "dead jobs older than " + this.properties.deadRetention(), () -> Pruning.inSlices(
				(slice) -> this.store.pruneDead(this.clock.instant().minus(this.properties.deadRetention()), slice)));
	}

}
