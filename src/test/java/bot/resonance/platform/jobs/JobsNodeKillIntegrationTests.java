package bot.resonance.platform.jobs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import bot.resonance.support.IntegrationTest;
import bot.resonance.support.IntegrationTestSupport;
import bot.resonance.support.NodeProcess;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node killed ({@code kill -9}) in the middle of a job: its transaction dies with its
 * connection, and once its claim's lease has run out another node runs the job, once.
 */
@IntegrationTest
class JobsNodeKillIntegrationTests extends IntegrationTestSupport {

	@Autowired
	Environment environment;

	@Autowired
	Jobs jobs;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	PlatformTransactionManager transactionManager;

	@TempDir
	Path temp;

	@Test
	void aJobHeldByANodeKilledMidRunIsTakenOverAfterTheLease() throws Exception {
		String key = "job-" + System.nanoTime();
		// Due long ago, on the node's clock (real time) as well as on the test's.
		new TransactionTemplate(this.transactionManager)
			.executeWithoutResult((status) -> this.jobs.schedule(StuckJobHandler.QUEUE, JobKey.of("brand1", key),
					Instant.parse("2020-01-01T00:00:00Z"), null, IfScheduled.KEEP));
		List<Job> handled = new CopyOnWriteArrayList<>();
		JobRunner survivor = new JobRunner(new JobStore(this.jdbc), this.transactionManager, this.clock,
				JobsProperties.defaults(), "survivor", () -> List.of(new JobHandler() {

					@Override
					public JobQueue queue() {
						return JobQueue.named(StuckJobHandler.QUEUE).withLease(StuckJobHandler.LEASE);
					}

					@Override
					public void handle(Job job) {
						handled.add(job);
					}

				}));

		Path log = this.temp.resolve("node.log");
		try (NodeProcess node = NodeProcess.start(this.environment, log,
				List.of("--spring.main.sources=" + StuckJobHandler.class.getName()))) {
			await().atMost(Duration.ofSeconds(60))
				.until(() -> Files.readString(log).contains(StuckJobHandler.RUNNING + key));
			// While the node runs it, nobody else does, whatever the lease says.
			this.clock.advance(StuckJobHandler.LEASE.multipliedBy(2));
			assertThat(survivor.runDue(StuckJobHandler.QUEUE)).isZero();

			node.kill();
		}
		this.clock.advance(StuckJobHandler.LEASE.multipliedBy(2));
		// PostgreSQL ends the dead node's transaction when it notices its connection
		// gone.
		await().atMost(Duration.ofSeconds(60)).until(() -> survivor.runDue(StuckJobHandler.QUEUE) == 1);

		assertThat(handled).singleElement().satisfies((job) -> {
			assertThat(job.key()).isEqualTo(key);
			assertThat(job.attempts()).isEqualTo(2);
		});
		assertThat(this.jobs.find(StuckJobHandler.QUEUE, JobKey.of("brand1", key))).isEmpty();
	}

}
