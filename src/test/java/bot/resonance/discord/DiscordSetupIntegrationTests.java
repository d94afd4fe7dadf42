package bot.resonance.discord;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import bot.resonance.support.ApiResponse;
import bot.resonance.support.DiscordBot;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.IntegrationTestSupport;
import bot.resonance.support.Race;
import bot.resonance.support.TestBrand;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A brand connects its own Discord server: a setup code from the management API, entered
 * by an admin of the server with {@code /setup code:…}. Codes work once, for a while, for
 * admins only, and cannot be guessed.
 */
@IntegrationTest
class DiscordSetupIntegrationTests extends IntegrationTestSupport {

	@Autowired
	JdbcClient jdbc;

	private DiscordBot bot() {
		return new DiscordBot(this.client);
	}

	@Test
	void anAdminConnectsTheServerWithTheBrandsSetupCode() {
		TestBrand brand = this.client.createBrand(Map.of("name", "Setup brand"));
		String guild = DiscordBot.newGuildId();
		String admin = newUserId();
		assertThat(DiscordBot.content(bot().command(guild, admin, DiscordBot.MEMBER, "wallet", "balance", Map.of())))
			.as("other commands in a server no brand has")
			.contains("not connected");

		ApiResponse issued = this.client.api(brand, "POST", "/v1/discord/setup-codes", "{}");
		assertThat(issued.status()).as(issued.toString()).isEqualTo(201);
		String code = issued.text("code");
		assertThat(code).matches("[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}");
		Instant expiresAt = Instant.parse(issued.text("expires_at"));
		assertThat(Duration.between(this.clock.instant(), expiresAt)).isBetween(Duration.ofMinutes(29),
				Duration.ofMinutes(30));
		assertThat(this.client.send("POST", "/v1/discord/setup-codes", "{}", Map.of("Content-Type", "application/json"))
			.status()).as("brands only").isEqualTo(401);

		String member = newUserId();
		String refused = DiscordBot
			.content(bot().command(guild, member, DiscordBot.MEMBER, "setup", null, Map.of("code", code)));
		assertThat(refused).contains("admins").contains("Manage Server");
		assertThat(bindings(brand)).as("a member connects nothing").isEmpty();

		// Typed loosely: lower case, without the dash.
		String typed = code.toLowerCase().replace("-", "");
		String connected = DiscordBot
			.content(bot().command(guild, admin, DiscordBot.ADMIN, "setup", null, Map.of("code", typed)));
		assertThat(connected).contains("Connected").contains("Setup brand").contains("used up");
		assertThat(bindings(brand)).containsExactly(guild);

		assertThat(DiscordBot.content(bot().command(guild, member, DiscordBot.MEMBER, "register", null, Map.of())))
			.as("the server is the brand's now")
			.contains("registered with Setup brand");
		assertThat(
				DiscordBot.content(bot().command(guild, admin, DiscordBot.ADMIN, "setup", null, Map.of("code", code))))
			.as("a connected server says whose it is")
			.contains("already connected to **Setup brand**");

		String other = DiscordBot.newGuildId();
		assertThat(
				DiscordBot.content(bot().command(other, admin, DiscordBot.ADMIN, "setup", null, Map.of("code", code))))
			.as("a code works once")
			.contains("used already");
		assertThat(bindings(brand)).containsExactly(guild);
	}

	@Test
	void aServerOfOneBrandIsNotTakenWithAnotherBrandsCode() {
		TestBrand first = this.client.createBrand(Map.of("name", "First brand"));
		TestBrand second = this.client.createBrand(Map.of("name", "Second brand"));
		String guild = bot().bind(first);
		String code = this.client.api(second, "POST", "/v1/discord/setup-codes", "{}").text("code");

		String answer = DiscordBot
			.content(bot().command(guild, newUserId(), DiscordBot.ADMIN, "setup", null, Map.of("code", code)));
		assertThat(answer).contains("already connected to **First brand**").contains("not used");
		assertThat(bindings(second)).isEmpty();
		assertThat(bindings(first)).containsExactly(guild);

		String free = DiscordBot.newGuildId();
		assertThat(DiscordBot
			.content(bot().command(free, newUserId(), DiscordBot.ADMIN, "setup", null, Map.of("code", code))))
			.as("the code was not used up")
			.contains("Connected")
			.contains("Second brand");
	}

	@Test
	void wrongAndExpiredCodesAreRefusedClearly() {
		TestBrand brand = this.client.createBrand(Map.of("name", "Expiring brand"));
		String guild = DiscordBot.newGuildId();
		String admin = newUserId();
		assertThat(DiscordBot
			.content(bot().command(guild, admin, DiscordBot.ADMIN, "setup", null, Map.of("code", "ZZZZ-ZZZZ"))))
			.contains("not valid");
		assertThat(DiscordBot.content(bot().command(guild, admin, DiscordBot.ADMIN, "setup", null, Map.of())))
			.contains("Give the setup code");

		String code = this.client.api(brand, "POST", "/v1/discord/setup-codes", "{}").text("code");
		this.clock.advance(Duration.ofMinutes(31));
		String expired = DiscordBot
			.content(bot().command(guild, admin, DiscordBot.ADMIN, "setup", null, Map.of("code", code)));
		assertThat(expired).contains("expired").containsPattern("<t:[0-9]+:R>");
		assertThat(bindings(brand)).isEmpty();
	}

	@Test
	void guessingCodesIsStoppedPerServerAndPerUser() {
		TestBrand brand = this.client.createBrand(Map.of("name", "Guarded brand"));
		String code = this.client.api(brand, "POST", "/v1/discord/setup-codes", "{}").text("code");
		String guild = DiscordBot.newGuildId();
		String guesser = newUserId();
		for (int i = 0; i < 5; i++) {
			assertThat(DiscordBot.content(
					bot().command(guild, guesser, DiscordBot.ADMIN, "setup", null, Map.of("code", wrong(code, i)))))
				.contains("not valid");
		}
		String blocked = DiscordBot
			.content(bot().command(guild, guesser, DiscordBot.ADMIN, "setup", null, Map.of("code", code)));
		assertThat(blocked).as("even the right code, once too many were wrong")
			.contains("Too many wrong setup codes")
			.containsPattern("<t:[0-9]+:R>");
		assertThat(DiscordBot
			.content(bot().command(guild, newUserId(), DiscordBot.ADMIN, "setup", null, Map.of("code", code))))
			.as("another admin of the same server")
			.contains("Too many wrong setup codes");
		assertThat(DiscordBot.content(
				bot().command(DiscordBot.newGuildId(), guesser, DiscordBot.ADMIN, "setup", null, Map.of("code", code))))
			.as("the same user in another server")
			.contains("Too many wrong setup codes");
		assertThat(bindings(brand)).isEmpty();

		// Members cannot lock a server's admins out: they are refused before any code is
		// checked.
		String other = DiscordBot.newGuildId();
		for (int i = 0; i < 6; i++) {
			assertThat(DiscordBot.content(bot().command(other, newUserId(), DiscordBot.MEMBER, "setup", null,
					Map.of("code", wrong(code, i)))))
				.contains("admins");
		}
		assertThat(DiscordBot
			.content(bot().command(other, newUserId(), DiscordBot.ADMIN, "setup", null, Map.of("code", code))))
			.contains("Connected");

		this.clock.advance(Duration.ofMinutes(16));
		String later = this.client.api(brand, "POST", "/v1/discord/setup-codes", "{}").text("code");
		assertThat(DiscordBot
			.content(bot().command(guild, guesser, DiscordBot.ADMIN, "setup", null, Map.of("code", later))))
			.as("the window passed")
			.contains("Connected");
		assertThat(bindings(brand)).containsExactlyInAnyOrder(guild, other);
	}

	@Test
	void oneCodeEnteredInManyServersAtOnceConnectsOne() {
		TestBrand brand = this.client.createBrand(Map.of("name", "Raced brand"));
		String code = this.client.api(brand, "POST", "/v1/discord/setup-codes", "{}").text("code");
		List<String> guilds = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			guilds.add(DiscordBot.newGuildId());
		}
		List<String> answers = Race.run(guilds.size(), (i) -> DiscordBot
			.content(bot().command(guilds.get(i), newUserId(), DiscordBot.ADMIN, "setup", null, Map.of("code", code))));
		assertThat(answers).filteredOn((a) -> a.contains("Connected")).hasSize(1);
		assertThat(answers).filteredOn((a) -> a.contains("used already")).hasSize(guilds.size() - 1);
		assertThat(bindings(brand)).hasSize(1);
	}

	@Test
	void aBrandHasAFewLiveCodesAtMost() {
		TestBrand brand = this.client.createBrand(Map.of("name", "Many codes"));
		// A code takes no fields: anything sent is refused, and makes no code.
		ApiResponse withFields = this.client.api(brand, "POST", "/v1/discord/setup-codes", "{\"x\":1}");
		assertThat(withFields.status()).as(withFields.toString()).isEqualTo(400);
		assertThat(withFields.text("detail")).contains("takes no fields").contains("x");
		assertThat(this.client.api(brand, "POST", "/v1/discord/setup-codes", "[]").status()).isEqualTo(400);
		List<String> codes = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			ApiResponse issued = this.client.api(brand, "POST", "/v1/discord/setup-codes", "{}");
			assertThat(issued.status()).isEqualTo(201);
			codes.add(issued.text("code"));
		}
		assertThat(codes).doesNotHaveDuplicates();
		ApiResponse refused = this.client.api(brand, "POST", "/v1/discord/setup-codes", "{}");
		assertThat(refused.status()).isEqualTo(429);
		assertThat(refused.problemCode()).isEqualTo("too_many_setup_codes");
		// When the first of them expires (30 minutes).
		assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1_700L, 1_801L);
	}

	@Test
	void setupIsOfferedToAdminsOnly() {
		TestBrand brand = this.client.createBrand(Map.of("name", "Listed"));
		String guild = bot().bind(brand);
		assertThat(DiscordBot
			.content(bot().command(guild, newUserId(), DiscordBot.MEMBER, "setup", null, Map.of("code", "AAAA-AAAA"))))
			.contains("admins");
	}

	private static String wrong(String code, int i) {
		char last = code.charAt(code.length() - 1);
		char replaced = "0123456789".charAt((Character.isDigit(last) ? (last - '0' + 1 + i) : i) % 10);
		return code.substring(0, code.length() - 1) + replaced;
	}

	/**
	 * The table keeps a brand's recent codes, not every code it ever asked for: codes
	 * that expired more than 30 days ago are forgotten when the brand asks for a new one,
	 * and a code that expired lately is still refused as expired.
	 */
	@Test
	void longExpiredCodesAreForgottenWhenTheBrandAsksForANewOne() {
		TestBrand brand = this.client.createBrand(Map.of("name", "Old codes"));
		this.client.api(brand, "POST", "/v1/discord/setup-codes", "{}");
		this.client.api(brand, "POST", "/v1/discord/setup-codes", "{}");
		assertThat(storedCodes(brand)).isEqualTo(2);
		this.clock.advance(Duration.ofDays(31));
		String lately = this.client.api(brand, "POST", "/v1/discord/setup-codes", "{}").text("code");
		assertThat(storedCodes(brand)).isEqualTo(1);
		this.clock.advance(Duration.ofDays(1));
		assertThat(this.client.api(brand, "POST", "/v1/discord/setup-codes", "{}").status()).isEqualTo(201);
		assertThat(storedCodes(brand)).isEqualTo(2);
		String answer = DiscordBot.content(bot().command(DiscordBot.newGuildId(), newUserId(), DiscordBot.ADMIN,
				"setup", null, Map.of("code", lately)));
		assertThat(answer).contains("expired");
	}

	private int storedCodes(TestBrand brand) {
		return this.jdbc.sql("select count(*) from discord_setup_codes where brand_id = :brand")
			.param("brand", brand.brandId())
			.query(Integer.class)
			.single();
	}

	private List<String> bindings(TestBrand brand) {
		ApiResponse listed = this.client.admin("GET", "/admin/v1/brands/" + brand.brandId() + "/guilds", null);
		assertThat(listed.status()).isEqualTo(200);
		List<String> guilds = new ArrayList<>();
		listed.json().get("data").forEach((g) -> guilds.add(g.path("guild_id").asString()));
		return guilds;
	}

}
