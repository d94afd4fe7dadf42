package bot.resonance.rewards.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import bot.resonance.platform.jobs.Jobs;
import bot.resonance.rewards.internal.statistics.StatisticsChanges;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.IntegrationTestSupport;
import bot.resonance.support.TestBrand;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The analytics aggregates are written after the events' transaction
 * ({@link StatisticsChanges}): a batch records what it adds, without waiting for a fold;
 * a read of the analytics folds it in first and sees every event; a fold that fails loses
 * nothing and counts nothing twice; a brand with nothing waiting reads without waiting
 * for another brand's fold; the recurring job folds without a read. (Folds racing events
 * and a merge of members with changes not folded yet: in
 * {@link AnalyticsIntegrationTests}, against a brute-force count of the events.)
 */
@IntegrationTest
class StatisticsChangesIntegrationTests extends IntegrationTestSupport {

	@Autowired
	StatisticsChanges statistics;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	PlatformTransactionManager transactions;

	@Autowired
	Jobs jobs;

	@Test
	void eventsRecordTheirChangesWhileAFoldHoldsItsLockAndAReadSeesThemAll() throws Exception {
		TestBrand brand = brandWith(10_000, "message", Map.of("amount", 5));
		holdTheRecurringFold();
		// A transaction that folds and keeps the folds' lock (as a member merge does)
		// while events arrive: they are answered, and what they add waits as changes.
		try (FoldLock lock = holdTheFoldLock()) {
			assertThat(this.client.event(brand, "message", newUserId()).text("status")).isEqualTo("awarded");
			assertThat(this.client.event(brand, "message", newUserId()).text("status")).isEqualTo("awarded");
			assertThat(this.client.event(brand, "nope", newUserId()).errorCode()).isEqualTo("EVENT_DISABLED");
			assertThat(recordedChanges(brand)).isEqualTo(3);
			assertThat(hourlyEvents(brand)).isZero();
		}

		JsonNode totals = todaysTotals(brand);
		assertThat(totals.get("events").asLong()).isEqualTo(3);
		assertThat(totals.get("awarded").asLong()).isEqualTo(2);
		assertThat(totals.get("rejected").asLong()).isEqualTo(1);
		assertThat(totals.get("unique_members").asLong()).isEqualTo(2);
		assertThat(recordedChanges(brand)).isZero();
		assertThat(hourlyEvents(brand)).isEqualTo(3);
	}

	@Test
	void aFoldThatFailsLosesNothingAndTheNextCountsEachEventOnce() {
		TestBrand brand = brandWith(10_000, "message", Map.of("amount", 5));
		holdTheRecurringFold();
		this.client.event(brand, "message", newUserId());
		this.client.event(brand, "message", newUserId());
		// Folded, then rolled back (as a node that dies mid-fold): the changes are still
		// there and the aggregates as before.
		new TransactionTemplate(this.transactions).executeWithoutResult((status) -> {
			this.statistics.foldInThisTransaction();
			assertThat(recordedChanges(brand)).isZero();
			assertThat(hourlyEvents(brand)).isEqualTo(2);
			status.setRollbackOnly();
		});
		assertThat(hourlyEvents(brand)).isZero();
		assertThat(recordedChanges(brand)).isEqualTo(2);

		this.statistics.fold();
		this.statistics.fold();
		assertThat(recordedChanges(brand)).isZero();
		assertThat(hourlyEvents(brand)).isEqualTo(2);
		JsonNode totals = todaysTotals(brand);
		assertThat(totals.get("events").asLong()).isEqualTo(2);
		assertThat(totals.get("unique_members").asLong()).isEqualTo(2);
		assertThat(totals.get("new_members").asLong()).isEqualTo(2);
	}

	@Test
	void aQuietBrandsReadDoesNotWaitForAFoldOfAnotherBrandsEvents() throws Exception {
		TestBrand quiet = brandWith(10_000, "message", Map.of("amount", 5));
		TestBrand busy = brandWith(10_000, "message", Map.of("amount", 5));
		holdTheRecurringFold();
		this.client.event(quiet, "message", newUserId());
		this.statistics.fold();
		// A transaction holds the folds' lock (as a merge does, or a long fold) while the
		// busy brand's event arrives and waits as a change.
		ExecutorService readers = Executors.newFixedThreadPool(2);
		try (FoldLock lock = holdTheFoldLock()) {
			this.client.event(busy, "message", newUserId());
			Future<JsonNode> busyRead = readers.submit(() -> todaysTotals(busy));
			// The quiet brand has nothing waiting: its read answers while the lock is
			// held.
			JsonNode quietTotals = readers.submit(() -> todaysTotals(quiet)).get(20, TimeUnit.SECONDS);
			assertThat(quietTotals.get("events").asLong()).isEqualTo(1);
			// The busy brand's read waits for the lock, to count its event.
			Thread.sleep(300);
			assertThat(busyRead).isNotDone();
			lock.close();
			assertThat(busyRead.get(30, TimeUnit.SECONDS).get("events").asLong()).isEqualTo(1);
		}
		finally {
			readers.shutdown();
		}
	}

	@Test
	void theRecurringJobFoldsWithoutARead() {
		TestBrand brand = brandWith(10_000, "message", Map.of("amount", 5));
		this.client.event(brand, "message", newUserId());
		// Brought forward, as the job's next period would (the shared clock is frozen).
		assertThat(
				this.jdbc.sql("update jobs set due_at = :now where queue = 'reward-statistics' and key = 'recurring'")
					.param("now", this.clock.instant().minusSeconds(1).atOffset(ZoneOffset.UTC))
					.update())
			.isEqualTo(1);
		this.jobs.runDue("reward-statistics");
		Awaitility.await()
			.atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(recordedChanges(brand)).isZero());
		assertThat(hourlyEvents(brand)).isEqualTo(1);
	}

	/**
	 * Starts a transaction that folds and keeps the folds' lock, as a member merge does,
	 * until the answer is closed.
	 */
	private FoldLock holdTheFoldLock() throws InterruptedException {
		CountDownLatch held = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		ExecutorService thread = Executors.newSingleThreadExecutor();
		Future<?> holder = thread.submit(() -> new TransactionTemplate(this.transactions).executeWithoutResult((s) -> {
			this.statistics.foldInThisTransaction();
			held.countDown();
			try {
				release.await(60, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}));
		assertThat(held.await(30, TimeUnit.SECONDS)).isTrue();
		return new FoldLock(release, holder, thread);
	}

	/** A transaction holding the folds' lock; closing it (once or more) commits it. */
	private record FoldLock(CountDownLatch release, Future<?> holder, ExecutorService thread) implements AutoCloseable {

		@Override
		public void close() throws Exception {
			this.release.countDown();
			this.holder.get(30, TimeUnit.SECONDS);
			this.thread.shutdown();
		}

	}

	/**
	 * Keeps the recurring fold out of the test: the shared clock stands still and the job
	 * waits for a period ahead of it, and a run under way has ended.
	 */
	private void holdTheRecurringFold() {
		Instant now = this.clock.freeze();
		this.jdbc.sql("update jobs set due_at = :later where queue = 'reward-statistics' and key = 'recurring'")
			.param("later", now.plus(Duration.ofHours(1)).atOffset(ZoneOffset.UTC))
			.update();
		Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> this.jdbc.sql("""
				select count(*) from jobs
				where queue = 'reward-statistics' and key = 'recurring' and claimed_by is null and due_at > :now
				""").param("now", now.atOffset(ZoneOffset.UTC)).query(Long.class).single() == 1);
		this.statistics.fold();
	}

	private JsonNode todaysTotals(TestBrand brand) {
		LocalDate today = LocalDate.ofInstant(this.clock.instant(), ZoneOffset.UTC);
		return this.client.get(brand, "/v1/analytics/summary?from=" + today + "&to=" + today.plusDays(1))
			.json()
			.get("totals");
	}

	/** The events' changes recorded for the brand and not folded yet. */
	private long recordedChanges(TestBrand brand) {
		return this.jdbc.sql("""
				select count(*) from reward_stat_changes c cross join lateral unnest(c.brand_ids) b where b = :brand
				""").param("brand", brand.brandId()).query(Long.class).single();
	}

	private long hourlyEvents(TestBrand brand) {
		return this.jdbc.sql("select coalesce(sum(events), 0) from reward_stats_hourly where brand_id = :brand")
			.param("brand", brand.brandId())
			.query(Long.class)
			.single();
	}

}
