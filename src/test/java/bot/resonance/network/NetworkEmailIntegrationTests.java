package bot.resonance.network;

import java.util.Map;

import org.junit.jupiter.api.Test;

import bot.resonance.support.ApiResponse;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.SmtpIntegrationTestSupport;
import bot.resonance.support.Rsnc;
import bot.resonance.support.TestBrand;

import static bot.resonance.support.ResonanceClient.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The person's proof by email, with a real SMTP server (GreenMail) the server sends to:
 * linking an identity another brand knows waits for the code its holder receives, and a
 * member receives redemption codes at the email the brand linked.
 */
@IntegrationTest
class NetworkEmailIntegrationTests extends SmtpIntegrationTestSupport {

	@Test
	void linkingAnIdentityAnotherBrandKnowsMergesThePeopleOnceTheHolderConfirms() throws Exception {
		TestBrand a = rsncBrand();
		TestBrand b = rsncBrand();
		String alice = newUserId();
		String email = "alice" + alice + "@example.com";
		this.client.event(a, "custom_event", alice);
		assertThat(link(a, alice, "email", email).status()).isEqualTo(200);
		String other = newUserId();
		this.client.event(b, "custom_event", other);
		this.client.event(b, "custom_event", other);

		ApiResponse pending = link(b, other, "email", email);
		assertThat(pending.status()).as(pending.toString()).isEqualTo(202);
		assertThat(pending.text("status")).isEqualTo("confirmation_required");
		String confirmation = pending.json().get("confirmation").get("id").asString();
		assertThat(confirmation).startsWith("lcf_");
		assertThat(pending.json().get("confirmation").get("sent_to").asString()).isEqualTo("a***@example.com");
		String code = codeIn(lastMailTo(email), "\\b(\\d{6})\\b");
		assertThat(Rsnc.of(this.client.get(a, "/v1/members/" + alice))).as("nothing moved yet").isEqualTo(100);

		String wrong = code.equals("000000") ? "111111" : "000000";
		ApiResponse refused = confirm(b, other, confirmation, wrong);
		assertThat(refused.status()).isEqualTo(422);
		assertThat(refused.text("code")).isEqualTo("confirmation_code_invalid");
		assertThat(refused.text("detail")).contains("4 attempts left");
		assertThat(confirm(a, alice, confirmation, code).status()).as("another brand cannot use it").isEqualTo(404);

		ApiResponse linked = confirm(b, other, confirmation, code);
		assertThat(linked.status()).as(linked.toString()).isEqualTo(200);
		assertThat(Rsnc.of(linked)).as("one person: RSNC together").isEqualTo(300);
		assertThat(this.client.get(a, "/v1/members/" + alice).text("wallet_address"))
			.isEqualTo(linked.text("wallet_address"));
		assertThat(Rsnc.of(this.client.get(a, "/v1/members/" + alice))).isEqualTo(300);
		// Brand A still sees only what it attached.
		assertThat(this.client.get(a, "/v1/members/" + alice).json().get("identities").toString())
			.doesNotContain(other);
		assertThat(confirm(b, other, confirmation, code).text("code")).isEqualTo("confirmation_used");
	}

	@Test
	void aMemberReceivesARedemptionCodeByEmailAndTheBrandRedeemsIt() throws Exception {
		TestBrand a = rsncBrand();
		TestBrand shop = rsncBrand();
		String user = newUserId();
		String email = "buyer" + user + "@example.com";
		this.client.event(a, "custom_event", user);
		this.client.event(shop, "custom_event", user);
		assertThat(link(shop, user, "email", email).status()).isEqualTo(200);

		ApiResponse sent = this.client.api(shop, "POST", "/v1/members/" + user + "/redemption-codes",
				json(Map.of("max_amount", 150)));
		assertThat(sent.status()).as(sent.toString()).isEqualTo(202);
		assertThat(sent.text("sent_to")).isEqualTo("b***@example.com");
		String code = codeIn(lastMailTo(email), "(RSNC-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})");

		ApiResponse redeemed = this.client.api(shop, "POST", "/v1/redemptions",
				json(Map.of("code", code, "amount", 150, "reference", "order-1")));
		assertThat(redeemed.status()).as(redeemed.toString()).isEqualTo(201);
		assertThat(redeemed.json().get("balance").asLong()).isEqualTo(50);
		assertThat(Rsnc.of(this.client.get(a, "/v1/members/" + user))).isEqualTo(50);

		String noEmail = newUserId();
		this.client.event(shop, "custom_event", noEmail);
		ApiResponse refused = this.client.api(shop, "POST", "/v1/members/" + noEmail + "/redemption-codes", "{}");
		assertThat(refused.status()).isEqualTo(409);
		assertThat(refused.text("code")).isEqualTo("no_email");
	}

	private TestBrand rsncBrand() {
		TestBrand brand = this.client.createBrand(Map.of("name", "Mail brand", "rate_limit_per_minute", 100_000));
		this.client.admin("POST", "/admin/v1/brands/" + brand.brandId() + "/wallet/credits",
				json(Map.of("amount", 10_000, "currency", "RSNC")));
		this.client.eventType(brand, "custom_event", Map.of("enabled", true, "amount", 100, "currency", "RSNC"));
		return brand;
	}

	private ApiResponse link(TestBrand brand, String user, String kind, String value) {
		return this.client.api(brand, "POST", "/v1/members/" + user + "/identities",
				json(Map.of("kind", kind, "value", value)));
	}

	private ApiResponse confirm(TestBrand brand, String user, String confirmation, String code) {
		return this.client.api(brand, "POST", "/v1/members/" + user + "/identities/confirm",
				json(Map.of("confirmation_id", confirmation, "code", code)));
	}

}
