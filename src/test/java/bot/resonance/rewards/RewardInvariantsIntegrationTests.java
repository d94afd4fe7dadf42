package bot.resonance.rewards;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import bot.resonance.support.ApiResponse;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.IntegrationTestSupport;
import bot.resonance.support.LedgerChecks;
import bot.resonance.support.Race;
import bot.resonance.support.TestBrand;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ledger's and the rules' invariants under racing requests: caps and cooldowns are
 * never exceeded, wallets never go negative, and value is conserved.
 */
@IntegrationTest
class RewardInvariantsIntegrationTests extends IntegrationTestSupport {

	@Autowired
	JdbcClient jdbc;

	@Test
	void racingRequestsInsideACooldownAreRewardedExactlyOnce() {
		TestBrand brand = brandWith(10_000, "custom_event", Map.of("amount", 10, "cooldown_seconds", 3600));
		String user = newUserId();
		List<ApiResponse> responses = Race.run(50, (i) -> this.client.event(brand, "custom_event", user));
		Map<Integer, Long> byStatus = responses.stream()
			.collect(Collectors.groupingBy(ApiResponse::status, Collectors.counting()));
		assertThat(byStatus).containsEntry(200, 1L).containsEntry(429, 49L);
		assertThat(responses.stream().filter((r) -> r.status() == 429).map(ApiResponse::errorCode).distinct())
			.containsExactly("COOLDOWN_ACTIVE");
		assertThat(memberBalance(brand, user)).isEqualTo(10);
	}

	@Test
	void aDailyLimitIsNeverExceededAndTheRestIsPending() {
		TestBrand brand = brandWith(10_000, "custom_event", Map.of("amount", 10, "daily_limit", 3));
		String user = newUserId();
		List<ApiResponse> responses = Race.run(60, (i) -> this.client.event(brand, "custom_event", user));
		assertThat(responses).allSatisfy((response) -> assertThat(response.status()).isEqualTo(200));
		Map<String, Long> byStatus = responses.stream()
			.collect(Collectors.groupingBy((r) -> r.text("status"), Collectors.counting()));
		assertThat(byStatus).containsEntry("awarded", 3L).containsEntry("pending", 57L);
		assertThat(memberBalance(brand, user)).isEqualTo(30);
	}

	@Test
	void aMembersDailyLimitAcrossTypesIsNeverExceeded() {
		TestBrand brand = brandWith(10_000, "custom_event", Map.of("amount", 10));
		this.client.eventType(brand, "daily_checkin", Map.of("enabled", true, "amount", 10));
		this.client.adminPatch(brand, Map.of("daily_event_limit", 4));
		String user = newUserId();
		List<ApiResponse> responses = Race.run(40,
				(i) -> this.client.event(brand, (i % 2 == 0) ? "custom_event" : "daily_checkin", user));
		assertThat(responses.stream().filter((r) -> "awarded".equals(r.text("status")))).hasSize(4);
		assertThat(responses.stream().filter((r) -> "pending".equals(r.text("status")))).hasSize(36);
	}

	@Test
	void aWalletDrainedByManyMembersAtOnceNeverGoesNegative() {
		TestBrand brand = brandWith(100, "custom_event", Map.of("amount", 1));
		List<ApiResponse> responses = Race.run(300, (i) -> this.client.event(brand, "custom_event", newUserId()));
		Map<Integer, Long> byStatus = responses.stream()
			.collect(Collectors.groupingBy(ApiResponse::status, Collectors.counting()));
		assertThat(byStatus).containsEntry(200, 100L).containsEntry(400, 200L);
		assertThat(responses.stream().filter((r) -> r.status() == 400).map(ApiResponse::errorCode).distinct())
			.containsExactly("INSUFFICIENT_BALANCE");
		assertThat(this.client.get(brand, "/v1/wallet").json().get("balance").asLong()).isZero();
		assertLedgerBalanced(brand, 100);
	}

	@Test
	void valueIsConservedUnderAMixOfRacingEvents() {
		Random random = new Random(42);
		List<TestBrand> brands = new ArrayList<>();
		for (int b = 0; b < 4; b++) {
			TestBrand brand = brandWith(5_000, "custom_event", Map.of("amount", 3, "cooldown_seconds", 1));
			this.client.eventType(brand, "daily_checkin", Map.of("enabled", true, "amount", 11, "daily_limit", 2));
			brands.add(brand);
		}
		List<String> users = new ArrayList<>();
		for (int u = 0; u < 15; u++) {
			users.add(newUserId());
		}
		// The whole plan is drawn before the race: the racing threads share no Random, so
		// the seed alone decides what is sent.
		int[][] plan = new int[400][4];
		for (int[] step : plan) {
			step[0] = random.nextInt(brands.size());
			step[1] = random.nextInt(users.size());
			step[2] = random.nextInt(3);
			step[3] = 1 + random.nextInt(50);
		}
		Race.run(plan.length, (i) -> {
			int[] step = plan[i];
			TestBrand brand = brands.get(step[0]);
			String user = users.get(step[1]);
			return switch (step[2]) {
				case 0 -> this.client.event(brand, "custom_event", user);
				case 1 -> this.client.event(brand, "daily_checkin", user);
				default -> this.client.event(brand,
						Map.of("event_type", "custom_event", "user_id", user, "server_id", "1", "amount", step[3]));
			};
		});
		for (TestBrand brand : brands) {
			assertLedgerBalanced(brand, 5_000);
		}
	}

	private long memberBalance(TestBrand brand, String user) {
		return this.client.get(brand, "/v1/members/" + user).json().get("balance").asLong();
	}

	private void assertLedgerBalanced(TestBrand brand, long funded) {
		LedgerChecks.assertBalanced(this.jdbc, brand, funded);
	}

}
