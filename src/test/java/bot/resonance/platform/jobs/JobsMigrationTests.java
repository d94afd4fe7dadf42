package bot.resonance.platform.jobs;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import bot.resonance.rewards.internal.ingest.PendingEventQueue;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Upgrading a database whose pending events and held Shopify refunds waited in tables of
 * their own: every one of them is a job afterwards, due when it was, with what its
 * handler needs.
 */
class JobsMigrationTests {

	@Test
	void pendingEventsAndHeldRefundsBecomeJobsOnUpgrade() throws Exception {
		try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
			var dataSource = postgres.getPostgresDatabase();
			Flyway.configure().dataSource(dataSource).target("19").load().migrate();
			JdbcClient jdbc = JdbcClient.create(dataSource);
			Instant due = Instant.parse("2026-12-05T00:00:00Z");
			deferral(jdbc, "brand_a", "evt_1", due, null, null);
			deferral(jdbc, "brand_a", "evt_2", due.plusSeconds(60), 70L, null);
			// Claimed by a node of the old version that is gone now.
			deferral(jdbc, "brand_b", "evt_1", due, null, due.plusSeconds(300));
			heldRefund(jdbc, "brand_a", "ref_1", "order_1");
			heldRefund(jdbc, "brand_a", "ref_2", "order_1");
			heldRefund(jdbc, "brand_b", "ref_3", "order_2");

			Flyway.configure().dataSource(dataSource).load().migrate();

			List<Job> deferrals = jobs(jdbc, PendingEventQueue.QUEUE);
			assertThat(deferrals).extracting((job) -> job.brandId() + "/" + job.key() + "@" + job.dueAt())
				.containsExactlyInAnyOrder("brand_a/evt_1@" + due, "brand_a/evt_2@" + due.plusSeconds(60),
						"brand_b/evt_1@" + due);
			assertThat(deferrals).allSatisfy((job) -> assertThat(job.attempts()).isZero());
			assertThat(deferrals).filteredOn((job) -> job.payload() != null)
				.singleElement()
				.satisfies((job) -> assertThat(job.payloadAs(PendingEventQueue.Deferred.class))
					.isEqualTo(new PendingEventQueue.Deferred(70L)));
			assertThat(jdbc.sql("select count(*) from jobs where claimed_by is not null").query(Long.class).single())
				.isZero();
			assertThat(jdbc.sql("select to_regclass('reward_deferrals') is null").query(Boolean.class).single())
				.isTrue();

			assertThat(jobs(jdbc, "shopify-held-refunds")).extracting((job) -> job.brandId() + "/" + job.key())
				.containsExactlyInAnyOrder("brand_a/order_1", "brand_b/order_2");
			assertThat(jdbc.sql("select count(*) from shopify_held_refunds").query(Long.class).single())
				.as("the refunds themselves stay where they were")
				.isEqualTo(3);
		}
	}

	private static void deferral(JdbcClient jdbc, String brandId, String eventId, Instant processAfter, Long cap,
			Instant claimedUntil) {
		jdbc.sql("""
				insert into reward_deferrals (brand_id, event_id, process_after, claimed_until, amount_cap)
				values (:brand, :event, :after, :claimed, :cap)
				""")
			.param("brand", brandId)
			.param("event", eventId)
			.param("after", utc(processAfter))
			.param("claimed", (claimedUntil != null) ? utc(claimedUntil) : null, java.sql.Types.TIMESTAMP_WITH_TIMEZONE)
			.param("cap", cap, java.sql.Types.BIGINT)
			.update();
	}

	private static void heldRefund(JdbcClient jdbc, String brandId, String refundId, String orderId) {
		jdbc.sql("""
				insert into shopify_held_refunds (brand_id, refund_id, order_id, refunded, received_at)
				values (:brand, :refund, :order, 5, now())
				""").param("brand", brandId).param("refund", refundId).param("order", orderId).update();
	}

	private static List<Job> jobs(JdbcClient jdbc, String queue) {
		return jdbc.sql("select key from jobs where queue = :queue order by brand_id, key")
			.param("queue", queue)
			.query(String.class)
			.list()
			.stream()
			.distinct()
			.flatMap((key) -> jdbc.sql("select brand_id from jobs where queue = :queue and key = :key")
				.param("queue", queue)
				.param("key", key)
				.query(String.class)
				.list()
				.stream()
				.map((brand) -> new JobStore(jdbc).find(queue, JobKey.of(brand, key)).orElseThrow()))
			.toList();
	}

	private static OffsetDateTime utc(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

}
