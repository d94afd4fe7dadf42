package bot.resonance.rewards.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import bot.resonance.support.ApiResponse;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.IntegrationTestSupport;
import bot.resonance.support.TestBrand;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import bot.resonance.rewards.internal.ingest.PendingEvents;

/**
 * Events over a daily limit are accepted as pending and processed after 00:00 UTC the
 * next day, counted against that day's limits.
 */
@IntegrationTest
class PendingEventsIntegrationTests extends IntegrationTestSupport {

	@Autowired
	PendingEvents pendingEvents;

	@Autowired
	JdbcClient jdbc;

	@Test
	void anEventWhoseNodeDiedWhileProcessingItIsProcessedWhenTheClaimLapses() {
		TestBrand brand = brandWith(1_000, "custom_event", Map.of("amount", 10, "daily_limit", 1));
		String user = newUserId();
		Instant evening = lateEvening();
		Instant midnight = evening.plus(Duration.ofHours(1));
		this.clock.freezeAt(evening);
		this.client.event(brand, "custom_event", user);
		ApiResponse pending = this.client.event(brand, "custom_event", user);
		assertThat(pending.text("status")).isEqualTo("pending");

		// At midnight a node claims its job and dies before the event is processed.
		this.clock.freezeAt(midnight.plusSeconds(1));
		assertThat(this.jdbc.sql("""
				update jobs set claimed_by = 'node-that-died#1', claimed_until = :until, attempts = attempts + 1
				where queue = 'reward-deferrals' and brand_id = :brand and key = :event and claimed_by is null
				""")
			.param("until", midnight.plus(Duration.ofMinutes(5)).plusSeconds(1).atOffset(ZoneOffset.UTC))
			.param("brand", brand.brandId())
			.param("event", pending.text("event_id"))
			.update()).isEqualTo(1);
		this.pendingEvents.processDue();
		assertThat(event(brand, pending).get("status").asString()).as("held by the dead node's claim")
			.isEqualTo("pending");

		// Its claim lapses (pending-claim-timeout): another node takes the job over.
		this.clock.freezeAt(midnight.plus(Duration.ofMinutes(5)).plusSeconds(2));
		assertThat(this.pendingEvents.processDue()).isGreaterThanOrEqualTo(1);
		assertThat(event(brand, pending).get("status").asString()).isEqualTo("awarded");
		assertThat(member(brand, user).get("balance").asLong()).isEqualTo(20);
		this.pendingEvents.processDue();
		assertThat(member(brand, user).get("balance").asLong()).as("processed once").isEqualTo(20);
	}

	@Test
	void anEventOverTheDailyLimitIsPendingUntilMidnightThenAwarded() {
		TestBrand brand = brandWith(1_000, "custom_event", Map.of("amount", 10, "daily_limit", 2));
		String user = newUserId();
		Instant evening = lateEvening();
		Instant midnight = evening.plus(Duration.ofHours(1));
		this.clock.freezeAt(evening);
		this.client.event(brand, "custom_event", user);
		this.client.event(brand, "custom_event", user);
		ApiResponse third = this.client.event(brand, "custom_event", user);
		assertThat(third.status()).isEqualTo(200);
		JsonNode body = third.json();
		assertThat(body.get("success").asBoolean()).isTrue();
		assertThat(body.get("status").asString()).isEqualTo("pending");
		assertThat(body.get("amount_awarded").asLong()).isZero();
		assertThat(body.get("new_balance").asLong()).isEqualTo(20);
		assertThat(body.get("pending_reason").asString()).isEqualTo("DAILY_LIMIT_REACHED");
		assertThat(Instant.parse(body.get("process_after").asString())).isEqualTo(midnight);
		assertThat(member(brand, user).get("pending_events").asLong()).isEqualTo(1);

		// Not before midnight.
		this.clock.freezeAt(midnight.minusMillis(1));
		this.pendingEvents.processDue();
		assertThat(event(brand, third).get("status").asString()).isEqualTo("pending");

		this.clock.freezeAt(midnight.plusSeconds(1));
		assertThat(this.pendingEvents.processDue()).isGreaterThanOrEqualTo(1);
		JsonNode processed = event(brand, third);
		assertThat(processed.get("status").asString()).isEqualTo("awarded");
		assertThat(processed.get("amount_awarded").asLong()).isEqualTo(10);
		assertThat(processed.get("new_balance").asLong()).isEqualTo(30);
		JsonNode member = member(brand, user);
		assertThat(member.get("balance").asLong()).isEqualTo(30);
		assertThat(member.get("pending_events").asLong()).isZero();
		// It counts against the new day's limit.
		assertThat(member.path("today").path("event_types").get(0).get("rewarded").asInt()).isEqualTo(1);
		assertThat(this.client.event(brand, "custom_event", user).text("status")).isEqualTo("awarded");
		assertThat(this.client.event(brand, "custom_event", user).text("status")).isEqualTo("pending");
	}

	@Test
	void pendingEventsBeyondTheNextDaysLimitWaitAnotherDay() {
		TestBrand brand = brandWith(1_000, "custom_event", Map.of("amount", 10, "daily_limit", 1));
		String user = newUserId();
		Instant evening = lateEvening();
		Instant midnight = evening.plus(Duration.ofHours(1));
		this.clock.freezeAt(evening);
		this.client.event(brand, "custom_event", user);
		ApiResponse second = this.client.event(brand, "custom_event", user);
		ApiResponse third = this.client.event(brand, "custom_event", user);

		this.clock.freezeAt(midnight.plusSeconds(5));
		this.pendingEvents.processDue();
		assertThat(event(brand, second).get("status").asString()).isEqualTo("awarded");
		JsonNode stillPending = event(brand, third);
		assertThat(stillPending.get("status").asString()).isEqualTo("pending");
		assertThat(Instant.parse(stillPending.get("process_after").asString()))
			.isEqualTo(midnight.plus(Duration.ofDays(1)));

		this.clock.freezeAt(midnight.plus(Duration.ofDays(1)).plusSeconds(5));
		this.pendingEvents.processDue();
		assertThat(event(brand, third).get("status").asString()).isEqualTo("awarded");
		assertThat(member(brand, user).get("balance").asLong()).isEqualTo(30);
	}

	@Test
	void theMembersDailyLimitAcrossTypesAlsoDefers() {
		TestBrand brand = brandWith(1_000, "custom_event", Map.of("amount", 10));
		this.client.adminPatch(brand, Map.of("daily_event_limit", 1));
		String user = newUserId();
		this.clock.freezeAt(lateEvening());
		this.client.event(brand, "custom_event", user);
		ApiResponse second = this.client.event(brand, "custom_event", user);
		assertThat(second.text("status")).isEqualTo("pending");
		assertThat(second.text("pending_reason")).isEqualTo("USER_DAILY_LIMIT_REACHED");
	}

	@Test
	void aPendingEventWhoseTypeWasDisabledIsRejectedWhenDue() {
		TestBrand brand = brandWith(1_000, "custom_event", Map.of("amount", 10, "daily_limit", 1));
		String user = newUserId();
		Instant evening = lateEvening();
		this.clock.freezeAt(evening);
		this.client.event(brand, "custom_event", user);
		ApiResponse pending = this.client.event(brand, "custom_event", user);
		this.client.eventType(brand, "custom_event", Map.of("enabled", false));
		this.clock.freezeAt(evening.plus(Duration.ofHours(2)));
		this.pendingEvents.processDue();
		JsonNode event = event(brand, pending);
		assertThat(event.get("status").asString()).isEqualTo("rejected");
		assertThat(event.path("error").path("code").asString()).isEqualTo("EVENT_DISABLED");
		assertThat(member(brand, user).get("balance").asLong()).isEqualTo(10);
	}

	@Test
	void aPendingEventOfADisabledMemberIsRejectedWhenDue() {
		TestBrand brand = brandWith(1_000, "custom_event", Map.of("amount", 10, "daily_limit", 1));
		String user = newUserId();
		Instant evening = lateEvening();
		this.clock.freezeAt(evening);
		this.client.event(brand, "custom_event", user);
		ApiResponse pending = this.client.event(brand, "custom_event", user);
		this.client.api(brand, "PATCH", "/v1/members/" + user, "{\"status\":\"disabled\"}");
		this.clock.freezeAt(evening.plus(Duration.ofHours(2)));
		this.pendingEvents.processDue();
		assertThat(event(brand, pending).path("error").path("code").asString()).isEqualTo("USER_DISABLED");
	}

	@Test
	void pendingEventsGoBeforeTheirMembersNewEventsEvenBeforeThePollerRuns() {
		TestBrand brand = brandWith(1_000, "custom_event", Map.of("amount", 10, "daily_limit", 1));
		String user = newUserId();
		Instant evening = lateEvening();
		Instant midnight = evening.plus(Duration.ofHours(1));
		this.clock.freezeAt(evening);
		this.client.event(brand, "custom_event", user);
		ApiResponse deferred = this.client.event(brand, "custom_event", user);
		assertThat(deferred.text("status")).isEqualTo("pending");

		// Past midnight, the member is busy before any poller has looked: the event that
		// waited since yesterday takes the new day's allowance, the new one waits.
		this.clock.freezeAt(midnight.plusSeconds(1));
		ApiResponse fresh = this.client.event(brand, "custom_event", user);
		assertThat(fresh.text("status")).isEqualTo("pending");
		assertThat(fresh.json().get("new_balance").asLong()).isEqualTo(20);
		JsonNode earlier = event(brand, deferred);
		assertThat(earlier.get("status").asString()).isEqualTo("awarded");
		assertThat(earlier.get("new_balance").asLong()).isEqualTo(20);
		assertThat(member(brand, user).get("pending_events").asLong()).isEqualTo(1);
	}

	private JsonNode event(TestBrand brand, ApiResponse sent) {
		return this.client.get(brand, "/v1/events/" + sent.text("event_id")).json();
	}

	private JsonNode member(TestBrand brand, String user) {
		return this.client.get(brand, "/v1/members/" + user).json();
	}

}
