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

	@Test
	void peopleFirstSeenByManyBrandsAtOnceAreOnePersonEachWithOneMemberPerBrand() {
		// Brands on different lanes create the same new people in racing transactions,
		// and one batch may hold several brands' first sight of one person: whoever
		// claims the person first wins, the others join it.
		List<TestBrand> brands = new ArrayList<>();
		for (int b = 0; b < 5; b++) {
			brands.add(brandWith(10_000, "custom_event", Map.of("amount", 7)));
		}
		List<String> users = new ArrayList<>();
		for (int u = 0; u < 24; u++) {
			users.add(newUserId());
		}
		List<ApiResponse> responses = Race.run(brands.size() * users.size(),
				(i) -> this.client.event(brands.get(i % brands.size()), "custom_event", users.get(i / brands.size())));
		assertThat(responses)
			.allSatisfy((response) -> assertThat(response.text("status")).as(response.toString()).isEqualTo("awarded"));
		for (String user : users) {
			List<Long> people = this.jdbc
				.sql("select person_id from person_identities where kind = 'discord' and value = :user")
				.param("user", user)
				.query(Long.class)
				.list();
			assertThat(people).as("people holding %s", user).hasSize(1);
			for (TestBrand brand : brands) {
				List<Long> holders = this.jdbc.sql("""
						select m.person_id from member_identities i
						join members m on m.brand_id = i.brand_id and m.id = i.member_id
						where i.brand_id = :brand and i.kind = 'discord' and i.value = :user
						""").param("brand", brand.brandId()).param("user", user).query(Long.class).list();
				assertThat(holders).as("%s's member at %s", user, brand.brandId()).containsExactly(people.getFirst());
				assertThat(this.jdbc.sql("select count(*) from members where brand_id = :brand and person_id = :person")
					.param("brand", brand.brandId())
					.param("person", people.getFirst())
					.query(Long.class)
					.single()).isEqualTo(1);
				assertThat(memberBalance(brand, user)).isEqualTo(7);
			}
		}
	}

	private long memberBalance(TestBrand brand, String user) {
		return this.client.get(brand, "/v1/members/" + user).json().get("balance").asLong();
	}

	private void assertLedgerBalanced(TestBrand brand, long funded) {
		LedgerChecks.assertBalanced(this.jdbc, brand, funded);
	}

}
