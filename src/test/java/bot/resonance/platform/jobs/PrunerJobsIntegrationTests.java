package bot.resonance.platform.jobs;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import bot.resonance.platform.db.Pruning;
import bot.resonance.support.ExpectedLogs;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.IntegrationTestSupport;
import bot.resonance.support.Race;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application's pruners are recurring jobs: played by two nodes (runners of their
 * own, on queues of their own with the pruner's settings), each pruner runs once per
 * period however the nodes race, and a pass that crashes is run again within its period.
 */
@IntegrationTest
class PrunerJobsIntegrationTests extends IntegrationTestSupport {

	private static final AtomicInteger QUEUES = new AtomicInteger();

	@Autowired
	List<JobHandler> handlers;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	PlatformTransactionManager transactionManager;

	/**
	 * The crashes these tests provoke, checked here instead of shown in the build's log.
	 */
	@RegisterExtension
	final ExpectedLogs logs = ExpectedLogs.of(JobRunner.class);

	@Test
	void everyPrunerIsARecurringJob() {
		assertThat(pruners()).extracting((handler) -> handler.queue().name())
			.containsExactlyInAnyOrder("webhook-pruning", "incoming-call-pruning", "shopify-webhook-pruning",
					"idempotency-key-pruning", "discord-interaction-lock-pruning", "event-pruning", "dead-job-pruning",
					"portal-sign-in-failure-pruning", "discord-setup-code-pruning", "portal-password-reset-pruning",
					"network-link-confirmation-pruning");
		assertThat(pruners()).allSatisfy((handler) -> {
			assertThat(handler.queue().isRecurring()).isTrue();
			assertThat(handler.queue().transactional()).isFalse();
			assertThat(handler.queue().lease()).isEqualTo(Pruning.LEASE);
		});
	}

	@Test
	void eachPrunerRunsOncePerPeriodAcrossTwoNodes() {
		for (JobHandler pruner : pruners()) {
			Counting counting = new Counting(pruner, "test-" + pruner.queue().name() + "-" + QUEUES.incrementAndGet());
			JobRunner a = node("a", counting);
			JobRunner b = node("b", counting);
			Duration period = pruner.queue().period();
			Instant now = this.clock.freeze();
			Race.run(2, (i) -> ((i == 0) ? a : b).runDue(counting.queue().name()));
			assertThat(counting.runs).as("not before its first period").hasValue(0);
			for (int round = 1; round <= 3; round++) {
				this.clock.freezeAt(now.plus(period.multipliedBy(round)).plusSeconds(1));
				Race.run(2, (i) -> ((i == 0) ? a : b).runDue(counting.queue().name()));
				a.runDue(counting.queue().name());
				b.runDue(counting.queue().name());
				assertThat(counting.runs).as(pruner.queue().name() + " in period " + round).hasValue(round);
			}
		}
	}

	@Test
	void aPrunerThatCrashesMidRunIsRunAgainWithinItsPeriod() {
		for (JobHandler pruner : pruners()) {
			Counting counting = new Counting(pruner, "test-" + pruner.queue().name() + "-" + QUEUES.incrementAndGet());
			counting.crashes.set(1);
			JobRunner a = node("a", counting);
			JobRunner b = node("b", counting);
			Instant now = this.clock.freeze();
			a.runDue(counting.queue().name());
			this.clock.freezeAt(now.plus(pruner.queue().period()).plusSeconds(1));
			a.runDue(counting.queue().name());
			assertThat(counting.runs).as("crashed").hasValue(0);
			assertThat(this.logs.expect("Job recurring of queue " + counting.queue().name() + " failed (attempt 1"))
				.hasSize(1);
			// After the backoff (30s by default), any node runs it again.
			this.clock.freezeAt(now.plus(pruner.queue().period()).plusSeconds(32));
			b.runDue(counting.queue().name());
			assertThat(counting.runs).as(pruner.queue().name() + " retried").hasValue(1);
		}
	}

	private List<JobHandler> pruners() {
		return this.handlers.stream().filter((handler) -> handler.queue().name().endsWith("-pruning")).toList();
	}

	private JobRunner node(String name, JobHandler handler) {
		return new JobRunner(new JobStore(this.jdbc), this.transactionManager, this.clock, JobsProperties.defaults(),
				name, () -> List.of(handler));
	}

	/**
	 * A pruner on a queue of its own with the pruner's settings, counting its passes; it
	 * may crash after pruning, as a node's pass may.
	 */
	static final class Counting implements JobHandler {

		final JobHandler pruner;

		final JobQueue queue;

		final AtomicInteger runs = new AtomicInteger();

		final AtomicInteger crashes = new AtomicInteger();

		Counting(JobHandler pruner, String name) {
			this.pruner = pruner;
			JobQueue declared = pruner.queue();
			this.queue = new JobQueue(name, declared.transactional(), declared.period(), declared.batchSize(),
					declared.maxAttempts(), declared.lease(), declared.pollInterval());
		}

		@Override
		public JobQueue queue() {
			return this.queue;
		}

		@Override
		public void handle(Job job) {
			this.pruner.handle(job);
			if (this.crashes.getAndUpdate((left) -> Math.max(0, left - 1)) > 0) {
				throw new IllegalStateException("the node crashed mid-run");
			}
			this.runs.incrementAndGet();
		}

	}

}
