package bot.resonance.platform.jobs;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import bot.resonance.support.IntegrationTest;
import bot.resonance.support.ExpectedLogs;
import bot.resonance.support.IntegrationTestSupport;
import bot.resonance.support.Race;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.IllegalTransactionStateException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Durable jobs on the real database: scheduled and cancelled in the caller's transaction,
 * run once across racing nodes, retried with backoff until dead, taken over when a claim
 * lapses, and recurring once per period across nodes. Each test plays its nodes with
 * runners of its own (one runner is one node), on queues no other test uses.
 */
@IntegrationTest
class JobsIntegrationTests extends IntegrationTestSupport {

	private static final AtomicInteger QUEUES = new AtomicInteger();

	@Autowired
	Jobs jobs;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	JobQueueMetrics queueMetrics;

	@Autowired
	PlatformTransactionManager transactionManager;

	TransactionTemplate transaction;

	/**
	 * The failures these tests provoke, checked here instead of shown in the build's log.
	 */
	@RegisterExtension
	final ExpectedLogs logs = ExpectedLogs.of(JobRunner.class);

	@BeforeEach
	void setUp() {
		this.transaction = new TransactionTemplate(this.transactionManager);
		// What handlers write: a run's effects commit with its completion, or not at all.
		this.jdbc
			.sql("create table if not exists jobs_test_effects (queue text not null, key text not null, "
					+ "node text not null)")
			.update();
	}

	@Test
	void aJobScheduledInATransactionThatRollsBackDoesNotExist() {
		TestHandler handler = handler(JobQueue.named(newQueue()));
		JobRunner node = node("a", handler);
		Instant now = this.clock.freeze();
		this.transaction.executeWithoutResult((status) -> {
			this.jobs.schedule(handler.queue, JobKey.of("brand1", "k"), now, null, IfScheduled.KEEP);
			assertThat(this.jobs.find(handler.queue, JobKey.of("brand1", "k"))).isPresent();
			status.setRollbackOnly();
		});
		assertThat(this.jobs.find(handler.queue, JobKey.of("brand1", "k"))).isEmpty();
		assertThat(node.runDue(handler.queue)).isZero();
		assertThat(handler.handled).isEmpty();
	}

	@Test
	void schedulingCancellingAndTakingNeedTheCallersTransaction() {
		String queue = newQueue();
		Instant now = this.clock.instant();
		assertThatExceptionOfType(IllegalTransactionStateException.class)
			.isThrownBy(() -> this.jobs.schedule(queue, JobKey.of("k"), now, null, IfScheduled.KEEP));
		assertThatExceptionOfType(IllegalTransactionStateException.class)
			.isThrownBy(() -> this.jobs.cancel(queue, JobKey.of("k")));
		assertThatExceptionOfType(IllegalTransactionStateException.class)
			.isThrownBy(() -> this.jobs.take(queue, List.of(JobKey.of("k"))));
		assertThat(this.jobs.find(queue, JobKey.of("k"))).isEmpty();
	}

	@Test
	void aJobRunsWhenDueWithItsPayloadAndItsEffectsCommitWithItsCompletion() {
		TestHandler handler = handler(JobQueue.named(newQueue()));
		JobRunner node = node("a", handler);
		Instant now = this.clock.freeze();
		schedule(handler.queue, JobKey.of("brand1", "soon"), now.plusSeconds(60), new Expiry("trade_1", 5));
		schedule(handler.queue, JobKey.of("brand1", "later"), now.plusSeconds(3600), null);

		assertThat(node.runDue(handler.queue)).isZero();
		this.clock.advance(Duration.ofSeconds(60));
		assertThat(node.runDue(handler.queue)).isEqualTo(1);

		assertThat(handler.handled).singleElement().satisfies((job) -> {
			assertThat(job.brandId()).isEqualTo("brand1");
			assertThat(job.key()).isEqualTo("soon");
			assertThat(job.attempts()).isEqualTo(1);
			assertThat(job.payloadAs(Expiry.class)).isEqualTo(new Expiry("trade_1", 5));
		});
		assertThat(effects(handler.queue)).containsExactly(Map.entry("soon", 1L));
		assertThat(this.jobs.find(handler.queue, JobKey.of("brand1", "soon"))).isEmpty();
		assertThat(this.jobs.find(handler.queue, JobKey.of("brand1", "later"))).isPresent();
	}

	@Test
	void theSameKeyIsOneJobPerBrandKeptOrReplacedAsTheCallerChooses() {
		String queue = newQueue();
		Instant now = this.clock.freeze();
		assertThat(schedule(queue, JobKey.of("brand1", "k"), now.plusSeconds(10), new Expiry("a", 1))).isTrue();
		assertThat(schedule(queue, JobKey.of("brand1", "k"), now.plusSeconds(99), new Expiry("b", 2), IfScheduled.KEEP))
			.isFalse();
		assertThat(this.jobs.find(queue, JobKey.of("brand1", "k")).orElseThrow().payloadAs(Expiry.class))
			.isEqualTo(new Expiry("a", 1));

		assertThat(
				schedule(queue, JobKey.of("brand1", "k"), now.plusSeconds(99), new Expiry("b", 2), IfScheduled.REPLACE))
			.isTrue();
		Job replaced = this.jobs.find(queue, JobKey.of("brand1", "k")).orElseThrow();
		assertThat(replaced.dueAt()).isEqualTo(now.plusSeconds(99));
		assertThat(replaced.payloadAs(Expiry.class)).isEqualTo(new Expiry("b", 2));

		// Another brand's job with the same key, and a job that is no brand's, are
		// others.
		assertThat(schedule(queue, JobKey.of("brand2", "k"), now, null)).isTrue();
		assertThat(schedule(queue, JobKey.of("k"), now, null)).isTrue();
		assertThat(this.jobs.find(queue, JobKey.of("k")).orElseThrow().brandId()).isNull();
	}

	@Test
	void manyJobsAreScheduledAtOnceInTheCallersTransactionKeptOrReplacedAsOneByOne() {
		TestHandler handler = handler(JobQueue.named(newQueue()));
		JobRunner node = node("a", handler);
		Instant now = this.clock.freeze();
		assertThat(schedule(handler.queue, JobKey.of("brand1", "kept"), now.plusSeconds(10), new Expiry("old", 1)))
			.isTrue();

		// A batch that rolls back leaves nothing.
		this.transaction.executeWithoutResult((status) -> {
			this.jobs.scheduleAll(handler.queue, List.of(new NewJob(JobKey.of("brand1", "gone"), now, null)),
					IfScheduled.KEEP);
			status.setRollbackOnly();
		});
		assertThat(this.jobs.find(handler.queue, JobKey.of("brand1", "gone"))).isEmpty();

		List<NewJob> batch = List.of(new NewJob(JobKey.of("brand1", "kept"), now, new Expiry("new", 2)),
				new NewJob(JobKey.of("brand1", "a"), now, new Expiry("a", 3)),
				new NewJob(JobKey.of("brand2", "a"), now.plusSeconds(60), null), new NewJob(JobKey.of("b"), now, null));
		assertThat(inTransaction(() -> this.jobs.scheduleAll(handler.queue, batch, IfScheduled.KEEP))).isEqualTo(3);
		assertThat(this.jobs.find(handler.queue, JobKey.of("brand1", "kept")).orElseThrow().payloadAs(Expiry.class))
			.isEqualTo(new Expiry("old", 1));
		assertThat(this.jobs.find(handler.queue, JobKey.of("brand2", "a")).orElseThrow().dueAt())
			.isEqualTo(now.plusSeconds(60));
		assertThat(this.jobs.find(handler.queue, JobKey.of("b")).orElseThrow().brandId()).isNull();

		assertThat(inTransaction(() -> this.jobs.scheduleAll(handler.queue, batch, IfScheduled.REPLACE))).isEqualTo(4);
		assertThat(this.jobs.find(handler.queue, JobKey.of("brand1", "kept")).orElseThrow().payloadAs(Expiry.class))
			.isEqualTo(new Expiry("new", 2));
		assertThat(node.runDue(handler.queue)).isEqualTo(3);
		assertThat(handler.handled).extracting(Job::key).containsExactlyInAnyOrder("kept", "a", "b");

		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> inTransaction(() -> this.jobs.scheduleAll(handler.queue,
					List.of(new NewJob(JobKey.of("x"), now, null), new NewJob(JobKey.of("x"), now, null)),
					IfScheduled.KEEP)));
		assertThatExceptionOfType(IllegalTransactionStateException.class).isThrownBy(() -> this.jobs
			.scheduleAll(handler.queue, List.of(new NewJob(JobKey.of("y"), now, null)), IfScheduled.KEEP));
	}

	@Test
	void aJobCancelledInTheCallersTransactionNeverRuns() {
		TestHandler handler = handler(JobQueue.named(newQueue()));
		JobRunner node = node("a", handler);
		Instant now = this.clock.freeze();
		schedule(handler.queue, JobKey.of("brand1", "k"), now, null);

		this.transaction.executeWithoutResult((status) -> {
			assertThat(this.jobs.cancel(handler.queue, JobKey.of("brand1", "k"))).isTrue();
			status.setRollbackOnly();
		});
		assertThat(this.jobs.find(handler.queue, JobKey.of("brand1", "k"))).isPresent();

		assertThat(inTransaction(() -> this.jobs.cancel(handler.queue, JobKey.of("brand1", "k")))).isTrue();
		assertThat(inTransaction(() -> this.jobs.cancel(handler.queue, JobKey.of("brand1", "k")))).isFalse();
		assertThat(node.runDue(handler.queue)).isZero();
		assertThat(handler.handled).isEmpty();
	}

	@Test
	void twoNodesRacingRunEachJobOnceEvenWhenClaimsLapseAtOnce() {
		// A lease of a microsecond: every claim has lapsed by the time its node runs it,
		// so
		// the nodes keep taking each other's jobs over.
		TestHandler onA = handler(
				JobQueue.named(newQueue()).withBatchSize(7).withLease(Duration.ofNanos(1_000)).withMaxAttempts(1_000));
		TestHandler onB = handler(onA.declared);
		racingNodesRunEachJobOnce(onA, onB, false);
	}

	@Test
	void twoNodesRacingRunEachJobOnceEvenWhenItStaysOnTheQueue() {
		// Each run reschedules its job for later (as a recurring job is): only the run
		// that
		// locks a job its own claim still holds may run it, or a node whose claim was
		// taken over would run the job again after the other node's run committed.
		TestHandler onA = handler(
				JobQueue.named(newQueue()).withBatchSize(7).withLease(Duration.ofNanos(1_000)).withMaxAttempts(1_000));
		TestHandler onB = handler(onA.declared);
		Consumer<Job> later = (job) -> this.jobs.schedule(job.queue(), job.jobKey(),
				this.clock.instant().plus(Duration.ofHours(1)), null, IfScheduled.REPLACE);
		onA.during = later;
		onB.during = later;
		racingNodesRunEachJobOnce(onA, onB, true);
	}

	@Test
	void twoNodesRacingRunEachJobOfANonTransactionalQueueOnce() {
		TestHandler onA = handler(JobQueue.named(newQueue()).withBatchSize(7).nonTransactional());
		TestHandler onB = handler(onA.declared);
		racingNodesRunEachJobOnce(onA, onB, false);
	}

	private void racingNodesRunEachJobOnce(TestHandler onA, TestHandler onB, boolean staysQueued) {
		JobRunner a = node("a", onA);
		JobRunner b = node("b", onB);
		Instant now = this.clock.instant();
		this.transaction.executeWithoutResult((status) -> {
			for (int i = 0; i < 200; i++) {
				this.jobs.schedule(onA.queue, JobKey.of("brand" + (i % 3), "job" + i), now, null, IfScheduled.KEEP);
			}
		});

		List<Integer> completed = Race.run(4, (i) -> ((i % 2 == 0) ? a : b).runDue(onA.queue));

		assertThat(completed.stream().mapToInt(Integer::intValue).sum()).isEqualTo(200);
		assertThat(onA.handled.size() + onB.handled.size()).isEqualTo(200);
		Map<String, Long> effects = effects(onA.queue);
		assertThat(effects).hasSize(200);
		assertThat(effects.values()).containsOnly(1L);
		assertThat(this.jdbc.sql("select count(*) from jobs where queue = :queue and due_at > :now")
			.param("queue", onA.queue)
			.param("now", JobStore.utc(now))
			.query(Long.class)
			.single()).isEqualTo(staysQueued ? 200 : 0);
	}

	@Test
	void aFailingJobIsRetriedWithBackoffThenKeptAsDead() {
		TestHandler handler = handler(JobQueue.named(newQueue()).withMaxAttempts(3));
		handler.failing = (job) -> true;
		JobRunner node = node("a", handler);
		JobKey key = JobKey.of("brand1", "k");
		Instant start = this.clock.freeze();
		schedule(handler.queue, key, start, null);

		assertThat(node.runDue(handler.queue)).isZero();
		Job first = this.jobs.find(handler.queue, key).orElseThrow();
		assertThat(first.attempts()).isEqualTo(1);
		assertThat(first.dueAt()).isEqualTo(start.plusSeconds(30));
		assertThat(first.lastError()).contains("refused k");
		assertThat(first.dead()).isFalse();
		// Not due again before its backoff.
		this.clock.advance(Duration.ofSeconds(29));
		assertThat(node.runDue(handler.queue)).isZero();
		assertThat(handler.handled).hasSize(1);

		this.clock.advance(Duration.ofSeconds(1));
		assertThat(node.runDue(handler.queue)).isZero();
		Job second = this.jobs.find(handler.queue, key).orElseThrow();
		assertThat(second.attempts()).isEqualTo(2);
		assertThat(second.dueAt()).isEqualTo(start.plusSeconds(30 + 60));

		this.clock.advance(Duration.ofSeconds(60));
		assertThat(node.runDue(handler.queue)).isZero();
		Job dead = this.jobs.find(handler.queue, key).orElseThrow();
		assertThat(dead.attempts()).isEqualTo(3);
		assertThat(dead.dead()).isTrue();
		assertThat(dead.deadAt()).isEqualTo(this.clock.instant());
		assertThat(dead.lastError()).contains("refused k");

		this.clock.advance(Duration.ofDays(2));
		assertThat(node.runDue(handler.queue)).isZero();
		assertThat(handler.handled).hasSize(3);
		// Every failed run rolled back what it wrote.
		assertThat(effects(handler.queue)).isEmpty();
		// A dead job is not taken off the queue by others.
		assertThat(inTransaction(() -> this.jobs.take(handler.queue, List.of(key)))).isEmpty();
		// Each failure is a warning, the death an error naming the job and the last
		// error.
		assertThat(this.logs.expect("Job brand1/k of queue " + handler.queue + " failed (attempt")).hasSize(2);
		assertThat(this.logs.expect("Job brand1/k of queue " + handler.queue + " failed 3 times and is dead"))
			.singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
			.contains("refused k");

		// Scheduled again, it lives again, whatever the caller asked for.
		assertThat(schedule(handler.queue, key, this.clock.instant(), null)).isTrue();
		handler.failing = (job) -> false;
		assertThat(node.runDue(handler.queue)).isEqualTo(1);
		assertThat(this.jobs.find(handler.queue, key)).isEmpty();
		assertThat(effects(handler.queue)).containsExactly(Map.entry("k", 1L));
	}

	@Test
	void deadJobsArePrunedOnceOlderThanTheRetentionAndLiveOnesStay() {
		TestHandler handler = handler(JobQueue.named(newQueue()).withMaxAttempts(1));
		handler.failing = (job) -> job.key().startsWith("poison");
		JobRunner node = node("a", handler);
		Instant start = this.clock.freeze();
		schedule(handler.queue, JobKey.of("brand1", "poison-old"), start, null);
		schedule(handler.queue, JobKey.of("brand1", "later"), start.plus(Duration.ofDays(90)), null);
		node.runDue(handler.queue);
		this.clock.advance(Duration.ofDays(20));
		schedule(handler.queue, JobKey.of("brand1", "poison-young"), this.clock.instant(), null);
		node.runDue(handler.queue);
		assertThat(this.jobs.find(handler.queue, JobKey.of("brand1", "poison-old")).orElseThrow().dead()).isTrue();
		assertThat(this.jobs.find(handler.queue, JobKey.of("brand1", "poison-young")).orElseThrow().dead()).isTrue();
		assertThat(this.logs.expect("and is dead")).hasSize(2);

		JobsProperties defaults = JobsProperties.defaults();
		DeadJobPruner pruner = new DeadJobPruner(new JobStore(this.jdbc), defaults, this.clock);
		this.clock.freezeAt(start.plus(Duration.ofDays(30)).minusSeconds(1));
		assertThat(pruner.prune()).as("not yet 30 days dead").isZero();
		this.clock.freezeAt(start.plus(Duration.ofDays(30)).plusSeconds(1));
		assertThat(pruner.prune()).isGreaterThanOrEqualTo(1);
		assertThat(this.jobs.find(handler.queue, JobKey.of("brand1", "poison-old"))).isEmpty();
		assertThat(this.jobs.find(handler.queue, JobKey.of("brand1", "poison-young"))).isPresent();
		assertThat(this.jobs.find(handler.queue, JobKey.of("brand1", "later"))).as("a live job stays").isPresent();

		// 0 keeps dead jobs until deleted by hand.
		JobsProperties keep = new JobsProperties(true, defaults.pollInterval(), defaults.lease(), defaults.batchSize(),
				defaults.maxAttempts(), defaults.backoff(), defaults.maxBackoff(), defaults.shutdownTimeout(),
				Duration.ZERO, defaults.pruneInterval());
		this.clock.freezeAt(start.plus(Duration.ofDays(400)));
		assertThat(new DeadJobPruner(new JobStore(this.jdbc), keep, this.clock).prune()).isZero();
		assertThat(this.jobs.find(handler.queue, JobKey.of("brand1", "poison-young"))).isPresent();
	}

	@Test
	void aFailingJobDoesNotHoldBackTheOthersOfItsBatch() {
		TestHandler handler = handler(JobQueue.named(newQueue()).withBatchSize(10));
		handler.failing = (job) -> job.key().equals("poison");
		JobRunner node = node("a", handler);
		Instant now = this.clock.freeze();
		for (String key : List.of("a", "b", "poison", "c", "d")) {
			schedule(handler.queue, JobKey.of("brand1", key), now, null);
		}

		assertThat(node.runDue(handler.queue)).isEqualTo(4);

		assertThat(handler.batches).first().isEqualTo(5);
		assertThat(effects(handler.queue)).containsOnlyKeys("a", "b", "c", "d").allSatisfy((key, runs) -> {
			assertThat(runs).isEqualTo(1L);
		});
		Job poison = this.jobs.find(handler.queue, JobKey.of("brand1", "poison")).orElseThrow();
		assertThat(poison.attempts()).isEqualTo(1);
		assertThat(poison.dueAt()).isAfter(now);
		assertThat(this.logs.expect("Job brand1/poison of queue " + handler.queue + " failed (attempt 1 of"))
			.hasSize(1);
	}

	@Test
	void aHandlerMayRescheduleTheJobItRuns() {
		TestHandler handler = handler(JobQueue.named(newQueue()));
		Instant now = this.clock.freeze();
		handler.during = (job) -> this.jobs.schedule(job.queue(), job.jobKey(), now.plusSeconds(3600), null,
				IfScheduled.REPLACE);
		JobRunner node = node("a", handler);
		schedule(handler.queue, JobKey.of("brand1", "k"), now, null);

		assertThat(node.runDue(handler.queue)).isEqualTo(1);

		Job again = this.jobs.find(handler.queue, JobKey.of("brand1", "k")).orElseThrow();
		assertThat(again.dueAt()).isEqualTo(now.plusSeconds(3600));
		assertThat(again.attempts()).isZero();
	}

	@Test
	void jobsTakenInTheCallersTransactionAreGoneOnlyIfItCommits() {
		TestHandler handler = handler(JobQueue.named(newQueue()));
		JobRunner node = node("a", handler);
		Instant now = this.clock.freeze();
		schedule(handler.queue, JobKey.of("brand1", "a"), now, new Expiry("a", 1));
		schedule(handler.queue, JobKey.of("brand2", "b"), now, null);
		schedule(handler.queue, JobKey.of("brand1", "later"), now.plusSeconds(60), null);
		List<JobKey> all = List.of(JobKey.of("brand1", "a"), JobKey.of("brand2", "b"), JobKey.of("brand1", "later"),
				JobKey.of("brand1", "missing"));

		this.transaction.executeWithoutResult((status) -> {
			assertThat(this.jobs.takeDue(handler.queue, all)).extracting(Job::key).containsExactly("a", "b");
			status.setRollbackOnly();
		});
		List<Job> taken = this.transaction.execute((status) -> this.jobs.take(handler.queue,
				List.of(JobKey.of("brand1", "a"), JobKey.of("brand1", "later"))));

		assertThat(taken).extracting(Job::key).containsExactly("a", "later");
		assertThat(taken.getFirst().payloadAs(Expiry.class)).isEqualTo(new Expiry("a", 1));
		this.clock.advance(Duration.ofHours(1));
		assertThat(node.runDue(handler.queue)).isEqualTo(1);
		assertThat(handler.handled).extracting(Job::key).containsExactly("b");
	}

	@Test
	void aNonTransactionalHandlerCompletesItsJobsWhenItReturnsOrTakesThemItself() {
		TestHandler handler = handler(JobQueue.named(newQueue()).withBatchSize(10).nonTransactional());
		// Like a batch pipeline: takes its jobs off the queue in the transaction that
		// does
		// their work, except "slow" (left for the runner to complete) and "bad" (fails).
		handler.during = (job) -> {
			if (job.key().equals("bad")) {
				throw new IllegalStateException("refused bad");
			}
		};
		handler.takesItsJobs = true;
		JobRunner node = node("a", handler);
		Instant now = this.clock.freeze();
		schedule(handler.queue, JobKey.of("brand1", "a"), now, null);
		schedule(handler.queue, JobKey.of("brand1", "slow"), now, null);
		assertThat(node.runDue(handler.queue)).isEqualTo(2);
		assertThat(effects(handler.queue)).containsOnlyKeys("a", "slow");
		assertThat(this.jobs.find(handler.queue, JobKey.of("brand1", "slow"))).isEmpty();

		schedule(handler.queue, JobKey.of("brand1", "b"), now, null);
		schedule(handler.queue, JobKey.of("brand1", "bad"), now, null);
		assertThat(node.runDue(handler.queue)).isZero();
		// The job taken in its own transaction stays done; the rest is retried.
		assertThat(this.jobs.find(handler.queue, JobKey.of("brand1", "b"))).isEmpty();
		assertThat(effects(handler.queue)).containsOnlyKeys("a", "slow", "b");
		Job bad = this.jobs.find(handler.queue, JobKey.of("brand1", "bad")).orElseThrow();
		assertThat(bad.attempts()).isEqualTo(1);
		assertThat(bad.lastError()).contains("refused bad");
		assertThat(this.logs.expect("Job brand1/bad of queue " + handler.queue + " failed (attempt 1 of")).hasSize(1);
	}

	@Test
	void aClaimThatLapsedIsTakenOverAndTheLateRunCompletesNothing() throws Exception {
		// Node a hangs in a non-transactional handler past its lease: node b takes the
		// job
		// over and runs it. When a finally returns, it must not complete the job as it is
		// now (scheduled again meanwhile).
		TestHandler onA = handler(JobQueue.named(newQueue()).withLease(Duration.ofMinutes(1)).nonTransactional());
		TestHandler onB = handler(onA.declared);
		CountDownLatch running = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		onA.during = (job) -> {
			running.countDown();
			awaitQuietly(release);
		};
		JobRunner a = node("a", onA);
		JobRunner b = node("b", onB);
		Instant now = this.clock.freeze();
		JobKey key = JobKey.of("brand1", "k");
		schedule(onA.queue, key, now, null);

		CompletableFuture<Integer> hung = CompletableFuture.supplyAsync(() -> a.runDue(onA.queue));
		assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
		assertThat(b.runDue(onA.queue)).isZero();
		this.clock.advance(Duration.ofMinutes(1));
		assertThat(b.runDue(onA.queue)).isEqualTo(1);
		assertThat(onB.handled).singleElement().extracting(Job::attempts).isEqualTo(2);
		assertThat(schedule(onA.queue, key, now.plus(Duration.ofHours(1)), null)).isTrue();

		release.countDown();
		hung.get(30, TimeUnit.SECONDS);
		assertThat(this.jobs.find(onA.queue, key)).hasValueSatisfying((job) -> {
			assertThat(job.dueAt()).isEqualTo(now.plus(Duration.ofHours(1)));
			assertThat(job.attempts()).isZero();
		});
	}

	@Test
	void aTransactionalRunThatOutlastsItsLeaseIsNotRunTwice() throws Exception {
		TestHandler onA = handler(JobQueue.named(newQueue()).withLease(Duration.ofMinutes(1)));
		TestHandler onB = handler(onA.declared);
		CountDownLatch running = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		onA.during = (job) -> {
			running.countDown();
			awaitQuietly(release);
		};
		JobRunner a = node("a", onA);
		JobRunner b = node("b", onB);
		Instant now = this.clock.freeze();
		schedule(onA.queue, JobKey.of("brand1", "k"), now, null);

		CompletableFuture<Integer> slow = CompletableFuture.supplyAsync(() -> a.runDue(onA.queue));
		assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
		this.clock.advance(Duration.ofMinutes(5));
		// The lease lapsed, but the run holds its job locked: nobody else takes it.
		assertThat(b.runDue(onA.queue)).isZero();

		release.countDown();
		assertThat(slow.get(30, TimeUnit.SECONDS)).isEqualTo(1);
		assertThat(onB.handled).isEmpty();
		assertThat(effects(onA.queue)).containsExactly(Map.entry("k", 1L));
		assertThat(this.jobs.find(onA.queue, JobKey.of("brand1", "k"))).isEmpty();
	}

	@Test
	void aRecurringJobRunsOncePerPeriodAcrossNodes() {
		TestHandler onA = handler(JobQueue.named(newQueue()).recurring(Duration.ofHours(1)));
		TestHandler onB = handler(onA.declared);
		JobRunner a = node("a", onA);
		JobRunner b = node("b", onB);
		Instant start = this.clock.freeze();
		assertThat(a.runDue(onA.queue) + b.runDue(onA.queue)).isZero();

		for (int period = 1; period <= 4; period++) {
			this.clock.advance(Duration.ofHours(1));
			List<Integer> runs = Race.run(4, (i) -> ((i % 2 == 0) ? a : b).runDue(onA.queue));
			assertThat(runs.stream().mapToInt(Integer::intValue).sum()).as("runs in period %d", period).isEqualTo(1);
		}
		// Three periods with no node running: one run, then on with the schedule.
		this.clock.advance(Duration.ofHours(3));
		assertThat(a.runDue(onA.queue) + b.runDue(onA.queue)).isEqualTo(1);
		assertThat(this.jobs.find(onA.queue, JobKey.of(JobStore.RECURRING_KEY)).orElseThrow().dueAt())
			.isEqualTo(start.plus(Duration.ofHours(8)));

		assertThat(onA.handled.size() + onB.handled.size()).isEqualTo(5);
		assertThat(effects(onA.queue)).containsExactly(Map.entry(JobStore.RECURRING_KEY, 5L));
	}

	@Test
	void aRecurringJobThatKeepsFailingWaitsForItsNextPeriodAndNeverDies() {
		TestHandler handler = handler(JobQueue.named(newQueue()).recurring(Duration.ofHours(1)).withMaxAttempts(2));
		handler.failing = (job) -> true;
		JobRunner node = node("a", handler);
		Instant start = this.clock.freeze();
		node.runDue(handler.queue);
		this.clock.advance(Duration.ofHours(1));

		assertThat(node.runDue(handler.queue)).isZero();
		this.clock.advance(Duration.ofSeconds(30));
		assertThat(node.runDue(handler.queue)).isZero();

		Job job = this.jobs.find(handler.queue, JobKey.of(JobStore.RECURRING_KEY)).orElseThrow();
		assertThat(job.dead()).isFalse();
		assertThat(job.attempts()).isZero();
		assertThat(job.lastError()).contains("refused");
		assertThat(job.dueAt()).isEqualTo(start.plus(Duration.ofHours(2)));
		assertThat(this.logs.expect("Job recurring of queue " + handler.queue + " failed (attempt 1 of 2)")).hasSize(1);
		assertThat(this.logs.expect("Recurring job of queue " + handler.queue + " failed 2 times")).hasSize(1);
		handler.failing = (j) -> false;
		this.clock.advance(Duration.ofHours(1));
		assertThat(node.runDue(handler.queue)).isEqualTo(1);
	}

	@Test
	void aJobDueNowWakesThisNodeAtItsCommit() {
		// The node polls once an hour: only the wake-up at commit can run the job soon.
		TestHandler handler = handler(JobQueue.named(newQueue()).withPollInterval(Duration.ofHours(1)));
		JobRunner node = node("a", handler);
		Jobs jobsOfNode = new Jobs(new JobStore(this.jdbc), node, this.clock);
		node.start();
		try {
			Instant now = this.clock.instant();
			this.transaction.executeWithoutResult((status) -> jobsOfNode.schedule(handler.queue,
					JobKey.of("brand1", "k"), now, null, IfScheduled.KEEP));
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(handler.handled).hasSize(1));
		}
		finally {
			node.stop();
		}
		assertThat(node.isRunning()).isFalse();
	}

	@Test
	void runningJobsInsideATransactionIsRefused() {
		TestHandler handler = handler(JobQueue.named(newQueue()));
		JobRunner node = node("a", handler);
		assertThatExceptionOfType(IllegalTransactionStateException.class)
			.isThrownBy(() -> this.transaction.executeWithoutResult((status) -> node.runDue(handler.queue)));
	}

	@Test
	void twoHandlersOfOneQueueAreRefused() {
		TestHandler one = handler(JobQueue.named(newQueue()));
		TestHandler two = handler(one.declared);
		JobRunner node = node("a", one, two);
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(node::start)
			.withMessageContaining("Two handlers");
	}

	@Test
	void theQueueGaugesCountDueJobsNoNodeHoldsTheOldestOnesWaitAndDeadJobs() {
		TestHandler handler = handler(JobQueue.named(newQueue()).withMaxAttempts(1));
		handler.failing = (job) -> job.key().equals("poison");
		JobRunner node = node("a", handler);
		String idle = newQueue();
		Instant now = this.clock.freeze();
		schedule(handler.queue, JobKey.of("brand1", "oldest"), now.minusSeconds(90), null);
		schedule(handler.queue, JobKey.of("brand2", "due"), now.minusSeconds(30), null);
		schedule(handler.queue, JobKey.of("brand1", "running"), now.minusSeconds(600), null);
		schedule(handler.queue, JobKey.of("brand1", "lapsed"), now.minusSeconds(60), null);
		schedule(handler.queue, JobKey.of("brand1", "later"), now.plusSeconds(60), null);
		// One claimed by a node that runs it, one whose node's claim lapsed.
		claim(handler.queue, "running", now.plusSeconds(30));
		claim(handler.queue, "lapsed", now.minusSeconds(1));

		Map<String, JobQueueMetrics.QueueState> states = this.queueMetrics.measure(Set.of(handler.queue, idle), now);
		assertThat(states.get(handler.queue)).isEqualTo(new JobQueueMetrics.QueueState(3, 90, 0));
		assertThat(states.get(idle)).isEqualTo(JobQueueMetrics.QueueState.EMPTY);

		// A job that dies leaves the due ones and counts as dead; the run empties the
		// rest.
		schedule(handler.queue, JobKey.of("brand1", "poison"), now.minusSeconds(120), null);
		assertThat(this.queueMetrics.measure(Set.of(handler.queue), now).get(handler.queue))
			.isEqualTo(new JobQueueMetrics.QueueState(4, 120, 0));
		node.runDue(handler.queue);
		assertThat(this.logs.expect("Job brand1/poison of queue " + handler.queue + " failed 1 times and is dead"))
			.hasSize(1);
		assertThat(this.queueMetrics.measure(Set.of(handler.queue), now).get(handler.queue))
			.isEqualTo(new JobQueueMetrics.QueueState(0, 0, 1));
		this.clock.advance(Duration.ofSeconds(100));
		assertThat(this.queueMetrics.measure(Set.of(handler.queue), this.clock.instant()).get(handler.queue))
			.isEqualTo(new JobQueueMetrics.QueueState(2, 700, 1));
	}

	// ---- support

	private void claim(String queue, String key, Instant until) {
		this.jdbc
			.sql("update jobs set claimed_by = 'elsewhere', claimed_until = :until where queue = :queue and key = :key")
			.param("until", JobStore.utc(until))
			.param("queue", queue)
			.param("key", key)
			.update();
	}

	private static String newQueue() {
		return "test-" + System.nanoTime() % 1_000_000 + "-" + QUEUES.incrementAndGet();
	}

	private TestHandler handler(JobQueue queue) {
		return new TestHandler(queue, this.jdbc, this.jobs, this.transaction);
	}

	/** A node: a runner of its own, with the given handlers, on the shared database. */
	private JobRunner node(String name, TestHandler... handlers) {
		for (TestHandler handler : handlers) {
			handler.node = name;
		}
		return new JobRunner(new JobStore(this.jdbc), this.transactionManager, this.clock, JobsProperties.defaults(),
				name, () -> List.of(handlers));
	}

	private boolean schedule(String queue, JobKey key, Instant dueAt, Object payload) {
		return schedule(queue, key, dueAt, payload, IfScheduled.KEEP);
	}

	private boolean schedule(String queue, JobKey key, Instant dueAt, Object payload, IfScheduled ifScheduled) {
		return inTransaction(() -> this.jobs.schedule(queue, key, dueAt, payload, ifScheduled));
	}

	private <T> T inTransaction(Supplier<T> work) {
		return this.transaction.execute((status) -> work.get());
	}

	/** How many committed runs wrote their effects, by job key. */
	private Map<String, Long> effects(String queue) {
		return this.jdbc.sql("select key from jobs_test_effects where queue = :queue")
			.param("queue", queue)
			.query(String.class)
			.list()
			.stream()
			.collect(Collectors.groupingBy((key) -> key, Collectors.counting()));
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await(60, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	record Expiry(String tradeId, int reminders) {
	}

	/**
	 * Records the jobs it runs and writes one effect row per run (inside the run's
	 * transaction, for a transactional queue; in a transaction of its own that also takes
	 * the job, if {@code takesItsJobs}).
	 */
	static final class TestHandler implements JobHandler {

		final JobQueue declared;

		final String queue;

		final List<Job> handled = new CopyOnWriteArrayList<>();

		final List<Integer> batches = new CopyOnWriteArrayList<>();

		private final JdbcClient jdbc;

		private final Jobs jobs;

		private final TransactionTemplate transaction;

		volatile String node = "?";

		volatile Predicate<Job> failing = (job) -> false;

		volatile Consumer<Job> during = (job) -> {
		};

		volatile boolean takesItsJobs;

		TestHandler(JobQueue declared, JdbcClient jdbc, Jobs jobs, TransactionTemplate transaction) {
			this.declared = declared;
			this.queue = declared.name();
			this.jdbc = jdbc;
			this.jobs = jobs;
			this.transaction = transaction;
		}

		@Override
		public JobQueue queue() {
			return this.declared;
		}

		@Override
		public void handleAll(List<Job> jobs) {
			this.batches.add(jobs.size());
			JobHandler.super.handleAll(jobs);
		}

		@Override
		public void handle(Job job) {
			this.handled.add(job);
			if (this.takesItsJobs && !job.key().equals("slow")) {
				this.transaction.executeWithoutResult((status) -> {
					if (!this.jobs.take(job.queue(), List.of(job.jobKey())).isEmpty()) {
						this.during.accept(job);
						effect(job);
					}
				});
				return;
			}
			this.during.accept(job);
			effect(job);
			if (this.failing.test(job)) {
				throw new IllegalStateException("refused " + job.key());
			}
		}

		private void effect(Job job) {
			this.jdbc.sql("insert into jobs_test_effects (queue, key, node) values (:queue, :key, :node)")
				.param("queue", job.queue())
				.param("key", job.key())
				.param("node", this.node)
				.update();
		}

	}

}
