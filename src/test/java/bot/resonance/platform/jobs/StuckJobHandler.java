package bot.resonance.platform.jobs;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * A handler that announces the job it runs on standard output and then never returns:
 * added to a {@link bot.resonance.support.NodeProcess} with
 * {@code --spring.main.sources}, it makes a node that holds a job mid-run when it is
 * killed. Not a component, so no other test context picks it up.
 */
public class StuckJobHandler implements JobHandler {

	static final String QUEUE = "test-killed-node";

	static final String RUNNING = "STUCK ON JOB ";

	static final Duration LEASE = Duration.ofMinutes(1);

	@Override
	public JobQueue queue() {
		return JobQueue.named(QUEUE).withLease(LEASE).withPollInterval(Duration.ofMillis(200));
	}

	@Override
	public void handle(Job job) {
		System.out.println(RUNNING + job.key());
		System.out.flush();
		try {
			new CountDownLatch(1).await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
