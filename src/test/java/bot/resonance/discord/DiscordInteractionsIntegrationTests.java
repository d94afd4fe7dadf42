package bot.resonance.discord;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import bot.resonance.support.ApiResponse;
import bot.resonance.support.DiscordInteractions;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.IntegrationTestSupport;
import bot.resonance.support.Rsnc;
import bot.resonance.support.TestBrand;

import static bot.resonance.support.ResonanceClient.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /discord/interactions} signed as Discord signs it: the signature checks,
 * the ping, the five steps, and the wallet commands a person uses to see, issue codes
 * for, spend and link their network wallet.
 */
@IntegrationTest
class DiscordInteractionsIntegrationTests extends IntegrationTestSupport {

	@org.springframework.beans.factory.annotation.Autowired
	bot.resonance.platform.jobs.Jobs jobs;

	@org.springframework.beans.factory.annotation.Autowired
	org.springframework.jdbc.core.simple.JdbcClient jdbc;

	private static final AtomicLong IDS = new AtomicLong(1_300_000_000_000_000_000L);

	private static final AtomicLong GUILDS = new AtomicLong(1_200_000_000_000_000_000L);

	@Test
	void everyBadSignatureIsA401AndAPingIsAnswered() {
		String ping = "{\"type\":1,\"id\":\"1\"}";
		assertThat(post(ping, Map.of("Content-Type", "application/json")).status()).isEqualTo(401);
		Map<String, String> good = DiscordInteractions.headers(ping);
		String timestamp = good.get("X-Signature-Timestamp");
		String signature = good.get("X-Signature-Ed25519");
		for (Map<String, String> bad : List.of(Map.of("X-Signature-Ed25519", signature),
				Map.of("X-Signature-Ed25519", "zz" + signature.substring(2), "X-Signature-Timestamp", timestamp),
				Map.of("X-Signature-Ed25519", signature.substring(2), "X-Signature-Timestamp", timestamp),
				Map.of("X-Signature-Ed25519", signature + "00", "X-Signature-Timestamp", timestamp),
				Map.of("X-Signature-Ed25519", flip(signature), "X-Signature-Timestamp", timestamp),
				Map.of("X-Signature-Ed25519", signature, "X-Signature-Timestamp", timestamp + "1"))) {
			Map<String, String> headers = new HashMap<>(bad);
			headers.put("Content-Type", "application/json");
			ApiResponse refused = post(ping, headers);
			assertThat(refused.status()).as(bad.toString()).isEqualTo(401);
			assertThat(refused.text("code")).isEqualTo("invalid_signature");
		}
		ApiResponse tampered = post("{\"type\":1,\"id\":\"2\"}", good);
		assertThat(tampered.status()).isEqualTo(401);

		ApiResponse pong = post(ping, good);
		assertThat(pong.status()).isEqualTo(200);
		assertThat(pong.json().toString()).isEqualTo("{\"type\":1}");

		// Well signed, but long ago (a captured interaction, replayed), in the future, or
		// not a
		// time at all: refused; a minute's skew is not.
		long now = System.currentTimeMillis() / 1000;
		// (A margin past the 300 s tolerance: the requests take time, and the exact edges
		// are
		// the unit test's.)
		for (String stamp : List.of(Long.toString(now - 360), Long.toString(now + 360), "1000000000", "hello",
				Long.toString(now) + ".5")) {
			ApiResponse stale = post(ping, Map.of("X-Signature-Ed25519", DiscordInteractions.sign(stamp, ping),
					"X-Signature-Timestamp", stamp, "Content-Type", "application/json"));
			assertThat(stale.status()).as(stamp).isEqualTo(401);
			assertThat(stale.text("code")).isEqualTo("invalid_signature");
		}
		// Signed well but sent as a form: refused as a form, not as a bad signature.
		Map<String, String> asForm = new HashMap<>(good);
		asForm.put("Content-Type", "application/x-www-form-urlencoded");
		ApiResponse form = post(ping, asForm);
		assertThat(form.status()).as(form.toString()).isEqualTo(415);
		assertThat(form.text("detail")).contains("application/json");
		String skewed = Long.toString(now - 60);
		assertThat(post(ping, Map.of("X-Signature-Ed25519", DiscordInteractions.sign(skewed, ping),
				"X-Signature-Timestamp", skewed, "Content-Type", "application/json"))
			.status()).isEqualTo(200);
		assertThat(
				post(ping,
						Map.of("X-Signature-Ed25519", DiscordInteractions.sign("1000000000", ping),
								"X-Signature-Timestamp", "1000000000", "Content-Type", "application/json"))
					.text("detail"))
			.contains("replay");
		for (String malformed : List.of("not json", "[]", "{\"type\":\"1\"}", "{\"type\":7}", "{\"type\":2}",
				"{\"type\":2,\"id\":\"5\",\"user\":{\"id\":\"abc\"}}")) {
			ApiResponse invalid = signed(malformed);
			assertThat(invalid.status()).as(malformed).isEqualTo(400);
			assertThat(invalid.text("code")).isEqualTo("invalid_request");
		}
		// The detail names the field that is not a Discord id.
		Map<String, String> notIds = Map.of("{\"type\":2,\"id\":\"5\",\"user\":{\"id\":\"abc\"}}", "user.id",
				"{\"type\":2,\"id\":\"5\",\"guild_id\":\"7\",\"member\":{\"user\":{\"id\":\"-3\"}}}", "member.user.id",
				"{\"type\":2,\"id\":\"5\",\"guild_id\":\"000000000000000000000007\",\"member\":"
						+ "{\"user\":{\"id\":\"0042\"}},\"data\":{\"name\":\"balance\"}}",
				"guild_id");
		notIds.forEach((body, field) -> {
			ApiResponse invalid = signed(body);
			assertThat(invalid.status()).as(body).isEqualTo(400);
			assertThat(invalid.text("detail")).as(body).startsWith(field + " is not a Discord id");
		});
	}

	@Test
	void aMemberSeesTheirWalletIssuesACodeAndSpendsRsncFromDiscord() {
		TestBrand brand = rsncBrand();
		String guild = bind(brand);
		String user = newUserId();
		this.client.event(brand, "custom_event", user);

		JsonNode balance = command(guild, user, "wallet", "balance", Map.of()).json();
		assertThat(balance.get("type").asInt()).isEqualTo(4);
		assertThat(balance.get("data").get("flags").asInt()).isEqualTo(64);
		JsonNode embed = balance.get("data").get("embeds").get(0);
		assertThat(embed.get("title").asString()).contains("Discord brand");
		assertThat(embed.get("description").asString())
			.contains(this.client.get(brand, "/v1/members/" + user).text("wallet_address"));
		assertThat(embed.get("fields").get(0).get("value").asString()).isEqualTo("100");

		// The person issues a code in Discord; the brand redeems it through its API.
		String content = command(guild, user, "wallet", "code", Map.of("max_amount", 30)).json()
			.get("data")
			.get("content")
			.asString();
		Matcher code = Pattern.compile("RSNC-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}").matcher(content);
		assertThat(code.find()).as(content).isTrue();
		assertThat(content).contains("(it allows at most 30)");
		// A name no command has is not echoed at any length (Discord takes 2,000
		// characters).
		String longName = command(guild, user, "h".repeat(100_000), null, Map.of()).json()
			.path("data")
			.path("content")
			.asString();
		assertThat(longName).startsWith("Unknown command /hhh").hasSizeLessThan(100);
		// A character that cannot be stored is said in Discord, where it is, and nothing
		// is
		// done (no code spent, nothing logged).
		String nul = command(guild, user, "wallet", "redeem", Map.of("amount", 5, "reference", "order\u0000 1")).json()
			.path("data")
			.path("content")
			.asString();
		assertThat(nul).contains("cannot store")
			.containsPattern("in data\\.options\\[0\\]\\.options\\[[01]\\]\\.value")
			.contains("nothing was done");
		assertThat(command(guild, user, "wallet", "x".repeat(5_000), Map.of()).json()
			.path("data")
			.path("content")
			.asString()).startsWith("Unknown command /wallet xxx").hasSizeLessThan(100);
		// A cap given wrong is refused, never dropped (which would make a code without
		// one).
		for (Object wrong : List.of(0, -3, "abc", 1.5, new java.math.BigInteger("100000000000000000000000000000"))) {
			String answer = command(guild, user, "wallet", "code", Map.of("max_amount", wrong)).json()
				.get("data")
				.get("content")
				.asString();
			assertThat(answer).as(String.valueOf(wrong)).contains("No code was made").doesNotContain("RSNC-");
		}
		ApiResponse redeemed = this.client.api(brand, "POST", "/v1/redemptions",
				json(Map.of("code", code.group(), "amount", 30)));
		assertThat(redeemed.status()).as(redeemed.toString()).isEqualTo(201);

		// Spending by interaction: the person invokes it in the brand's server.
		String spent = command(guild, user, "wallet", "redeem", Map.of("amount", 50)).json()
			.get("data")
			.get("content")
			.asString();
		assertThat(spent).contains("You spent 50 RSNC").contains("left: 20");
		String refused = command(guild, user, "wallet", "redeem", Map.of("amount", 500)).json()
			.get("data")
			.get("content")
			.asString();
		assertThat(refused).contains("You do not have 500 RSNC");
		assertThat(Rsnc.wallet(this.client, brand)).isEqualTo(10_000 - 100 + 30 + 50);
	}

	@Test
	void theFiveStepsLockResolveRegisterLogAndRoute() {
		TestBrand brand = rsncBrand();
		String guild = bind(brand);
		String user = newUserId();
		String id = Long.toString(IDS.incrementAndGet());
		String body = interaction(id, guild, user, "wallet", "balance", Map.of());
		assertThat(signed(body).json().get("data").get("embeds").size()).isEqualTo(1);
		assertThat(signed(body).json().get("data").get("content").asString())
			.isEqualTo("This interaction is already being processed.");
		// Once the lock expired (and was pruned), a late redelivery meets the log
		// instead.
		this.clock.advance(java.time.Duration.ofHours(2));
		this.jobs.runDue("discord-interaction-lock-pruning");
		assertThat(this.jdbc.sql("select count(*) from discord_interaction_locks where interaction_id = :id")
			.param("id", id)
			.query(Long.class)
			.single()).isZero();
		assertThat(signed(body).json().get("data").get("content").asString()).isEqualTo("Already handled.");
		// The log keeps interactions for its retention (90 days), then forgets them.
		String old = Long.toString(IDS.incrementAndGet());
		this.jdbc.sql("""
				insert into discord_interactions (brand_id, interaction_id, type, user_id, payload, received_at)
				values (:brand, :id, 2, :user, '{}', :at)
				""")
			.param("brand", brand.brandId())
			.param("id", old)
			.param("user", user)
			.param("at",
					java.time.OffsetDateTime.ofInstant(this.clock.instant().minus(java.time.Duration.ofDays(91)),
							java.time.ZoneOffset.UTC))
			.update();
		this.clock.advance(java.time.Duration.ofHours(2));
		this.jobs.runDue("discord-interaction-lock-pruning");
		assertThat(this.jdbc.sql("select interaction_id from discord_interactions where brand_id = :brand")
			.param("brand", brand.brandId())
			.query(String.class)
			.list()).containsExactly(id);
		assertThat(this.jdbc.sql("select count(*) from discord_interactions where interaction_id = :id")
			.param("id", id)
			.query(Long.class)
			.single()).isEqualTo(1);
		// Registered by using the bot in the brand's server: known in DMs now.
		ApiResponse dm = signed(
				interaction(Long.toString(IDS.incrementAndGet()), null, user, "register", null, Map.of()));
		assertThat(dm.json().get("data").get("content").asString()).contains("registered with Discord brand");
		String stranger = newUserId();
		ApiResponse unknown = signed(
				interaction(Long.toString(IDS.incrementAndGet()), null, stranger, "register", null, Map.of()));
		assertThat(unknown.json().get("data").get("content").asString()).contains("Run /register in a server");
		ApiResponse unbound = signed(interaction(Long.toString(IDS.incrementAndGet()),
				Long.toString(GUILDS.incrementAndGet()), user, "wallet", "balance", Map.of()));
		assertThat(unbound.json().get("data").get("content").asString()).contains("not connected to Resonance");
		// One guild, one brand.
		TestBrand other = rsncBrand();
		ApiResponse taken = this.client.admin("POST", "/admin/v1/brands/" + other.brandId() + "/guilds",
				json(Map.of("guild_id", guild)));
		assertThat(taken.status()).isEqualTo(409);
		assertThat(taken.text("code")).isEqualTo("guild_bound");
		assertThat(this.client.admin("GET", "/admin/v1/brands/" + brand.brandId() + "/guilds", null)
			.json()
			.at("/data/0/guild_id")
			.asString()).isEqualTo(guild);
	}

	@Test
	void aBrandsGuildsAreListedInPages() {
		TestBrand brand = rsncBrand();
		List<String> bound = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			String guild = Long.toString(GUILDS.incrementAndGet());
			ApiResponse created = this.client.admin("POST", "/admin/v1/brands/" + brand.brandId() + "/guilds",
					json(Map.of("guild_id", guild)));
			assertThat(created.status()).as(created.toString()).isEqualTo(201);
			bound.add(guild);
		}
		String path = "/admin/v1/brands/" + brand.brandId() + "/guilds";
		ApiResponse first = this.client.admin("GET", path + "?limit=2", null);
		assertThat(first.json().get("has_more").asBoolean()).isTrue();
		assertThat(first.json().get("data")).extracting((g) -> g.get("guild_id").asString())
			.containsExactly(bound.get(0), bound.get(1));
		ApiResponse second = this.client.admin("GET",
				path + "?limit=2&starting_after=" + first.json().get("next_cursor").asString(), null);
		assertThat(second.json().get("has_more").asBoolean()).isFalse();
		assertThat(second.json().get("next_cursor").isNull()).isTrue();
		assertThat(second.json().get("data")).extracting((g) -> g.get("guild_id").asString())
			.containsExactly(bound.get(2));
		ApiResponse all = this.client.admin("GET", path, null);
		assertThat(all.json().get("data")).hasSize(3);
		ApiResponse stale = this.client.admin("GET", path + "?starting_after=1", null);
		assertThat(stale.status()).isEqualTo(400);
		assertThat(stale.text("code")).isEqualTo("invalid_request");
		assertThat(this.client.admin("GET", path + "?limit=0", null).status()).isEqualTo(400);
		// A brand that does not exist has no guilds to list or unbind: it is not found.
		for (ApiResponse missing : List.of(this.client.admin("GET", "/admin/v1/brands/0xnobody/guilds", null),
				this.client.admin("DELETE", "/admin/v1/brands/0xnobody/guilds/" + bound.get(0), null))) {
			assertThat(missing.status()).as(missing.toString()).isEqualTo(404);
			assertThat(missing.text("code")).isEqualTo("brand_not_found");
		}
	}

	@Test
	void theHolderConfirmsALinkAcrossBrandsWithAButton() {
		TestBrand a = rsncBrand();
		TestBrand b = rsncBrand();
		String guildA = bind(a);
		String alice = newUserId();
		this.client.event(a, "custom_event", alice);
		String bob = newUserId();
		this.client.event(b, "custom_event", bob);

		ApiResponse pending = this.client.api(b, "POST", "/v1/members/" + bob + "/identities",
				json(Map.of("kind", "discord", "value", alice)));
		assertThat(pending.status()).as(pending.toString()).isEqualTo(202);
		assertThat(pending.json().get("confirmation").get("method").asString()).isEqualTo("discord");

		// Someone else cannot confirm it for Alice.
		String mallory = newUserId();
		JsonNode theirs = command(guildA, mallory, "wallet", "links", Map.of()).json();
		assertThat(theirs.get("data").get("content").asString()).contains("No brand is waiting");

		JsonNode links = command(guildA, alice, "wallet", "links", Map.of()).json();
		assertThat(links.get("data").get("content").asString()).contains("Discord brand")
			.contains("the Discord account " + alice);
		String confirm = links.get("data")
			.get("components")
			.get(0)
			.get("components")
			.get(0)
			.get("custom_id")
			.asString();
		assertThat(confirm).startsWith("wallet:link:confirm:");
		assertThat(button(guildA, mallory, confirm).get("data").get("content").asString())
			.contains("Nothing to confirm");
		assertThat(Rsnc.of(this.client.get(b, "/v1/members/" + bob))).as("nothing moved yet").isEqualTo(100);

		assertThat(button(guildA, alice, confirm).get("data").get("content").asString()).contains("Linked");
		assertThat(Rsnc.of(this.client.get(b, "/v1/members/" + bob))).isEqualTo(200);
		assertThat(Rsnc.of(this.client.get(a, "/v1/members/" + alice))).isEqualTo(200);
		assertThat(button(guildA, alice, confirm).get("data").get("content").asString()).contains("Nothing to confirm");
	}

	private JsonNode button(String guild, String user, String customId) {
		Map<String, Object> body = new HashMap<>();
		body.put("type", 3);
		body.put("id", Long.toString(IDS.incrementAndGet()));
		body.put("guild_id", guild);
		body.put("member", Map.of("user", Map.of("id", user)));
		body.put("data", Map.of("custom_id", customId, "component_type", 2));
		return signed(json(body)).json();
	}

	private ApiResponse command(String guild, String user, String command, String sub, Map<String, Object> options) {
		return signed(interaction(Long.toString(IDS.incrementAndGet()), guild, user, command, sub, options));
	}

	private static String interaction(String id, String guild, String user, String command, String sub,
			Map<String, Object> options) {
		List<Map<String, Object>> values = new ArrayList<>();
		options.forEach((name, value) -> values.add(Map.of("name", name, "type", 4, "value", value)));
		Map<String, Object> data = new HashMap<>();
		data.put("name", command);
		data.put("type", 1);
		data.put("options", (sub != null) ? List.of(Map.of("name", sub, "type", 1, "options", values)) : values);
		Map<String, Object> body = new HashMap<>();
		body.put("type", 2);
		body.put("id", id);
		if (guild != null) {
			body.put("guild_id", guild);
			body.put("member", Map.of("user", Map.of("id", user), "permissions", "0"));
		}
		else {
			body.put("user", Map.of("id", user));
		}
		body.put("data", data);
		return json(body);
	}

	private ApiResponse signed(String body) {
		return post(body, DiscordInteractions.headers(body));
	}

	private ApiResponse post(String body, Map<String, String> headers) {
		return this.client.send("POST", "/discord/interactions", body, headers);
	}

	private String bind(TestBrand brand) {
		String guild = Long.toString(GUILDS.incrementAndGet());
		ApiResponse bound = this.client.admin("POST", "/admin/v1/brands/" + brand.brandId() + "/guilds",
				json(Map.of("guild_id", guild)));
		assertThat(bound.status()).as(bound.toString()).isEqualTo(201);
		return guild;
	}

	private TestBrand rsncBrand() {
		TestBrand brand = this.client.createBrand(Map.of("name", "Discord brand", "rate_limit_per_minute", 100_000));
		this.client.admin("POST", "/admin/v1/brands/" + brand.brandId() + "/wallet/credits",
				json(Map.of("amount", 10_000, "currency", "RSNC")));
		this.client.eventType(brand, "custom_event", Map.of("enabled", true, "amount", 100, "currency", "RSNC"));
		return brand;
	}

	private static String flip(String hex) {
		char last = hex.charAt(hex.length() - 1);
		return hex.substring(0, hex.length() - 1) + ((last == '0') ? '1' : '0');
	}

}
