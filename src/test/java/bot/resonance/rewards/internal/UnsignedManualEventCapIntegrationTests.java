package bot.resonance.rewards.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import bot.resonance.support.ApiResponse;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.IntegrationTestSupport;
import bot.resonance.support.ResonanceClient;
import bot.resonance.support.TestBrand;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import bot.resonance.rewards.internal.ingest.PendingEvents;

/**
 * An unsigned manual event may move at most {@code unsigned_manual_event_max_amount} in
 * all, whatever rules are attached to its event type: the referrer's affiliate payout
 * counts, and a pending event keeps its cap until it is paid.
 */
@IntegrationTest
class UnsignedManualEventCapIntegrationTests extends IntegrationTestSupport {

	private static final String PATH = "/resonance-api/manual-event";

	@Autowired
	PendingEvents pendingEvents;

	@Autowired
	JdbcClient jdbc;

	@Test
	void anAffiliateAmountCannotLiftTheCap() {
		TestBrand brand = unsignedBrand(1_000_000, 100);
		this.client.eventType(brand, "place_order",
				Map.of("enabled", true, "amount", 100, "affiliate_amount", 100_000));
		String referrer = "referrer" + newUserId() + "@example.com";
		String member = "member" + newUserId() + "@example.com";
		referred(brand, member, referrer);

		ApiResponse spoofed = unsigned(brand, "place_order", member);
		assertThat(spoofed.status()).as(spoofed.toString()).isEqualTo(400);
		assertThat(spoofed.errorCode()).isEqualTo("INVALID_REQUEST");
		assertThat(spoofed.json().at("/error/message").asString()).contains("100000")
			.contains("100100")
			.contains("100");
		assertThat(balance(brand, referrer)).isZero();
		assertThat(this.client.get(brand, "/v1/wallet").json().get("balance").asLong()).isEqualTo(1_000_000);

		// Within the cap, member and referrer are both paid.
		this.client.eventType(brand, "place_order", Map.of("amount", 60, "affiliate_amount", 40));
		ApiResponse paid = unsigned(brand, "place_order", member);
		assertThat(paid.status()).as(paid.toString()).isEqualTo(200);
		assertThat(balance(brand, referrer)).isEqualTo(40);
		// Signed, the brand's own backend is not capped.
		this.client.eventType(brand, "place_order", Map.of("amount", 100, "affiliate_amount", 100_000));
		String body = "{\"event\":\"place_order\",\"email\":\"" + member + "\"}";
		ApiResponse signed = this.client.send("POST", PATH, body,
				Map.of("Content-Type", "application/json", "X-Brand-Id", brand.brandId(), "X-Resonance-Signature",
						ResonanceClient.hmacHex(brand.secretKey(), body)));
		assertThat(signed.status()).as(signed.toString()).isEqualTo(200);
		assertThat(balance(brand, referrer)).isEqualTo(100_040);
	}

	@Test
	void aPendingUnsignedEventKeepsItsCapUntilItIsPaid() {
		TestBrand brand = unsignedBrand(1_000_000, 100);
		this.client.eventType(brand, "place_order",
				Map.of("enabled", true, "amount", 50, "affiliate_amount", 50, "daily_limit", 1));
		String referrer = "referrer" + newUserId() + "@example.com";
		String member = "member" + newUserId() + "@example.com";
		referred(brand, member, referrer);
		Instant evening = lateEvening();
		this.clock.freezeAt(evening);
		assertThat(unsigned(brand, "place_order", member).text("status")).isEqualTo("awarded");
		ApiResponse pending = unsigned(brand, "place_order", member);
		assertThat(pending.text("status")).isEqualTo("pending");
		assertThat(balance(brand, referrer)).isEqualTo(50);

		// The brand raises the affiliate amount while the event waits.
		this.client.eventType(brand, "place_order", Map.of("affiliate_amount", 100_000));
		this.clock.freezeAt(evening.plus(Duration.ofHours(2)));
		assertThat(this.pendingEvents.processDue()).isGreaterThanOrEqualTo(1);

		assertThat(this.client.get(brand, "/v1/events/" + pending.text("event_id")).text("status"))
			.isEqualTo("awarded");
		assertThat(balance(brand, member)).isEqualTo(100);
		assertThat(balance(brand, referrer)).as("the payout would pass the cap").isEqualTo(50);
		List<String> payouts = this.jdbc
			.sql("select status || ':' || coalesce(reason, '') from reward_affiliate_payouts where brand_id = :brand "
					+ "order by created_at")
			.param("brand", brand.brandId())
			.query(String.class)
			.list();
		assertThat(payouts).containsExactly("paid:", "rejected:AMOUNT_CAP_EXCEEDED");
	}

	private TestBrand unsignedBrand(long funds, long cap) {
		TestBrand brand = this.client.createBrand(Map.of("name", "Unsigned", "rate_limit_per_minute", 100_000));
		this.client.fund(brand, funds);
		ApiResponse settings = this.client.adminPatch(brand,
				Map.of("allow_unsigned_manual_events", true, "unsigned_manual_event_max_amount", cap));
		assertThat(settings.status()).as(settings.toString()).isEqualTo(200);
		return brand;
	}

	private void referred(TestBrand brand, String member, String referrer) {
		ApiResponse set = this.client.api(brand, "PUT", "/v1/members/" + member + "/referrer",
				"{\"referrer\":\"" + referrer + "\"}");
		assertThat(set.status()).as(set.toString()).isEqualTo(200);
	}

	private ApiResponse unsigned(TestBrand brand, String event, String email) {
		return this.client.send("POST", PATH + "?brand_id=" + brand.brandId(),
				"{\"event\":\"" + event + "\",\"email\":\"" + email + "\"}",
				Map.of("Content-Type", "application/json"));
	}

	private long balance(TestBrand brand, String member) {
		ApiResponse found = this.client.get(brand, "/v1/members/" + member);
		return (found.status() == 404) ? 0 : found.json().get("balance").asLong();
	}

}
