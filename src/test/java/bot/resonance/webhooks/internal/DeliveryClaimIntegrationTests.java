package bot.resonance.webhooks.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Future;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import bot.resonance.support.IntegrationTest;
import bot.resonance.support.IntegrationTestSupport;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The claim against the queue table itself. The deliveries are queued in the past, in the
 * year 2000, and claimed as if it were then, when nothing else in the shared database is
 * due; the running node's worker is stopped meanwhile, so they are not sent.
 *
 * <p>
 * Claims see every due delivery while there are few; with a backlog (more due than twice
 * the limit, at least 100) they walk the endpoints instead. Tests say which they cover.
 */
@IntegrationTest
class DeliveryClaimIntegrationTests extends IntegrationTestSupport {

	private static final Instant THEN = Instant.parse("2000-01-01T00:00:00Z");

	private static final DeliveryRepository.Cursor START = DeliveryRepository.Cursor.START;

	@Autowired
	DeliveryRepository repository;

	@Autowired
	DeliveryWorker worker;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	PlatformTransactionManager transactionManager;

	@Autowired
	DataSource dataSource;

	final List<String> brands = new ArrayList<>();

	@BeforeEach
	void stopWorker() {
		this.worker.stop();
	}

	@AfterEach
	void removeDeliveries() {
		for (String brand : this.brands) {
			this.jdbc.sql("delete from webhook_queue where brand_id = :brand").param("brand", brand).update();
			this.jdbc.sql("delete from webhook_deliveries where brand_id = :brand").param("brand", brand).update();
			this.jdbc.sql("delete from webhook_messages where brand_id = :brand").param("brand", brand).update();
		}
		this.worker.start();
	}

	@Test
	void aBrandWithAHugeBacklogDoesNotHideTheOthers() {
		String flooding = brand();
		String quiet = brand();
		queue(flooding, endpoints(3), 3_000, THEN.minus(Duration.ofHours(1)));
		queue(quiet, endpoints(1), 3, THEN.minus(Duration.ofMinutes(1)));

		// A backlog: the claim walks the endpoints.
		List<DeliveryRepository.Claimed> claimed = claim(20, room(16, Map.of(), 16, Map.of()), START).deliveries();

		assertThat(claimed).filteredOn((c) -> c.brandId().equals(quiet)).hasSize(3);
		assertThat(claimed).filteredOn((c) -> c.brandId().equals(flooding)).hasSize(16);
	}

	@Test
	void withFewDueEveryBrandGetsItsShare() {
		String busy = brand();
		String quiet = brand();
		queue(busy, endpoints(2), 30, THEN.minus(Duration.ofHours(1)));
		queue(quiet, endpoints(1), 5, THEN.minus(Duration.ofMinutes(1)));

		// 35 due, no backlog for a limit of 200: the claim sees them all.
		List<DeliveryRepository.Claimed> claimed = claim(200, room(10, Map.of(), 16, Map.of()), START).deliveries();

		assertThat(claimed).filteredOn((c) -> c.brandId().equals(busy)).hasSize(10);
		assertThat(claimed).filteredOn((c) -> c.brandId().equals(quiet)).hasSize(5);
	}

	@Test
	void brandsAndEndpointsGetNoMoreThanTheirRoom() {
		// 300 due: all seen for a limit of 200, a backlog for a limit of 20.
		for (int limit : new int[] { 200, 20 }) {
			String brand = brand();
			List<UUID> endpoints = endpoints(3);
			queue(brand, endpoints, 300, THEN.minus(Duration.ofHours(1)));

			assertThat(claim(limit, room(10, Map.of(), 16, Map.of()), START).deliveries()).as("limit " + limit)
				.hasSize(10);
			// The brand already has deliveries in flight; the first endpoint has no
			// room, the second room for one more.
			List<DeliveryRepository.Claimed> claimed = claim(limit,
					room(10, Map.of(brand, 4), 16, Map.of(endpoints.get(0), 0, endpoints.get(1), 1)), START)
				.deliveries();
			assertThat(claimed).as("limit " + limit).hasSize(4);
			assertThat(claimed).extracting(DeliveryRepository.Claimed::endpointId)
				.doesNotContain(endpoints.get(0))
				.containsOnlyOnce(endpoints.get(1));
			// A brand with no room left gets nothing.
			assertThat(claim(limit, room(10, Map.of(brand, 0), 16, Map.of()), START).deliveries()).as("limit " + limit)
				.isEmpty();
			clear(brand);
		}
	}

	@Test
	void withinABrandEveryEndpointGetsATurn() {
		// 60 due (all seen) and 2,000 due (a backlog).
		for (int each : new int[] { 3, 100 }) {
			String brand = brand();
			List<UUID> endpoints = endpoints(20);
			queue(brand, endpoints, 20 * each, THEN.minus(Duration.ofHours(1)));

			List<DeliveryRepository.Claimed> claimed = claim(200, room(20, Map.of(), 16, Map.of()), START).deliveries();

			assertThat(claimed).extracting(DeliveryRepository.Claimed::endpointId)
				.as(each + " due per endpoint")
				.containsExactlyInAnyOrderElementsOf(endpoints);
			clear(brand);
		}
	}

	@Test
	void successiveClaimsGoRoundTheBrands() {
		List<String> brands = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			String brand = brand();
			brands.add(brand);
			queue(brand, endpoints(2), 100, THEN.minus(Duration.ofHours(1)).plusSeconds(i));
		}
		DeliveryRepository.Cursor cursor = START;
		Map<String, Integer> taken = new HashMap<>();
		// A backlog; each claim takes one brand's share (what it took is in flight),
		// so in six claims every brand has its turn.
		for (int round = 0; round < 6; round++) {
			Map<String, Integer> left = new HashMap<>();
			taken.forEach((brand, count) -> left.put(brand, 10 - count));
			DeliveryRepository.ClaimRound claim = claim(10, room(10, left, 16, Map.of()), cursor);
			assertThat(claim.deliveries()).hasSize(10);
			assertThat(claim.more()).isTrue();
			claim.deliveries().forEach((d) -> taken.merge(d.brandId(), 1, Integer::sum));
			cursor = claim.next();
		}
		assertThat(taken).containsOnlyKeys(brands).allSatisfy((brand, count) -> assertThat(count).isEqualTo(10));
	}

	@Test
	void everyDeliveryCarriesItsOwnMessagesBody() {
		// Two brands whose messages have the same ids, each message to three endpoints;
		// claims of five take some of a message's deliveries and leave the rest.
		String first = brand();
		String second = brand();
		List<UUID> endpoints = endpoints(3);
		for (String brand : List.of(first, second)) {
			for (int message = 0; message < 4; message++) {
				queue(brand, "msg_shared_" + message, body(brand, message), endpoints, 3,
						THEN.minus(Duration.ofMinutes(10 - message)));
			}
		}
		List<DeliveryRepository.Claimed> claimed = new ArrayList<>();
		for (int round = 0; round < 10 && claimed.size() < 24; round++) {
			List<DeliveryRepository.Claimed> taken = claim(5, room(128, Map.of(), 16, Map.of()), START).deliveries();
			assertThat(taken).hasSizeLessThanOrEqualTo(5);
			claimed.addAll(taken);
		}

		assertThat(claimed).hasSize(24)
			.allSatisfy((delivery) -> assertThat(delivery.body()).isEqualTo(body(delivery.brandId(),
					Integer.parseInt(delivery.messageId().substring("msg_shared_".length())))));
	}

	private static String body(String brand, int message) {
		return "{\"brand\":\"" + brand + "\",\"message\":" + message + "}";
	}

	@Test
	void claimedDeliveriesAreDueAgainWhenTheClaimLapses() {
		String brand = brand();
		queue(brand, endpoints(1), 5, THEN.minus(Duration.ofMinutes(1)));
		DeliveryRepository.Room room = room(128, Map.of(), 16, Map.of());

		DeliveryRepository.ClaimRound first = claim(200, room, START);
		assertThat(first.deliveries()).hasSize(5).allSatisfy((d) -> assertThat(d.attempt()).isEqualTo(1));
		assertThat(first.more()).isFalse();
		assertThat(claim(200, room, first.next()).deliveries()).isEmpty();

		// The node that claimed them died: once the claim lapses, they are due again.
		List<DeliveryRepository.Claimed> again = new TransactionTemplate(this.transactionManager)
			.execute((status) -> this.repository.claim(THEN.plus(Duration.ofMinutes(3)),
					THEN.plus(Duration.ofMinutes(5)), 200, room, START, START))
			.deliveries();
		assertThat(again).hasSize(5).allSatisfy((d) -> assertThat(d.attempt()).isEqualTo(2));
	}

	@Test
	void aClaimThatFindsNothingSaysWhetherItLookedAtEveryEndpoint() {
		// A backlog that is not claimable (its brand has no room), more endpoints than
		// one claim looks at with nothing due, and one delivery due elsewhere.
		String full = brand();
		queue(full, endpoints(2), 200, THEN.minus(Duration.ofHours(1)));
		String waiting = brand();
		queue(waiting, endpoints(DeliveryRepository.MAX_VISITS + 10), DeliveryRepository.MAX_VISITS + 10,
				THEN.plus(Duration.ofHours(1)));
		String due = brand();
		queue(due, endpoints(1), 1, THEN.minus(Duration.ofMinutes(1)));
		DeliveryRepository.Room room = room(128, Map.of(full, 0), 16, Map.of());

		// From just before the brand with nothing due: a claim looks at its first
		// endpoints only, finds nothing, and says it stopped early.
		DeliveryRepository.Cursor start = new DeliveryRepository.Cursor(waiting.substring(0, waiting.length() - 1),
				new UUID(0, 0));
		DeliveryRepository.ClaimRound first = claim(20, room, start, start);
		assertThat(first.deliveries()).isEmpty();
		assertThat(first.more()).isTrue();

		// The next claims go on to where the first began, then say they are done.
		List<DeliveryRepository.Claimed> claimed = new ArrayList<>();
		DeliveryRepository.Cursor cursor = first.next();
		boolean more = true;
		for (int round = 0; more && round < 20; round++) {
			DeliveryRepository.ClaimRound claim = claim(20, room, cursor, start);
			claimed.addAll(claim.deliveries());
			more = claim.more();
			cursor = claim.next();
		}
		assertThat(more).as("came round to where the first claim began").isFalse();
		assertThat(claimed).extracting(DeliveryRepository.Claimed::brandId).containsExactly(due);
	}

	/**
	 * A claim that lapsed is taken over while its attempt is being recorded: the new
	 * claim holds the queue row and then takes the delivery, the recording takes the
	 * queue row first too, so it waits for the claim (whose attempt then counts) instead
	 * of deadlocking with it (PostgreSQL would abort one of them).
	 */
	@Test
	void recordingAnAttemptWhileItsLapsedClaimIsTakenOverWaitsInsteadOfDeadlocking() throws Exception {
		String brand = brand();
		queue(brand, endpoints(1), 1, THEN.minus(Duration.ofMinutes(1)));
		DeliveryRepository.Claimed first = claim(10, room(16, Map.of(), 16, Map.of()), START).deliveries().getFirst();
		TransactionTemplate transactions = new TransactionTemplate(this.transactionManager);
		CountDownLatch queueRowTaken = new CountDownLatch(1);
		CountDownLatch recordingStarted = new CountDownLatch(1);
		ExecutorService threads = Executors.newFixedThreadPool(2);
		try {
			// The taking-over claim, step by step: the queue row, then (once the
			// recording
			// is under way) the delivery.
			Future<Integer> takeover = threads.submit(() -> transactions.execute((status) -> {
				this.jdbc.sql("select 1 from webhook_queue where brand_id = :brand for update")
					.param("brand", brand)
					.query()
					.listOfRows();
				queueRowTaken.countDown();
				await(recordingStarted);
				LockSupport.parkNanos(Duration.ofMillis(300).toNanos());
				return this.jdbc.sql("update webhook_deliveries set attempts = attempts + 1 where brand_id = :brand")
					.param("brand", brand)
					.update();
			}));
			await(queueRowTaken);
			Future<?> recording = threads.submit(() -> {
				recordingStarted.countDown();
				transactions
					.executeWithoutResult(
							(status) -> this.repository.complete(
									List.of(new DeliveryRepository.Completion(brand, first.id(), first.attempt(),
											"succeeded", first.attempt(), null, 200, null, "ok", THEN, 5, true)),
									THEN));
			});
			assertThat(takeover.get(30, TimeUnit.SECONDS)).isEqualTo(1);
			recording.get(30, TimeUnit.SECONDS);
		}
		finally {
			threads.shutdownNow();
		}
		// The attempt whose claim was taken over is not applied: the delivery is the new
		// claim's.
		assertThat(this.jdbc.sql("select status from webhook_deliveries where brand_id = :brand")
			.param("brand", brand)
			.query(String.class)
			.single()).isEqualTo("sending");
	}

	/**
	 * The queue fills and empties in bursts, so autovacuum can vacuum or analyze it with
	 * no live row: its statistics then say it is empty, whatever it holds a second later.
	 * A claim and the recording of its attempts still read only the rows they take; plans
	 * that believed the statistics read every due delivery once per delivery claimed, or
	 * a brand's whole queue per delivery recorded, and deliveries fell to a few hundred a
	 * second in the benchmark until the next analyze.
	 */
	@Test
	void claimingAndRecordingReadOnlyTheirRowsWhenTheQueuesStatisticsSayItIsEmpty() {
		String brand = brand();
		queue(brand, endpoints(4), 3_000, THEN.minus(Duration.ofHours(1)));
		// Other brands' deliveries, due later: reading them would be reading the queue.
		queue(brand(), endpoints(2), 20_000, THEN.plus(Duration.ofDays(1)));
		TransactionTemplate transactions = new TransactionTemplate(this.transactionManager);
		try {
			statisticsSayTheQueueIsEmpty();
			long[] claimReads = new long[1];
			List<DeliveryRepository.Claimed> claimed = transactions.execute((status) -> {
				long before = queueRowsRead();
				List<DeliveryRepository.Claimed> round = this.repository
					.claim(THEN, THEN.plus(Duration.ofMinutes(2)), 200, room(200, Map.of(), 50, Map.of()), START, START)
					.deliveries();
				claimReads[0] = queueRowsRead() - before;
				return round;
			});
			assertThat(claimed).hasSize(200);
			List<DeliveryRepository.Completion> completions = claimed.stream()
				.map((c) -> new DeliveryRepository.Completion(brand, c.id(), c.attempt(), "succeeded", c.attempt(),
						null, 200, null, "ok", THEN, 5, true))
				.toList();
			long recordReads = transactions.execute((status) -> {
				long before = queueRowsRead();
				this.repository.complete(completions, THEN);
				return queueRowsRead() - before;
			});
			// The claim reads the oldest due deliveries (with these statistics possibly
			// every
			// due one, once), the endpoints' first rows and the ones it takes, not the
			// due
			// ones again to find those; the recording each attempt's row to lock it and
			// again
			// to delete it, not the queue.
			assertThat(claimReads[0]).as("queue rows the claim read").isLessThan(3_000 + 1_500);
			assertThat(recordReads).as("queue rows the recording read").isLessThanOrEqualTo(2 * 200);
			assertThat(this.jdbc
				.sql("select count(*) from webhook_deliveries where brand_id = :brand and status = 'succeeded'")
				.param("brand", brand)
				.query(Long.class)
				.single()).isEqualTo(200);
		}
		finally {
			this.jdbc.sql("analyze webhook_queue").update();
		}
	}

	/**
	 * Pausing or disabling an endpoint holds its pending deliveries and takes them off
	 * the queue. With the queue's statistics saying it is empty, a join there could
	 * compare every queued row with every held delivery; it reads the endpoint's rows
	 * only.
	 */
	@Test
	void holdingAnEndpointReadsItsOwnQueuedDeliveriesWhenTheQueuesStatisticsSayItIsEmpty() {
		String brand = brand();
		List<UUID> endpoints = endpoints(2);
		queue(brand, endpoints, 4_000, THEN.minus(Duration.ofHours(1)));
		queue(brand(), endpoints(2), 20_000, THEN.plus(Duration.ofDays(1)));
		TransactionTemplate transactions = new TransactionTemplate(this.transactionManager);
		try {
			statisticsSayTheQueueIsEmpty();
			long[] reads = new long[1];
			Integer held = transactions.execute((status) -> {
				long before = queueRowsReadAnyWay();
				int count = this.repository.hold(brand, endpoints.getFirst(), THEN);
				reads[0] = queueRowsReadAnyWay() - before;
				return count;
			});
			assertThat(held).isEqualTo(2_000);
			// Each of the endpoint's rows twice by its key (locked, then deleted), never
			// the 24,000 of the whole queue.
			assertThat(reads[0]).as("queue rows read").isLessThanOrEqualTo(4_000);
			assertThat(this.jdbc.sql("""
					select endpoint_id, count(*) from webhook_queue where brand_id = :brand group by endpoint_id
					""")
				.param("brand", brand)
				.query((rs, row) -> Map.entry(rs.getObject(1, UUID.class), rs.getLong(2)))
				.list()).containsExactly(Map.entry(endpoints.get(1), 2_000L));
		}
		finally {
			this.jdbc.sql("analyze webhook_queue").update();
		}
	}

	/** What a vacuum or analyze of the queue holding only dead rows leaves behind. */
	/**
	 * Holding an endpoint (paused, or disabled by the writer while it records outcomes)
	 * while a claim takes one of its deliveries: the claim has locked the queue row and
	 * goes on to the delivery. The hold takes the queue rows first, as the claim does, so
	 * it waits for the claim instead of deadlocking with it.
	 */
	@Test
	void holdingAnEndpointWhileAClaimTakesOneOfItsDeliveriesWaitsForTheClaim() throws Exception {
		String brand = brand();
		UUID endpoint = endpoints(1).getFirst();
		queue(brand, List.of(endpoint), 1, THEN.minus(Duration.ofHours(1)));
		String delivery = this.jdbc.sql("select delivery_id from webhook_queue where brand_id = :brand")
			.param("brand", brand)
			.query(String.class)
			.single();
		TransactionTemplate transactions = new TransactionTemplate(this.transactionManager);
		try (Connection claim = this.dataSource.getConnection();
				ExecutorService executor = Executors.newSingleThreadExecutor()) {
			claim.setAutoCommit(false);
			// The claim's first step: the queue row, locked.
			try (PreparedStatement lock = claim
				.prepareStatement("select 1 from webhook_queue where brand_id = ? and delivery_id = ? for update")) {
				lock.setString(1, brand);
				lock.setString(2, delivery);
				lock.executeQuery().close();
			}
			Future<Integer> hold = executor
				.submit(() -> transactions.execute((status) -> this.repository.hold(brand, endpoint, THEN)));
			awaitHoldWaitingForALock();
			// The claim's second step: the delivery, which the hold must not have taken.
			try (PreparedStatement sending = claim
				.prepareStatement("update webhook_deliveries set status = 'sending' where brand_id = ? and id = ?")) {
				sending.setString(1, brand);
				sending.setString(2, delivery);
				assertThat(sending.executeUpdate()).isEqualTo(1);
			}
			claim.commit();
			assertThat(hold.get(30, TimeUnit.SECONDS)).as("deliveries held").isZero();
		}
		assertThat(this.jdbc.sql("select status from webhook_deliveries where brand_id = :brand")
			.param("brand", brand)
			.query(String.class)
			.single()).isEqualTo("sending");
	}

	private void awaitHoldWaitingForALock() {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (this.jdbc.sql("""
				select count(*) from pg_stat_activity
				where wait_event_type = 'Lock' and query like '%set status = ''held''%'
				""").query(Long.class).single() == 0) {
			assertThat(System.nanoTime()).as("the hold waiting for a lock").isLessThan(deadline);
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
		}
	}

	private void statisticsSayTheQueueIsEmpty() {
		this.jdbc.sql("""
				update pg_class set reltuples = 0, relpages = 100
				where oid in (select 'webhook_queue'::regclass union all
				              select indexrelid from pg_index where indrelid = 'webhook_queue'::regclass)
				""").update();
	}

	/**
	 * Queue rows read through indexes by this connection so far, counting what it has not
	 * reported yet (so within a transaction the difference is the transaction's).
	 */
	private long queueRowsRead() {
		return this.jdbc.sql("select idx_tup_fetch from pg_stat_xact_user_tables where relname = 'webhook_queue'")
			.query(Long.class)
			.single();
	}

	/** The same, through indexes or by scanning the table. */
	private long queueRowsReadAnyWay() {
		return this.jdbc
			.sql("select idx_tup_fetch + seq_tup_read from pg_stat_xact_user_tables where relname = 'webhook_queue'")
			.query(Long.class)
			.single();
	}

	private static void await(CountDownLatch latch) {
		try {
			assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private DeliveryRepository.ClaimRound claim(int limit, DeliveryRepository.Room room,
			DeliveryRepository.Cursor after) {
		return claim(limit, room, after, after);
	}

	private DeliveryRepository.ClaimRound claim(int limit, DeliveryRepository.Room room,
			DeliveryRepository.Cursor after, DeliveryRepository.Cursor stopAt) {
		return new TransactionTemplate(this.transactionManager).execute(
				(status) -> this.repository.claim(THEN, THEN.plus(Duration.ofMinutes(2)), limit, room, after, stopAt));
	}

	/** Takes the brand's deliveries off the queue. */
	private void clear(String brand) {
		this.jdbc.sql("delete from webhook_queue where brand_id = :brand").param("brand", brand).update();
	}

	private static DeliveryRepository.Room room(int perBrand, Map<String, Integer> brands, int perEndpoint,
			Map<UUID, Integer> endpoints) {
		return new DeliveryRepository.Room(perBrand, brands, perEndpoint, endpoints);
	}

	private String brand() {
		byte[] bytes = new byte[20];
		ThreadLocalRandom.current().nextBytes(bytes);
		String brand = "0x" + HexFormat.of().formatHex(bytes);
		this.brands.add(brand);
		return brand;
	}

	private static List<UUID> endpoints(int count) {
		List<UUID> endpoints = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			endpoints.add(UUID.randomUUID());
		}
		return endpoints;
	}

	/**
	 * Queues {@code count} deliveries of one message to the endpoints in turn, due a
	 * millisecond apart from {@code firstDue}.
	 */
	private void queue(String brand, List<UUID> endpoints, int count, Instant firstDue) {
		queue(brand, "msg_" + UUID.randomUUID(), "{}", endpoints, count, firstDue);
	}

	private void queue(String brand, String message, String body, List<UUID> endpoints, int count, Instant firstDue) {
		this.jdbc.sql("""
				insert into webhook_messages (brand_id, id, event, body, created_at)
				values (:brand, :message, 'test.event', :body, now())
				""").param("brand", brand).param("message", message).param("body", body).update();
		this.jdbc.sql("""
				with queued as (
				    insert into webhook_deliveries
				        (brand_id, id, endpoint_id, message_id, event, status, next_attempt_at, created_at, updated_at)
				    select :brand, 'dlv_' || :message || '_' || lpad(g::text, 7, '0'),
				           (:endpoints::uuid[])[1 + g % cardinality(:endpoints::uuid[])], :message, 'test.event',
				           'pending', :firstDue::timestamptz + g * interval '1 millisecond', now(), now()
				    from generate_series(0, :count - 1) g
				    returning brand_id, id, endpoint_id, next_attempt_at
				)
				insert into webhook_queue (brand_id, delivery_id, endpoint_id, due_at)
				select brand_id, id, endpoint_id, next_attempt_at from queued
				""")
			.param("brand", brand)
			.param("message", message)
			.param("endpoints", endpoints.stream().map(UUID::toString).toArray(String[]::new))
			.param("firstDue", firstDue.toString())
			.param("count", count)
			.update();
	}

}
