package bot.resonance.network;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import bot.resonance.identity.Identity;
import bot.resonance.identity.Members;
import bot.resonance.support.ApiResponse;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.IntegrationTestSupport;
import bot.resonance.support.Race;
import bot.resonance.support.Rsnc;
import bot.resonance.support.TestBrand;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import static bot.resonance.support.ResonanceClient.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One person across the network, on the shared server (which has no SMTP server: links
 * that need a person's confirmation by email say it is unavailable).
 */
@IntegrationTest
class NetworkIntegrationTests extends IntegrationTestSupport {

	@Autowired
	Redemptions redemptions;

	@Autowired
	Members members;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TransactionTemplate transactions;

	@Autowired
	bot.resonance.brands.Wallet wallet;

	@Test
	void theSameDiscordUserEarningAtTwoBrandsHasOneRsncBalance() {
		TestBrand a = rsncBrand(1_000);
		TestBrand b = rsncBrand(1_000);
		String user = newUserId();
		ApiResponse atA = this.client.event(a, "custom_event", user);
		assertThat(atA.json().get("new_balance").asLong()).as(atA.toString()).isEqualTo(100);
		assertThat(atA.text("currency")).isEqualTo("RSNC");
		ApiResponse atB = this.client.event(b, "custom_event", user);
		assertThat(atB.json().get("new_balance").asLong()).as("one balance, whichever brand paid").isEqualTo(200);

		ApiResponse memberAtA = this.client.get(a, "/v1/members/" + user);
		ApiResponse memberAtB = this.client.get(b, "/v1/members/" + user);
		assertThat(Rsnc.of(memberAtA)).isEqualTo(200);
		assertThat(Rsnc.of(memberAtB)).isEqualTo(200);
		assertThat(memberAtA.text("wallet_address")).matches("0x[0-9a-fA-F]{40}")
			.isEqualTo(memberAtB.text("wallet_address"));
		assertThat(memberAtA.text("member_id")).as("each brand has its own member")
			.isNotEqualTo(memberAtB.text("member_id"));
		// Each brand's RSNC wallet paid its own share.
		assertThat(Rsnc.wallet(this.client, a)).isEqualTo(900);
		assertThat(Rsnc.wallet(this.client, b)).isEqualTo(900);
		assertNetworkConserved();
	}

	@Test
	void aUserFirstSeenAtTwoBrandsAtOnceIsOnePerson() {
		TestBrand a = rsncBrand(100_000);
		TestBrand b = rsncBrand(100_000);
		List<String> users = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			users.add(newUserId());
		}
		Race.run(24, (i) -> this.client.event((i % 2 == 0) ? a : b, (i % 4 < 2) ? "custom_event" : "other_event",
				users.get((i / 4) % users.size())));
		for (String user : users) {
			ApiResponse atA = this.client.get(a, "/v1/members/" + user);
			ApiResponse atB = this.client.get(b, "/v1/members/" + user);
			assertThat(atA.text("wallet_address")).as(user).isEqualTo(atB.text("wallet_address"));
			assertThat(Rsnc.of(atA)).isEqualTo(Rsnc.of(atB)).isEqualTo(220);
		}
		assertThat(this.jdbc.sql("""
				select count(distinct person_id) from person_identities where kind = 'discord' and value = any(:users)
				""").param("users", users.toArray(String[]::new)).query(Long.class).single()).isEqualTo(users.size());
		assertNetworkConserved();
	}

	@Test
	void aCodeThePersonIssuedRedeemsRsncAtAnyBrandOnce() {
		TestBrand a = rsncBrand(1_000);
		TestBrand b = rsncBrand(0);
		String user = newUserId();
		this.client.event(a, "custom_event", user);
		this.client.event(a, "custom_event", newUserId());
		long person = personOf(a, user);
		Redemptions.IssuedCode code = this.transactions
			.execute((status) -> this.redemptions.issueCode(person, 80L, "discord"));
		assertThat(code.code()).matches("RSNC-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}");

		ApiResponse tooMuch = redeem(b, code.code(), 81);
		assertThat(tooMuch.status()).isEqualTo(422);
		assertThat(tooMuch.text("code")).isEqualTo("amount_exceeds_code");

		// Typed loosely (lower case, no dashes), at a brand the person never earned at.
		ApiResponse redeemed = redeem(b, code.code().toLowerCase().replace("-", " "), 60);
		assertThat(redeemed.status()).as(redeemed.toString()).isEqualTo(201);
		assertThat(redeemed.text("id")).startsWith("rdm_");
		assertThat(redeemed.json().get("amount").asLong()).isEqualTo(60);
		assertThat(redeemed.json().get("balance").asLong()).isEqualTo(40);
		assertThat(redeemed.text("wallet_address"))
			.isEqualTo(this.client.get(a, "/v1/members/" + user).text("wallet_address"));
		assertThat(Rsnc.wallet(this.client, b)).isEqualTo(60);
		assertThat(Rsnc.of(this.client.get(a, "/v1/members/" + user))).isEqualTo(40);

		ApiResponse replayed = redeem(b, code.code(), 10);
		assertThat(replayed.status()).isEqualTo(409);
		assertThat(replayed.text("code")).isEqualTo("redemption_code_used");
		ApiResponse elsewhere = redeem(a, code.code(), 10);
		assertThat(elsewhere.text("code")).as("used is used, at any brand").isEqualTo("redemption_code_used");

		ApiResponse forged = redeem(b, "RSNC-AAAA-BBBB-CCCC", 10);
		assertThat(forged.status()).isEqualTo(422);
		assertThat(forged.text("code")).isEqualTo("redemption_code_invalid");
		assertThat(redeem(b, "", 10).status()).isEqualTo(400);
		assertThat(redeem(b, code.code(), -5).status()).isEqualTo(400);

		Redemptions.IssuedCode big = this.transactions
			.execute((status) -> this.redemptions.issueCode(person, null, "discord"));
		ApiResponse insufficient = redeem(b, big.code(), 41);
		assertThat(insufficient.status()).isEqualTo(422);
		assertThat(insufficient.text("code")).isEqualTo("insufficient_balance");
		assertThat(redeem(b, big.code(), 40).status()).as("a refused redemption leaves the code usable").isEqualTo(201);

		Redemptions.IssuedCode late = this.transactions
			.execute((status) -> this.redemptions.issueCode(person, null, "discord"));
		this.clock.advance(Duration.ofMinutes(11));
		ApiResponse expired = redeem(b, late.code(), 1);
		assertThat(expired.status()).isEqualTo(422);
		assertThat(expired.text("code")).isEqualTo("redemption_code_expired");
		assertNetworkConserved();
	}

	@Test
	void aBrandCannotLinkAnIdentityAnotherBrandKnowsWithoutItsHoldersConfirmation() {
		TestBrand a = rsncBrand(1_000);
		TestBrand b = rsncBrand(1_000);
		String alice = newUserId();
		String email = "alice" + alice + "@example.com";
		this.client.event(a, "custom_event", alice);
		assertThat(link(a, alice, "email", email).status()).isEqualTo(200);
		String mallory = newUserId();
		this.client.event(b, "custom_event", mallory);

		// No SMTP server here: Alice is asked in Discord, where she is known.
		ApiResponse pending = link(b, mallory, "email", email);
		assertThat(pending.status()).as(pending.toString()).isEqualTo(202);
		assertThat(pending.json().get("confirmation").get("method").asString()).isEqualTo("discord");
		assertThat(pending.toString()).doesNotContain(a.brandId()).doesNotContain(alice);
		// Someone known by nothing Resonance can reach cannot be asked at all.
		String carol = "telegram:" + newUserId();
		this.client.api(a, "POST", "/v1/members/" + carol + "/identities",
				json(Map.of("kind", "twitter", "value", newUserId())));
		ApiResponse refused = link(b, mallory, "telegram", carol.substring("telegram:".length()));
		assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
		assertThat(refused.text("code")).isEqualTo("confirmation_unavailable");
		assertThat(refused.text("detail")).doesNotContain(a.brandId());
		// Nothing moved: each keeps their own RSNC, B's member got no identity.
		assertThat(Rsnc.of(this.client.get(a, "/v1/members/" + alice))).isEqualTo(100);
		ApiResponse malloryAtB = this.client.get(b, "/v1/members/" + mallory);
		assertThat(Rsnc.of(malloryAtB)).isEqualTo(100);
		assertThat(malloryAtB.json().get("identities").toString()).doesNotContain(email);
		assertThat(this.client.get(b, "/v1/members/" + email).status()).isEqualTo(404);
		// An identity only this brand's member holds still links (and merges) at once.
		String second = newUserId();
		this.client.api(b, "POST", "/v1/members/" + second + "/identities",
				json(Map.of("kind", "twitter", "value", "77" + second)));
		ApiResponse merged = link(b, mallory, "discord", second);
		assertThat(merged.status()).as(merged.toString()).isEqualTo(200);
		assertThat(merged.text("merged_from")).startsWith("mem_");
	}

	/**
	 * The table keeps a member's recent link confirmations, not every one ever asked for:
	 * those that expired more than 30 days ago are forgotten when the member asks again.
	 */
	@Test
	void longExpiredLinkConfirmationsAreForgottenWhenTheMemberAsksAgain() {
		TestBrand b = rsncBrand(1_000);
		String email = emailOfAMemberOfAnotherBrand();
		String mallory = newUserId();
		this.client.event(b, "custom_event", mallory);
		assertThat(link(b, mallory, "email", email).status()).isEqualTo(202);
		assertThat(confirmations(b)).isEqualTo(1);

		this.clock.advance(Duration.ofDays(31));
		ApiResponse again = link(b, mallory, "email", email);
		assertThat(again.status()).as(again.toString()).isEqualTo(202);
		assertThat(confirmations(b)).isEqualTo(1);
	}

	/** The email a member of a new brand linked. */
	private String emailOfAMemberOfAnotherBrand() {
		TestBrand a = rsncBrand(1_000);
		String alice = newUserId();
		String email = "alice" + alice + "@example.com";
		this.client.event(a, "custom_event", alice);
		assertThat(link(a, alice, "email", email).status()).isEqualTo(200);
		return email;
	}

	private int confirmations(TestBrand brand) {
		return this.jdbc.sql("select count(*) from network_link_confirmations where brand_id = :brand")
			.param("brand", brand.brandId())
			.query(Integer.class)
			.single();
	}

	@Test
	void aBrandSeesOnlyTheIdentitiesItAttachedAndNothingOfOtherBrands() {
		TestBrand a = rsncBrand(1_000);
		TestBrand b = rsncBrand(1_000);
		String user = newUserId();
		String email = "seen" + user + "@example.com";
		this.client.event(a, "custom_event", user);
		link(a, user, "email", email);
		link(a, user, "evm_address", "0x" + "ab".repeat(19) + String.format("%04x", Long.parseLong(user) % 65536));
		this.client.event(b, "custom_event", user);

		ApiResponse atB = this.client.get(b, "/v1/members/" + user);
		assertThat(atB.json().get("identities").size()).as(atB.toString()).isEqualTo(1);
		assertThat(atB.toString()).doesNotContain(email).doesNotContain(a.brandId());
		assertThat(atB.text("user_identifier")).as("A's wallet is A's: B names the member by the network wallet")
			.isEqualTo(atB.text("wallet_address"));
		assertThat(this.client.get(b, "/v1/members/lookup?email=" + email).status()).isEqualTo(404);
		ApiResponse events = this.client.get(b, "/v1/members/" + user + "/events");
		assertThat(events.json().get("data").size()).as("only B's own events").isEqualTo(1);
	}

	@Test
	void fundingRsncIsPerBrandEvenWithTheSameIdempotencyKey() {
		TestBrand a = rsncBrand(0);
		TestBrand b = rsncBrand(0);
		// RSNC is one ledger partition: a key one brand's funding used is not another's.
		for (TestBrand brand : List.of(a, b)) {
			var funded = this.wallet.fund(brand.brandId(), 500, "RSNC", null, "same-key");
			assertThat(funded.alreadyPosted()).isFalse();
			assertThat(this.wallet.fund(brand.brandId(), 500, "RSNC", null, "same-key").alreadyPosted()).isTrue();
		}
		assertThat(Rsnc.wallet(this.client, a)).isEqualTo(500);
		assertThat(Rsnc.wallet(this.client, b)).isEqualTo(500);
		ApiResponse ownRsnc = this.client.admin("POST", "/admin/v1/brands",
				json(Map.of("name", "Copycat", "currency", Map.of("code", "RSNC"))));
		assertThat(ownRsnc.status()).isEqualTo(400);
		assertThat(ownRsnc.text("detail")).contains("network");
	}

	@Test
	void rsncIsConservedUnderConcurrentAwardsRedemptionsAndMerges() {
		TestBrand a = rsncBrand(100_000);
		TestBrand b = rsncBrand(100_000);
		List<String> users = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			users.add(newUserId());
		}
		for (String user : users) {
			this.client.event(a, "custom_event", user);
			this.client.event(b, "other_event", user);
		}
		AtomicLong redeemed = new AtomicLong();
		AtomicLong merges = new AtomicLong();
		Race.run(24, (i) -> {
			String user = users.get(i % users.size());
			switch (i % 3) {
				case 0 -> this.client.event((i % 2 == 0) ? a : b, "custom_event", user);
				case 1 -> {
					long person = personOf(a, user);
					Redemptions.IssuedCode code = this.transactions
						.execute((status) -> this.redemptions.issueCode(person, null, "discord"));
					if (redeem(b, code.code(), 30).status() == 201) {
						redeemed.addAndGet(30);
					}
				}
				default -> {
					// As the person's own confirmation (from Discord) does: people merge
					// across
					// both brands, RSNC and all.
					Identity member = Identity.discord(a.brandId(), users.get((i + 1) % users.size())).orElseThrow();
					Identity added = Identity.discord(a.brandId(), user).orElseThrow();
					try {
						this.transactions.execute((status) -> this.members.linkConfirmed(member, added));
						merges.incrementAndGet();
					}
					catch (Members.ConcurrentMerge ex) {
						// Another merge took one of them first: nothing moved.
					}
				}
			}
			return null;
		});
		assertNetworkConserved();
		long awarded = this.jdbc.sql("""
				select coalesce(sum(amount), 0) from ledger_transfers where brand_id = 'network' and kind = 'award'
				""").query(Long.class).single();
		long taken = this.jdbc.sql("""
				select coalesce(sum(amount), 0) from ledger_transfers where brand_id = 'network' and kind = 'redemption'
				""").query(Long.class).single();
		assertThat(taken).isGreaterThanOrEqualTo(redeemed.get());
		assertThat(this.jdbc.sql("""
				select coalesce(sum(amount), 0) from network_redemptions
				""").query(Long.class).single()).as("every redemption recorded is a transfer").isEqualTo(taken);
		assertThat(awarded).isPositive();
		assertThat(merges.get()).isPositive();
	}

	private void assertNetworkConserved() {
		Map<String, Long> byKind = new java.util.HashMap<>();
		this.jdbc.sql("select kind, sum(balance) from ledger_accounts where brand_id = 'network' group by kind")
			.query((rs, row) -> byKind.put(rs.getString(1), rs.getLong(2)))
			.list();
		long issued = -byKind.getOrDefault("issuance", 0L);
		assertThat(byKind.getOrDefault("brand_wallet", 0L) + byKind.getOrDefault("member", 0L))
			.as("RSNC held = RSNC issued")
			.isEqualTo(issued);
		assertThat(this.jdbc.sql("""
				select count(*) from ledger_accounts where brand_id = 'network' and balance < 0 and not allow_negative
				""").query(Long.class).single()).isZero();
		long fundedByTransfers = this.jdbc.sql("""
				select coalesce(sum(amount), 0) from ledger_transfers where brand_id = 'network' and kind = 'funding'
				""").query(Long.class).single();
		assertThat(fundedByTransfers).isEqualTo(issued);
	}

	private TestBrand rsncBrand(long rsnc) {
		TestBrand brand = this.client.createBrand(Map.of("name", "Network brand", "rate_limit_per_minute", 100_000));
		if (rsnc > 0) {
			ApiResponse funded = this.client.admin("POST", "/admin/v1/brands/" + brand.brandId() + "/wallet/credits",
					json(Map.of("amount", rsnc, "currency", "RSNC")));
			assertThat(funded.status()).as(funded.toString()).isEqualTo(201);
		}
		this.client.eventType(brand, "custom_event", Map.of("enabled", true, "amount", 100, "currency", "RSNC"));
		this.client.eventType(brand, "other_event", Map.of("enabled", true, "amount", 10, "currency", "RSNC"));
		return brand;
	}

	private long personOf(TestBrand brand, String user) {
		return this.members.find(Identity.discord(brand.brandId(), user).orElseThrow()).orElseThrow().personId();
	}

	private ApiResponse redeem(TestBrand brand, String code, long amount) {
		return this.client.api(brand, "POST", "/v1/redemptions", json(Map.of("code", code, "amount", amount)));
	}

	private ApiResponse link(TestBrand brand, String user, String kind, String value) {
		return this.client.api(brand, "POST", "/v1/members/" + user + "/identities",
				json(Map.of("kind", kind, "value", value)));
	}

}
