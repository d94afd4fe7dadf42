package bot.resonance.rewards;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import bot.resonance.support.ApiResponse;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.IntegrationTestSupport;
import bot.resonance.support.LedgerChecks;
import bot.resonance.support.Race;
import bot.resonance.support.ResonanceClient;
import bot.resonance.support.TestBrand;
import bot.resonance.support.WebhookReceiver;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Affiliates: a member's referrer earns the event type's affiliate amount whenever the
 * member is rewarded for it, from the same wallet; self-referral and cycles are refused.
 */
@IntegrationTest
class AffiliateIntegrationTests extends IntegrationTestSupport {

	@Autowired
	JdbcClient jdbc;

	@Test
	void theReferrerEarnsTheAffiliateAmountWithEveryReward() {
		long funds = 10_000;
		TestBrand brand = brandWith(funds, "place_order", Map.of("amount", 100, "affiliate_amount", 10));
		this.client.eventType(brand, "daily_checkin", Map.of("enabled", true, "amount", 5));
		String referrer = newUserId();
		String referred = newUserId();
		ApiResponse set = this.client.api(brand, "PUT", "/v1/members/" + referred + "/referrer",
				"{\"referrer\":\"" + referrer + "\"}");
		assertThat(set.status()).as(set.toString()).isEqualTo(200);
		String referrerId = this.client.get(brand, "/v1/members/" + referrer).text("member_id");
		assertThat(set.text("referred_by")).isEqualTo(referrerId);

		assertThat(this.client.event(brand, "place_order", referred).status()).isEqualTo(200);
		assertThat(this.client.event(brand, "place_order", referred).status()).isEqualTo(200);
		// No affiliate amount on this type: nothing for the referrer.
		assertThat(this.client.event(brand, "daily_checkin", referred).status()).isEqualTo(200);
		assertThat(this.client.get(brand, "/v1/members/" + referrer).json().get("balance").asLong()).isEqualTo(20);
		assertThat(this.client.get(brand, "/v1/members/" + referred).json().get("balance").asLong()).isEqualTo(205);
		assertThat(this.client.get(brand, "/v1/wallet").json().get("balance").asLong()).isEqualTo(funds - 225);
		assertThat(this.jdbc.sql("""
				select count(*) from ledger_transfers where brand_id = :brand and kind = 'affiliate'
				""").param("brand", brand.brandId()).query(Long.class).single()).isEqualTo(2);
	}

	@Test
	void referralCodesWork() {
		TestBrand brand = brandWith(1_000, "place_order", Map.of("amount", 50, "affiliate_amount", 5));
		String referrer = newUserId();
		this.client.event(brand, "place_order", referrer);
		ApiResponse code = this.client.get(brand, "/v1/members/" + referrer + "/referral-code");
		assertThat(code.status()).as(code.toString()).isEqualTo(200);
		String referralCode = code.text("referral_code");
		assertThat(referralCode).hasSize(8);
		assertThat(this.client.get(brand, "/v1/members/" + referrer + "/referral-code").text("referral_code"))
			.isEqualTo(referralCode);
		String email = "invited" + newUserId() + "@example.com";
		ApiResponse set = this.client.api(brand, "PUT", "/v1/members/" + email + "/referrer",
				"{\"referral_code\":\"" + referralCode.toLowerCase() + "\"}");
		assertThat(set.status()).as(set.toString()).isEqualTo(200);
		ApiResponse unknown = this.client.api(brand, "PUT", "/v1/members/" + newUserId() + "/referrer",
				"{\"referral_code\":\"NOPE2345\"}");
		assertThat(unknown.status()).isEqualTo(404);
		assertThat(unknown.problemCode()).isEqualTo("referral_code_not_found");
	}

	@Test
	void selfReferralCyclesAndChangesAreRefused() {
		TestBrand brand = this.client.createBrand();
		String a = newUserId();
		String b = newUserId();
		String c = newUserId();
		assertThat(refer(brand, a, a).status()).isEqualTo(400);
		assertThat(refer(brand, b, a).status()).isEqualTo(200);
		assertThat(refer(brand, c, b).status()).isEqualTo(200);
		ApiResponse cycle = refer(brand, a, c);
		assertThat(cycle.status()).isEqualTo(400);
		assertThat(cycle.json().get("detail").asString()).contains("cycle");
		assertThat(refer(brand, b, a).status()).as("the same again changes nothing").isEqualTo(200);
		ApiResponse change = refer(brand, b, c);
		assertThat(change.status()).isEqualTo(409);
		assertThat(change.problemCode()).isEqualTo("referrer_already_set");
		for (String body : List.of("{}", "{\"referrer\":\"1\",\"referral_code\":\"X\"}", "{\"referrer\":5}",
				"{\"referrer\":\"nobody\"}")) {
			assertThat(this.client.api(brand, "PUT", "/v1/members/" + newUserId() + "/referrer", body).status())
				.as(body)
				.isEqualTo(400);
		}
	}

	@Test
	void racingMutualReferralsMakeNoCycle() {
		TestBrand brand = this.client.createBrand();
		String a = newUserId();
		String b = newUserId();
		List<ApiResponse> responses = Race.run(2, (i) -> (i == 0) ? refer(brand, a, b) : refer(brand, b, a));
		assertThat(responses.stream().filter((r) -> r.status() == 200)).hasSize(1);
	}

	@Test
	void affiliatePayoutsRespectTheWalletAndReachWebhooksAsAffiliatePayouts() {
		long funds = 105;
		TestBrand brand = brandWith(funds, "place_order", Map.of("amount", 100, "affiliate_amount", 10));
		String referrer = newUserId();
		String referred = newUserId();
		refer(brand, referred, referrer);
		assertThat(this.client.event(brand, "place_order", referred).status()).isEqualTo(200);
		// The wallet paid the reward but had only 5 left for the affiliate: refused,
		// recorded.
		assertThat(this.client.get(brand, "/v1/members/" + referrer).json().get("balance").asLong()).isZero();
		assertThat(this.jdbc.sql("""
				select status || ':' || reason from reward_affiliate_payouts where brand_id = :brand
				""").param("brand", brand.brandId()).query(String.class).single())
			.isEqualTo("rejected:INSUFFICIENT_BALANCE");
		LedgerChecks.assertBalanced(this.jdbc, brand, funds);
	}

	@Test
	void theReferrerGetsItsOwnRewardEarnedWebhook() {
		TestBrand brand = brandWith(1_000, "place_order", Map.of("amount", 40, "affiliate_amount", 4));
		String referrer = newUserId();
		String referred = newUserId();
		refer(brand, referred, referrer);
		try (WebhookReceiver receiver = WebhookReceiver.start()) {
			ApiResponse hook = this.client.api(brand, "POST", "/v1/webhooks",
					ResonanceClient.json(Map.of("url", receiver.url("/hook"))));
			this.client.event(brand, "place_order", referred);
			List<JsonNode> movements = receiver.await(2, Duration.ofSeconds(20))
				.stream()
				.map((r) -> ResonanceClient.MAPPER.readTree(r.body()).get("movement"))
				.toList();
			assertThat(movements).extracting((m) -> m.get("reason").asString())
				.containsExactlyInAnyOrder("end_user_payout", "affiliate_payout");
			JsonNode affiliate = movements.stream()
				.filter((m) -> m.get("reason").asString().equals("affiliate_payout"))
				.findFirst()
				.orElseThrow();
			assertThat(affiliate.get("amount").asString()).isEqualTo("4");
			assertThat(affiliate.get("user_id").asString()).isEqualTo(referrer);
			this.client.api(brand, "DELETE", "/v1/webhooks/" + hook.text("id"), null);
		}
	}

	private ApiResponse refer(TestBrand brand, String member, String referrer) {
		return this.client.api(brand, "PUT", "/v1/members/" + member + "/referrer",
				ResonanceClient.json(Map.of("referrer", referrer)));
	}

}
