package bot.resonance.rewards;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import bot.resonance.support.ApiResponse;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.IntegrationTestSupport;
import bot.resonance.support.LedgerChecks;
import bot.resonance.support.Race;
import bot.resonance.support.ResonanceClient;
import bot.resonance.support.TestBrand;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One person, many identities: linking, lookup, and merging two members into one with
 * their balances, cooldowns and history, also while their events keep coming.
 */
@IntegrationTest
class MemberIdentityIntegrationTests extends IntegrationTestSupport {

	private static final String WALLET = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";

	@Autowired
	JdbcClient jdbc;

	@Test
	void identitiesAreLinkedAndEveryOneFindsTheMember() {
		TestBrand brand = brandWith(10_000, "custom_event", Map.of("amount", 25));
		String user = newUserId();
		this.client.event(brand, "custom_event", user);
		String email = "Jane." + user + "@Example.COM";
		ApiResponse linked = link(brand, user, "email", email);
		assertThat(linked.status()).as(linked.toString()).isEqualTo(200);
		assertThat(linked.text("user_id")).isEqualTo(user);
		// Without a wallet of their own, members are named by their network wallet.
		assertThat(linked.text("user_identifier")).isEqualTo(linked.text("wallet_address"))
			.matches("0x[0-9a-fA-F]{40}");
		assertThat(linked.text("user_identifier_type")).isEqualTo("evm_address");
		assertThat(linked.json().get("merged_from").isNull()).isTrue();

		ApiResponse wallet = link(brand, user, "evm_address", WALLET.toLowerCase());
		assertThat(wallet.text("user_identifier")).isEqualTo(WALLET);
		assertThat(wallet.text("user_identifier_type")).isEqualTo("evm_address");
		assertThat(wallet.json().get("identities").valueStream().map((i) -> i.get("kind").asString()))
			.containsExactly("discord", "email", "evm_address");
		assertThat(link(brand, user, "evm_address", WALLET).status()).as("linking again changes nothing")
			.isEqualTo(200);

		String memberId = linked.text("member_id");
		for (String path : List.of("/v1/members/" + user, "/v1/members/Jane." + user + "@example.com",
				"/v1/members/discord_" + user + "@rsnc.network", "/v1/members/" + WALLET.toLowerCase(),
				"/v1/members/discord:" + user, "/v1/members/lookup?email=Jane." + user + "@EXAMPLE.com",
				"/v1/members/lookup?discord_id=" + user, "/v1/members/lookup?wallet=" + WALLET)) {
			ApiResponse found = this.client.get(brand, path);
			assertThat(found.status()).as(path + " " + found).isEqualTo(200);
			assertThat(found.text("member_id")).isEqualTo(memberId);
			assertThat(found.json().get("balance").asLong()).isEqualTo(25);
		}
	}

	/**
	 * The member's own id names it in every member path, as answers give it; another
	 * brand's member id, or one merged away, names nobody.
	 */
	@Test
	void theMembersOwnIdNamesItInPaths() {
		TestBrand brand = brandWith(10_000, "custom_event", Map.of("amount", 25));
		TestBrand other = brandWith(10_000, "custom_event", Map.of("amount", 25));
		String user = newUserId();
		this.client.event(brand, "custom_event", user);
		String memberId = this.client.get(brand, "/v1/members/" + user).text("member_id");
		assertThat(memberId).startsWith("mem_");

		ApiResponse found = this.client.get(brand, "/v1/members/" + memberId);
		assertThat(found.status()).as(found.toString()).isEqualTo(200);
		assertThat(found.text("user_id")).isEqualTo(user);
		assertThat(found.json().get("balance").asLong()).isEqualTo(25);
		assertThat(this.client.get(brand, "/v1/members/" + memberId + "/events").json().get("data")).hasSize(1);
		ApiResponse disabled = this.client.send("PATCH", "/v1/members/" + memberId, "{\"status\": \"disabled\"}",
				Map.of("Authorization", "Bearer " + brand.apiKey(), "Content-Type", "application/json"));
		assertThat(disabled.status()).as(disabled.toString()).isEqualTo(200);
		assertThat(disabled.text("status")).isEqualTo("disabled");
		ApiResponse linked = link(brand, memberId, "telegram", "66" + user.substring(8));
		assertThat(linked.status()).as(linked.toString()).isEqualTo(200);
		assertThat(linked.text("member_id")).isEqualTo(memberId);

		for (String nobody : List.of("mem_999999999999999999", "mem_" + (Long.parseLong(memberId.substring(4)) + 1))) {
			ApiResponse missing = this.client.get(other, "/v1/members/" + nobody);
			assertThat(missing.status()).as(nobody).isEqualTo(404);
			assertThat(missing.problemCode()).isEqualTo("member_not_found");
		}
		ApiResponse elsewhere = this.client.get(other, "/v1/members/" + memberId);
		assertThat(elsewhere.status()).isEqualTo(404);
		assertThat(elsewhere.problemCode()).isEqualTo("member_not_found");
		assertThat(this.client
			.send("PATCH", "/v1/members/" + memberId, "{\"status\": \"active\"}",
					Map.of("Authorization", "Bearer " + other.apiKey(), "Content-Type", "application/json"))
			.status()).as("not created in another brand").isEqualTo(404);
	}

	@Test
	void theDiscordAliasAndTheDiscordIdAreOneMember() {
		TestBrand brand = brandWith(10_000, "custom_event", Map.of("amount", 10));
		String user = newUserId();
		this.client.event(brand, "custom_event", user);
		ApiResponse alias = link(brand, "discord_" + user + "@rsnc.network", "telegram", "77" + user.substring(8));
		assertThat(alias.text("user_id")).as(alias.toString()).isEqualTo(user);
		assertThat(alias.json().get("balance").asLong()).isEqualTo(10);
		ApiResponse telegram = this.client.get(brand, "/v1/members/telegram:77" + user.substring(8));
		assertThat(telegram.text("user_id")).as(telegram.toString()).isEqualTo(user);
	}

	@Test
	void linkingAnotherMembersIdentityMergesThem() {
		long funds = 10_000;
		TestBrand brand = brandWith(funds, "custom_event", Map.of("amount", 10, "cooldown_seconds", 3600));
		this.client.eventType(brand, "daily_checkin", Map.of("enabled", true, "amount", 7, "daily_limit", 2));
		String first = newUserId();
		String second = newUserId();
		String email = "merge" + second + "@example.com";
		this.client.event(brand, "daily_checkin", first);
		this.client.event(brand, "daily_checkin", second);
		this.client.event(brand, "custom_event", second);
		link(brand, second, "email", email);
		String absorbedId = this.client.get(brand, "/v1/members/" + second).text("member_id");

		ApiResponse merged = link(brand, first, "email", email);
		assertThat(merged.status()).as(merged.toString()).isEqualTo(200);
		assertThat(merged.text("merged_from")).isEqualTo(absorbedId);
		assertThat(merged.json().get("balance").asLong()).isEqualTo(7 + 7 + 10);
		assertThat(merged.json().get("identities").valueStream().map((i) -> i.get("value").asString())).contains(first,
				second, email);
		JsonNode daily = merged.json()
			.at("/today/event_types")
			.valueStream()
			.filter((t) -> t.get("event_type").asString().equals("daily_checkin"))
			.findFirst()
			.orElseThrow();
		assertThat(daily.get("rewarded").asInt()).as("today's counts add up").isEqualTo(2);

		// The absorbed member's Discord id now reaches the survivor, with its cooldown
		// and today's counts.
		ApiResponse cooldown = this.client.event(brand, "custom_event", first);
		assertThat(cooldown.errorCode()).as(cooldown.toString()).isEqualTo("COOLDOWN_ACTIVE");
		ApiResponse overLimit = this.client.event(brand, "daily_checkin", second);
		assertThat(overLimit.text("status")).as(overLimit.toString()).isEqualTo("pending");
		assertThat(this.client.get(brand, "/v1/members/" + second).text("member_id"))
			.isEqualTo(merged.text("member_id"));
		// Their history moved along.
		assertThat(this.client.get(brand, "/v1/members/" + first + "/events").json().get("data")).hasSize(5);
		LedgerChecks.assertBalanced(this.jdbc, brand, funds);
		assertThat(this.jdbc.sql("""
				select coalesce(sum(balance), 0) from ledger_accounts
				where brand_id = :brand and kind = 'member' and owner_id = :absorbed
				""")
			.param("brand", brand.brandId())
			.param("absorbed", Long.parseLong(absorbedId.substring(4)))
			.query(Long.class)
			.single()).isZero();
	}

	@Test
	void aDisabledMemberStaysDisabledWhenMerged() {
		TestBrand brand = brandWith(10_000, "custom_event", Map.of());
		String active = newUserId();
		String disabled = newUserId();
		this.client.api(brand, "PATCH", "/v1/members/" + disabled, "{\"status\":\"disabled\"}");
		ApiResponse merged = link(brand, active, "discord", disabled);
		assertThat(merged.text("status")).isEqualTo("disabled");
		assertThat(this.client.event(brand, "custom_event", active).errorCode()).isEqualTo("USER_DISABLED");
	}

	@Test
	void mergingWhileBothMembersEarnLosesNothing() {
		long funds = 1_000_000;
		TestBrand brand = brandWith(funds, "custom_event", Map.of("amount", 3));
		String first = newUserId();
		String second = newUserId();
		String email = "race" + second + "@example.com";
		this.client.event(brand, "custom_event", first);
		link(brand, second, "email", email);
		AtomicBoolean linked = new AtomicBoolean();
		List<ApiResponse> responses = Race.run(60, (i) -> {
			if (i == 30) {
				ApiResponse merge = link(brand, first, "email", email);
				linked.set(merge.status() == 200);
				return merge;
			}
			return this.client.event(brand, "custom_event", (i % 2 == 0) ? first : second);
		});
		assertThat(linked).isTrue();
		long awarded = 3 + responses.stream().filter((r) -> "awarded".equals(r.text("status"))).count() * 3;
		ApiResponse survivor = this.client.get(brand, "/v1/members/" + first);
		assertThat(survivor.json().get("balance").asLong()).isEqualTo(awarded);
		assertThat(this.client.get(brand, "/v1/members/" + second).text("member_id"))
			.isEqualTo(survivor.text("member_id"));
		long held = LedgerChecks.assertBalanced(this.jdbc, brand, funds);
		assertThat(held).as("every point is with the survivor").isEqualTo(awarded);
	}

	@Test
	void onlyEventsThatReachTheRulesCreateMembersAndLaterOnesFindThem() {
		TestBrand brand = brandWith(10_000, "custom_event", Map.of("amount", 25));
		String user = newUserId();
		ApiResponse unknownType = this.client.event(brand, "never_configured", user);
		assertThat(unknownType.errorCode()).as(unknownType.toString()).isEqualTo("EVENT_DISABLED");
		assertThat(membersOf(brand, user)).as("a refused event creates no member").isZero();

		ApiResponse first = this.client.event(brand, "custom_event", user);
		assertThat(first.json().get("new_balance").asLong()).as(first.toString()).isEqualTo(25);
		ApiResponse second = this.client.event(brand, "custom_event", user);
		assertThat(second.json().get("new_balance").asLong()).as(second.toString()).isEqualTo(50);
		assertThat(membersOf(brand, user)).isOne();
	}

	private long membersOf(TestBrand brand, String user) {
		return this.jdbc.sql(
				"select count(*) from member_identities where brand_id = :brand and kind = 'discord' and value = :user")
			.param("brand", brand.brandId())
			.param("user", user)
			.query(Long.class)
			.single();
	}

	@Test
	void invalidIdentitiesAreRefusedNamingTheProblem() {
		TestBrand brand = this.client.createBrand();
		String user = newUserId();
		List<String> bodies = new ArrayList<>(
				List.of("{\"kind\":\"myspace\",\"value\":\"1\"}", "{\"kind\":\"email\",\"value\":\"not-an-email\"}",
						"{\"kind\":\"evm_address\",\"value\":\"0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed\"}",
						"{\"kind\":\"xrpl_address\",\"value\":\"rHb9CJAWyB4rj91VRWn96DkukG4bwdtyTi\"}",
						"{\"kind\":\"solana_address\",\"value\":\"0x12\"}", "{\"kind\":\"discord\",\"value\":\"abc\"}",
						"{\"kind\":\"email\"}", "{}", "[]"));
		for (String body : bodies) {
			ApiResponse response = this.client.api(brand, "POST", "/v1/members/" + user + "/identities", body);
			assertThat(response.status()).as(body + " " + response).isEqualTo(400);
			assertThat(response.problemCode()).isEqualTo("invalid_request");
		}
		assertThat(this.client
			.api(brand, "POST", "/v1/members/" + user + "/identities",
					"{\"kind\":\"evm_address\",\"value\":\"0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed\"}")
			.json()
			.get("detail")
			.asString()).contains("EIP-55");
		assertThat(this.client.get(brand, "/v1/members/lookup").status()).isEqualTo(400);
		assertThat(this.client.get(brand, "/v1/members/lookup?email=a@b.com&discord_id=1").status()).isEqualTo(400);
		assertThat(this.client.get(brand, "/v1/members/lookup?email=nobody@example.com").problemCode())
			.isEqualTo("member_not_found");
		assertThat(this.client.get(brand, "/v1/members/lookup?wallet=jane@example.com").status()).isEqualTo(400);
		assertThat(this.client.get(brand, "/v1/members/nobody-at-all").status()).isEqualTo(400);
	}

	private ApiResponse link(TestBrand brand, String member, String kind, String value) {
		return this.client.api(brand, "POST", "/v1/members/" + member + "/identities",
				ResonanceClient.json(Map.of("kind", kind, "value", value)));
	}

}
