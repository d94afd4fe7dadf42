package bot.resonance.rewards.internal.retention;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import bot.resonance.rewards.internal.ingest.PendingEvents;
import bot.resonance.rewards.internal.statistics.StatisticsChanges;
import bot.resonance.support.ApiResponse;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.IntegrationTestSupport;
import bot.resonance.support.ResonanceClient;
import bot.resonance.support.TestBrand;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Recorded events older than the retention are forgotten; younger ones, pending ones of
 * any age, ledger transfers, balances and analytics stay, and an Idempotency-Key of a
 * kept event is still answered as a replay.
 */
@IntegrationTest
class EventPrunerIntegrationTests extends IntegrationTestSupport {

	@Autowired
	EventPruner pruner;

	@Autowired
	EventRetentionProperties properties;

	@Autowired
	PendingEvents pendingEvents;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	StatisticsChanges statistics;

	@Test
	void oldProcessedEventsGoWhileYoungAndPendingEventsTransfersAndAnalyticsStay() {
		TestBrand brand = brandWith(1_000, "custom_event", Map.of("amount", 10, "daily_limit", 1));
		TestBrand other = brandWith(1_000, "custom_event", Map.of("amount", 10));
		String user = newUserId();
		Instant evening = lateEvening();
		this.clock.freezeAt(evening);
		ApiResponse oldAwarded = event(brand, user, "old-key");
		ApiResponse oldPending = event(brand, user, "old-pending-key");
		ApiResponse oldRejected = this.client.event(brand, "no_such_type", user);
		ApiResponse otherBrands = this.client.event(other, "custom_event", user);
		assertThat(oldAwarded.text("status")).isEqualTo("awarded");
		assertThat(oldPending.text("status")).isEqualTo("pending");
		assertThat(oldRejected.status()).isEqualTo(400);
		assertThat(oldRejected.json().path("error").path("code").asString()).isEqualTo("EVENT_DISABLED");

		this.clock.freezeAt(evening.plus(Duration.ofMinutes(10)));
		Instant cutoff = this.clock.instant();
		this.clock.freezeAt(evening.plus(Duration.ofMinutes(20)));
		String youngUser = newUserId();
		String youngBody = ResonanceClient.json(Map.of("brand_id", brand.brandId(), "event_type", "custom_event",
				"user_id", youngUser, "server_id", "987654321098765432"));
		ApiResponse young = this.client.signedEvent(brand, youngBody, Map.of("Idempotency-Key", "young-key"));
		assertThat(young.text("status")).isEqualTo("awarded");

		String analytics = analytics(brand, evening);
		long transfers = transfers(brand);
		long wallet = wallet(brand);

		assertThat(this.pruner.pruneOlderThan(brand.brandId(), cutoff)).isEqualTo(2);

		assertThat(status(brand, oldAwarded)).isEqualTo(404);
		assertThat(status(brand, oldRejected)).isEqualTo(404);
		assertThat(this.client.get(brand, "/v1/events/" + oldPending.text("event_id")).json().get("status").asString())
			.as("a pending event is kept whatever its age")
			.isEqualTo("pending");
		assertThat(status(brand, young)).isEqualTo(200);
		assertThat(status(other, otherBrands)).as("another brand's events are its own pass").isEqualTo(200);
		assertThat(transfers(brand)).as("ledger transfers are never pruned").isEqualTo(transfers);
		assertThat(wallet(brand)).isEqualTo(wallet);
		assertThat(member(brand, user).get("balance").asLong()).isEqualTo(10);
		assertThat(analytics(brand, evening)).as("analytics read aggregates, not events").isEqualTo(analytics);

		// A duplicate of a kept event is still recognized: no second reward.
		ApiResponse replay = this.client.signedEvent(brand, youngBody, Map.of("Idempotency-Key", "young-key"));
		assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
		assertThat(replay.text("event_id")).isEqualTo(young.text("event_id"));
		assertThat(member(brand, youngUser).get("balance").asLong()).isEqualTo(10);

		// The pending event is processed when due, and is pruned only once processed.
		this.clock.freezeAt(evening.plus(Duration.ofHours(1)).plusSeconds(5));
		this.pendingEvents.processDue();
		assertThat(this.client.get(brand, "/v1/events/" + oldPending.text("event_id")).json().get("status").asString())
			.isEqualTo("awarded");
		assertThat(member(brand, user).get("balance").asLong()).isEqualTo(20);
		assertThat(this.pruner.pruneOlderThan(brand.brandId(), cutoff)).isEqualTo(1);
		assertThat(status(brand, oldPending)).isEqualTo(404);
		assertThat(status(brand, young)).isEqualTo(200);
		assertThat(transfers(brand)).isEqualTo(transfers + 1);
	}

	@Test
	void theMetadataOfOldProcessedEventsIsClearedWhileEventsAndReplaysStay() {
		TestBrand brand = brandWith(1_000, "custom_event", Map.of("amount", 10, "daily_limit", 1));
		String user = newUserId();
		Instant evening = lateEvening();
		this.clock.freezeAt(evening);
		String oldBody = withMetadata(brand, user, "A-1");
		ApiResponse old = this.client.signedEvent(brand, oldBody, Map.of("Idempotency-Key", "meta-old"));
		ApiResponse pending = this.client.signedEvent(brand, withMetadata(brand, user, "A-2"), Map.of());
		assertThat(old.text("status")).isEqualTo("awarded");
		assertThat(pending.text("status")).isEqualTo("pending");
		this.clock.freezeAt(evening.plus(Duration.ofMinutes(10)));
		Instant cutoff = this.clock.instant();
		this.clock.freezeAt(evening.plus(Duration.ofMinutes(20)));
		ApiResponse young = this.client.signedEvent(brand, withMetadata(brand, newUserId(), "A-3"), Map.of());

		assertThat(this.pruner.clearMetadataBefore(brand.brandId(), cutoff)).isEqualTo(1);

		JsonNode cleared = recorded(brand, old);
		assertThat(cleared.get("status").asString()).as("the event stays").isEqualTo("awarded");
		assertThat(cleared.path("metadata").isNull()).as(cleared.toString()).isTrue();
		assertThat(recorded(brand, pending).path("metadata").path("order_id").asString()).isEqualTo("A-2");
		assertThat(recorded(brand, young).path("metadata").path("order_id").asString()).isEqualTo("A-3");
		ApiResponse replay = this.client.signedEvent(brand, oldBody, Map.of("Idempotency-Key", "meta-old"));
		assertThat(replay.header("Idempotent-Replayed")).as("the stored answer stays").isEqualTo("true");
		assertThat(member(brand, user).get("balance").asLong()).isEqualTo(10);
		assertThat(this.pruner.clearMetadataBefore(brand.brandId(), cutoff)).as("nothing left to clear").isZero();

		// Processed, the pending event loses its metadata on the next pass.
		this.clock.freezeAt(evening.plus(Duration.ofHours(1)).plusSeconds(5));
		this.pendingEvents.processDue();
		assertThat(recorded(brand, pending).get("status").asString()).isEqualTo("awarded");
		assertThat(this.pruner.clearMetadataBefore(brand.brandId(), cutoff)).isEqualTo(1);
		assertThat(recorded(brand, pending).path("metadata").isNull()).isTrue();
		assertThat(recorded(brand, young).path("metadata").path("order_id").asString()).isEqualTo("A-3");
	}

	@Test
	void membersMergedAfterTheirEventsWerePrunedCountOnceOnTheirPrunedDays() {
		TestBrand brand = brandWith(1_000, "custom_event", Map.of("amount", 10));
		String a = newUserId();
		String b = newUserId();
		String c = newUserId();
		Instant first = lateEvening();
		Instant second = first.plus(Duration.ofDays(1));
		this.clock.freezeAt(first);
		this.client.event(brand, "custom_event", b);
		this.clock.freezeAt(second);
		for (String user : new String[] { a, b, c }) {
			this.client.event(brand, "custom_event", user);
		}
		this.clock.freezeAt(second.plus(Duration.ofMinutes(10)));
		assertThat(this.pruner.pruneOlderThan(brand.brandId(), this.clock.instant())).isEqualTo(4);
		LocalDate day1 = LocalDate.ofInstant(first, ZoneOffset.UTC);
		LocalDate day2 = LocalDate.ofInstant(second, ZoneOffset.UTC);
		assertThat(uniqueMembers(brand, day1)).isEqualTo(1);
		assertThat(uniqueMembers(brand, day2)).isEqualTo(3);

		// b's days (found through what the pruner noted, its events being gone) move to
		// a:
		// on the second day they count once.
		merge(brand, a, b);
		assertThat(uniqueMembers(brand, day1)).isEqualTo(1);
		assertThat(uniqueMembers(brand, day2)).isEqualTo(2);
		assertThat(activeOn(brand, day1)).containsExactly(memberId(brand, a));
		// a's days now include b's: merged into c, the first day follows too.
		merge(brand, c, a);
		assertThat(uniqueMembers(brand, day1)).isEqualTo(1);
		assertThat(uniqueMembers(brand, day2)).isEqualTo(1);
		assertThat(activeOn(brand, day1)).containsExactly(memberId(brand, c));
		assertThat(activeOn(brand, day2)).containsExactly(memberId(brand, c));
		JsonNode totals = this.client.get(brand, "/v1/analytics/summary?from=" + day1 + "&to=" + day2.plusDays(1))
			.json()
			.get("totals");
		assertThat(totals.get("unique_members").asLong()).isEqualTo(1);
		assertThat(totals.get("events").asLong()).as("totals stay").isEqualTo(4);
	}

	@Test
	void eventsAreKeptUnlessARetentionOfAtLeastADayIsSetAndMetadata90Days() {
		Instant now = Instant.parse("2026-12-01T00:00:00Z");
		assertThat(this.properties.events()).as("the default keeps every event").isNull();
		assertThat(this.properties.cutoff(now)).isEmpty();
		assertThat(new EventRetentionProperties(Duration.ofDays(400), Duration.ofDays(90), Duration.ofHours(1))
			.cutoff(now)).contains(now.minus(Duration.ofDays(400)));
		assertThatIllegalArgumentException()
			.isThrownBy(
					() -> new EventRetentionProperties(Duration.ofHours(23), Duration.ofDays(90), Duration.ofHours(1)))
			.withMessageContaining("at least 1d")
			.withMessageEndingWith("not 23h");
		assertThat(this.properties.metadata()).as("metadata is kept 90 days by default").isEqualTo(Duration.ofDays(90));
		assertThat(this.properties.metadataCutoff(now)).contains(now.minus(Duration.ofDays(90)));
		assertThat(new EventRetentionProperties(null, Duration.ZERO, Duration.ofHours(1)).metadataCutoff(now))
			.as("0 keeps it with the event")
			.isEmpty();
	}

	private ApiResponse event(TestBrand brand, String user, String key) {
		return this.client.signedEvent(brand, ResonanceClient.json(Map.of("brand_id", brand.brandId(), "event_type",
				"custom_event", "user_id", user, "server_id", "987654321098765432")), Map.of("Idempotency-Key", key));
	}

	private static String withMetadata(TestBrand brand, String user, String order) {
		return ResonanceClient.json(Map.of("brand_id", brand.brandId(), "event_type", "custom_event", "user_id", user,
				"server_id", "987654321098765432", "metadata", Map.of("order_id", order)));
	}

	private JsonNode recorded(TestBrand brand, ApiResponse sent) {
		ApiResponse event = this.client.get(brand, "/v1/events/" + sent.text("event_id"));
		assertThat(event.status()).isEqualTo(200);
		return event.json();
	}

	private int status(TestBrand brand, ApiResponse sent) {
		return this.client.get(brand, "/v1/events/" + sent.text("event_id")).status();
	}

	private JsonNode member(TestBrand brand, String user) {
		return this.client.get(brand, "/v1/members/" + user).json();
	}

	private String analytics(TestBrand brand, Instant day) {
		LocalDate from = LocalDate.ofInstant(day, ZoneOffset.UTC);
		ApiResponse summary = this.client.get(brand, "/v1/analytics/summary?from=" + from + "&to=" + from.plusDays(2));
		assertThat(summary.status()).isEqualTo(200);
		return summary.json().get("totals").toString();
	}

	private void merge(TestBrand brand, String survivor, String absorbed) {
		ApiResponse merged = this.client.api(brand, "POST", "/v1/members/" + survivor + "/identities",
				"{\"kind\":\"discord\",\"value\":\"" + absorbed + "\"}");
		assertThat(merged.status()).as(merged.toString()).isEqualTo(200);
		assertThat(merged.text("merged_from")).isNotNull();
	}

	private long uniqueMembers(TestBrand brand, LocalDate day) {
		ApiResponse summary = this.client.get(brand, "/v1/analytics/summary?from=" + day + "&to=" + day.plusDays(1));
		assertThat(summary.status()).isEqualTo(200);
		return summary.json().get("totals").get("unique_members").asLong();
	}

	private java.util.List<Long> activeOn(TestBrand brand, LocalDate day) {
		this.statistics.fold();
		return this.jdbc.sql("""
				select member_id from reward_member_activity
				where brand_id = :brand and span = 'day' and start = :day
				""").param("brand", brand.brandId()).param("day", day).query(Long.class).list();
	}

	private long memberId(TestBrand brand, String user) {
		return this.jdbc.sql("""
				select member_id from member_identities where brand_id = :brand and kind = 'discord' and value = :user
				""").param("brand", brand.brandId()).param("user", user).query(Long.class).single();
	}

	private long transfers(TestBrand brand) {
		return this.jdbc.sql("select count(*) from ledger_transfers where brand_id = :brand")
			.param("brand", brand.brandId())
			.query(Long.class)
			.single();
	}

	private long wallet(TestBrand brand) {
		return this.client.get(brand, "/v1/wallet").json().get("balance").asLong();
	}

}
