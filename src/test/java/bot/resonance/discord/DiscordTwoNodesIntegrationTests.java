package bot.resonance.discord;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import bot.resonance.support.ApiResponse;
import bot.resonance.support.DiscordBot;
import bot.resonance.support.DiscordInteractions;
import bot.resonance.support.FakeDiscord;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.IntegrationTestSupport;
import bot.resonance.support.MutableClock;
import bot.resonance.support.Race;
import bot.resonance.support.ResonanceClient;
import bot.resonance.support.SecondNode;
import bot.resonance.support.TestBrand;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two Resonance nodes on one database, as behind a load balancer: Discord delivering one
 * interaction to both at once (a retry, a duplicate) gets one real answer, and the
 * command runs once.
 */
@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DiscordTwoNodesIntegrationTests extends IntegrationTestSupport {

	private static final Set<String> DUPLICATE_ANSWERS = Set.of("This interaction is already being processed.",
			"Already handled.");

	@Autowired
	Environment environment;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	MutableClock sharedClock;

	SecondNode second;

	ResonanceClient secondClient;

	@BeforeAll
	void startSecondNode() {
		this.second = SecondNode.start(this.environment, this.sharedClock,
				"resonance.discord.interactions.public-key=" + DiscordInteractions.PUBLIC_KEY,
				"resonance.discord.interactions.application-id=" + DiscordBot.APPLICATION_ID,
				"resonance.discord.api-base-url=" + FakeDiscord.instance().baseUrl(),
				"resonance.discord.bot-token=" + FakeDiscord.TOKEN);
		this.secondClient = new ResonanceClient(this.second.port());
	}

	@AfterAll
	void stopSecondNode() {
		this.second.close();
	}

	@Test
	void anInteractionDeliveredToBothNodesAtOnceRunsOnce() {
		TestBrand brand = this.client.createBrand(Map.of("name", "Two nodes", "rate_limit_per_minute", 100_000));
		String guild = new DiscordBot(this.client).bind(brand);
		List<String> users = new ArrayList<>();
		for (int round = 0; round < 30; round++) {
			String id = DiscordBot.newInteractionId();
			String user = newUserId();
			users.add(user);
			// /wallet code issues a redemption code: a side effect that shows each run.
			String body = DiscordBot.commandBody(id, guild, user, DiscordBot.MEMBER, "wallet", "code", Map.of());
			List<ApiResponse> answers = Race.run(2, (node) -> ((node == 0) ? this.client : this.secondClient)
				.send("POST", "/discord/interactions", body, DiscordInteractions.headers(body)));
			List<String> contents = answers.stream().map(DiscordBot::content).toList();
			assertThat(contents).as("interaction %s", id)
				.filteredOn((content) -> content.startsWith("Your redemption code: `"))
				.hasSize(1);
			assertThat(contents).as("interaction %s", id).filteredOn(DUPLICATE_ANSWERS::contains).hasSize(1);
			assertThat(this.jdbc.sql("select count(*) from discord_interactions where interaction_id = ?")
				.param(id)
				.query(Long.class)
				.single()).as("interaction %s", id).isEqualTo(1);
			assertThat(codesOf(brand, user)).as("codes of user %s", user).isEqualTo(1);
		}
		// And nothing ran late: every user still has exactly one code.
		for (String user : users) {
			assertThat(codesOf(brand, user)).isEqualTo(1);
		}
	}

	@Test
	void checkinSettingsChangedOnOneNodeApplyOnTheOtherAtOnce() {
		TestBrand brand = this.client.createBrand(Map.of("name", "Two nodes' settings"));
		// The other node reads (and keeps) the defaults first.
		assertThat(this.secondClient.get(brand, "/v1/discord/checkin").json().path("grace_hours").asInt())
			.isEqualTo(12);
		ApiResponse changed = this.client.api(brand, "PUT", "/v1/discord/checkin",
				ResonanceClient.json(Map.of("grace_hours", 3)));
		assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
		// It hears of the change when it commits, within milliseconds.
		long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
		int grace;
		do {
			grace = this.secondClient.get(brand, "/v1/discord/checkin").json().path("grace_hours").asInt();
		}
		while (grace != 3 && System.nanoTime() < deadline);
		assertThat(grace).isEqualTo(3);
	}

	private long codesOf(TestBrand brand, String user) {
		return this.jdbc.sql("""
				select count(*) from network_redemption_codes c
				where c.person_id in (select m.person_id from members m
				    join member_identities i on i.brand_id = m.brand_id and i.member_id = m.id
				    where i.brand_id = ? and i.kind = 'discord' and i.value = ?)
				""").params(brand.brandId(), user).query(Long.class).single();
	}

}
