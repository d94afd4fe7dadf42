package bot.resonance.discord;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import bot.resonance.support.ApiResponse;
import bot.resonance.support.DiscordBot;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.IntegrationTestSupport;
import bot.resonance.support.Race;
import bot.resonance.support.ResonanceClient;
import bot.resonance.support.TestBrand;
import bot.resonance.support.WebhookReceiver;

import static bot.resonance.support.ResonanceClient.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /checkin} played as Discord plays it: the daily_checkin event through the event
 * pipeline once per member and UTC day (however many check-ins race), streaks with their
 * grace window, streak bonuses, every refusal told in plain words, and the brand's
 * settings API.
 */
@IntegrationTest
class DiscordCheckinIntegrationTests extends IntegrationTestSupport {

	private static final long AMOUNT = 10;

	@Test
	void aCheckInIsRewardedThroughTheEventPipelineOnceADay() {
		TestBrand brand = checkinBrand(Map.of("amount", AMOUNT));
		String guild = bot().bind(brand);
		String user = newUserId();
		Instant morning = dayAhead(0).plus(Duration.ofHours(10));
		this.clock.freezeAt(morning);
		try (WebhookReceiver receiver = WebhookReceiver.start()) {
			ApiResponse hook = this.client.api(brand, "POST", "/v1/webhooks",
					json(Map.of("url", receiver.url("/hook"), "event_types", List.of("reward.earned"))));
			assertThat(hook.status()).as(hook.toString()).isEqualTo(201);

			JsonNode answer = checkin(guild, user);
			assertThat(answer.path("flags").asInt()).isEqualTo(64);
			JsonNode embed = answer.path("embeds").get(0);
			assertThat(embed.path("author").path("name").asString()).isEqualTo("Check-in brand");
			assertThat(embed.path("title").asString()).isEqualTo("Checked in: day 1");
			assertThat(embed.path("description").asString()).startsWith("+10 ");
			assertThat(field(embed, "Balance")).startsWith("10 ");
			assertThat(field(embed, "Streak")).isEqualTo("1 day");
			assertThat(field(embed, "Best streak")).isEqualTo("1 day");
			assertThat(field(embed, "Next bonus")).isEqualTo("No streak bonuses in this server");
			assertThat(field(embed, "Next check-in")).contains(relative(dayAhead(1, morning)));

			// The same pipeline as POST /v1/events: the ledger, the member's events, the
			// reward.earned webhook.
			assertThat(balance(brand, user)).isEqualTo(AMOUNT);
			List<JsonNode> events = events(brand, user);
			assertThat(events).hasSize(1);
			assertThat(events.getFirst().path("event_type").asString()).isEqualTo("daily_checkin");
			assertThat(events.getFirst().path("status").asString()).isEqualTo("awarded");
			assertThat(events.getFirst().path("source").asString()).isEqualTo("discord");
			assertThat(events.getFirst().path("server_id").asString()).isEqualTo(guild);
			assertThat(events.getFirst().path("metadata").path("streak_day").asInt()).isEqualTo(1);
			JsonNode webhook = ResonanceClient.MAPPER
				.readTree(receiver.await(1, Duration.ofSeconds(20)).getFirst().body());
			assertThat(webhook.toString()).contains(events.getFirst().path("event_id").asString());

			// Later the same day: refused, with when the next check-in opens.
			this.clock.freezeAt(morning.plus(Duration.ofHours(13)));
			assertThat(checkin(guild, user).path("content").asString())
				.isEqualTo("You already checked in today; next check-in " + relative(dayAhead(1, morning)) + ".");
			assertThat(balance(brand, user)).isEqualTo(AMOUNT);
			assertThat(awarded(brand, user)).isEqualTo(1);
			this.client.api(brand, "DELETE", "/v1/webhooks/" + hook.text("id"), null);
		}
	}

	@Test
	void manyConcurrentCheckInsOfOneMemberAreRewardedOnce() {
		TestBrand brand = checkinBrand(Map.of("amount", AMOUNT));
		String guild = bot().bind(brand);
		String user = newUserId();
		this.clock.freezeAt(dayAhead(0).plus(Duration.ofHours(12)));
		List<ApiResponse> answers = Race.run(16,
				(i) -> bot().command(guild, user, DiscordBot.MEMBER, "checkin", null, Map.of()));
		List<String> contents = new ArrayList<>();
		int rewarded = 0;
		for (ApiResponse answer : answers) {
			JsonNode data = DiscordBot.data(answer);
			if (data.path("embeds").size() > 0) {
				rewarded++;
			}
			else {
				contents.add(data.path("content").asString());
			}
		}
		assertThat(rewarded).as(contents.toString()).isEqualTo(1);
		assertThat(contents).hasSize(15).allMatch((text) -> text.startsWith("You already checked in today"));
		assertThat(balance(brand, user)).isEqualTo(AMOUNT);
		assertThat(awarded(brand, user)).isEqualTo(1);
		assertThat(this.client.get(brand, "/v1/wallet").json().path("balance").asLong()).isEqualTo(10_000 - AMOUNT);
		// The streak counted the day once.
		this.clock.freezeAt(this.clock.instant().plus(Duration.ofDays(1)));
		assertThat(streak(checkin(guild, user))).containsExactly("2 days", "2 days");
	}

	@Test
	void aStreakContinuesNextDayAndWithinGraceAndRestartsAfterIt() {
		TestBrand brand = checkinBrand(Map.of("amount", AMOUNT));
		String guild = bot().bind(brand);
		String user = newUserId();
		Instant first = dayAhead(0).plus(Duration.ofHours(10));

		this.clock.freezeAt(first);
		assertThat(streak(checkin(guild, user))).containsExactly("1 day", "1 day");
		// The next UTC day, late.
		this.clock.freezeAt(dayAhead(1, first).plus(Duration.ofHours(23)));
		assertThat(streak(checkin(guild, user))).containsExactly("2 days", "2 days");
		// A UTC day skipped, but within the 12 hours of grace after it ended.
		this.clock.freezeAt(dayAhead(3, first).plus(Duration.ofHours(11)));
		JsonNode third = checkin(guild, user);
		assertThat(streak(third)).containsExactly("3 days", "3 days");
		Instant keepUntil = dayAhead(5, first).plus(Duration.ofHours(12));
		assertThat(field(third.path("embeds").get(0), "Next check-in")).contains("<t:" + keepUntil.getEpochSecond());
		// A UTC day skipped and its grace over: a new streak; the best one stays.
		this.clock.freezeAt(keepUntil.plusSeconds(1));
		assertThat(streak(checkin(guild, user))).containsExactly("1 day", "3 days");
		assertThat(balance(brand, user)).isEqualTo(4 * AMOUNT);
		assertThat(awarded(brand, user)).isEqualTo(4);
	}

	@Test
	void withoutGraceASkippedDayRestartsTheStreak() {
		TestBrand brand = checkinBrand(Map.of("amount", AMOUNT));
		assertThat(settings(brand, Map.of("grace_hours", 0)).status()).isEqualTo(200);
		String guild = bot().bind(brand);
		String user = newUserId();
		Instant first = dayAhead(0).plus(Duration.ofHours(23));
		this.clock.freezeAt(first);
		checkin(guild, user);
		this.clock.freezeAt(dayAhead(2, first).plus(Duration.ofMinutes(30)));
		assertThat(streak(checkin(guild, user))).containsExactly("1 day", "1 day");
	}

	@Test
	void theSeventhDayOfAStreakPaysTheBonusAndAReplayWithAnotherAmountIsStillRefused() {
		TestBrand brand = checkinBrand(Map.of("amount", AMOUNT));
		ApiResponse saved = settings(brand, Map.of("bonuses",
				List.of(Map.of("every_days", 7, "multiplier", 2), Map.of("every_days", 3, "multiplier", 1.5))));
		assertThat(saved.status()).as(saved.toString()).isEqualTo(200);
		String guild = bot().bind(brand);
		String user = newUserId();
		Instant first = dayAhead(0).plus(Duration.ofHours(9));
		List<String> descriptions = new ArrayList<>();
		JsonNode last = null;
		for (int day = 0; day < 7; day++) {
			this.clock.freezeAt(dayAhead(day, first).plus(Duration.ofHours(9)));
			last = checkin(guild, user).path("embeds").get(0);
			descriptions.add(last.path("description").asString());
		}
		assertThat(descriptions).extracting((d) -> d.split(" ")[0])
			.containsExactly("+10", "+10", "+15", "+10", "+10", "+15", "+20");
		assertThat(descriptions.get(6)).contains("day 7 streak bonus, ×2");
		assertThat(field(last, "Streak")).isEqualTo("7 days");
		assertThat(field(last, "Next bonus")).isEqualTo("×1.5 on day 9 (in 2 days)");
		assertThat(balance(brand, user)).isEqualTo(90);
		assertThat(events(brand, user).getFirst().path("amount_awarded").asLong()).isEqualTo(20);

		// Without the bonus the same day's check-in would ask for another amount: it is
		// still the day's check-in, answered as one, not a new reward nor an error.
		settings(brand, Map.of("bonuses", List.of()));
		this.clock.freezeAt(this.clock.instant().plus(Duration.ofHours(1)));
		assertThat(checkin(guild, user).path("content").asString()).startsWith("You already checked in today");
		assertThat(balance(brand, user)).isEqualTo(90);
		assertThat(awarded(brand, user)).isEqualTo(7);
	}

	@Test
	void aBonusIsCappedByTheTypesMaxAmount() {
		TestBrand brand = checkinBrand(Map.of("amount", AMOUNT, "max_amount", 25));
		settings(brand, Map.of("bonuses", List.of(Map.of("every_days", 2, "multiplier", 3))));
		String guild = bot().bind(brand);
		String user = newUserId();
		Instant first = dayAhead(0).plus(Duration.ofHours(9));
		this.clock.freezeAt(first);
		checkin(guild, user);
		this.clock.freezeAt(dayAhead(1, first).plus(Duration.ofHours(9)));
		assertThat(checkin(guild, user).path("embeds").get(0).path("description").asString()).startsWith("+25 ");
		assertThat(balance(brand, user)).isEqualTo(35);
	}

	@Test
	void aDisabledTypeIsExplainedAndACheckInAfterItIsEnabledTheSameDayCounts() {
		TestBrand brand = this.client.createBrand(Map.of("name", "Check-in brand"));
		this.client.fund(brand, 1_000);
		String guild = bot().bind(brand);
		String user = newUserId();
		this.clock.freezeAt(dayAhead(0).plus(Duration.ofHours(8)));
		assertThat(checkin(guild, user).path("content").asString())
			.isEqualTo("Check-ins are off in this server; an admin turns them on with /config events.");
		this.client.eventType(brand, "daily_checkin", Map.of("enabled", true, "amount", AMOUNT));
		assertThat(checkin(guild, user).path("embeds").get(0).path("title").asString()).isEqualTo("Checked in: day 1");
		assertThat(balance(brand, user)).isEqualTo(AMOUNT);
	}

	@Test
	void aCooldownSaysWhenTheMemberCanCheckInAgain() {
		TestBrand brand = checkinBrand(Map.of("amount", AMOUNT, "cooldown_seconds", 30 * 3600));
		String guild = bot().bind(brand);
		String user = newUserId();
		Instant first = dayAhead(0).plus(Duration.ofHours(10));
		this.clock.freezeAt(first);
		checkin(guild, user);
		this.clock.freezeAt(dayAhead(1, first).plus(Duration.ofHours(9)));
		Instant cooled = first.plus(Duration.ofHours(30));
		assertThat(checkin(guild, user).path("content").asString()).isEqualTo(
				"Not yet: check-ins in this server have a cooldown. You can check in again " + relative(cooled) + ".");
		// The refusal did not use up the day: once the cooldown ends, the check-in
		// counts.
		this.clock.freezeAt(cooled);
		assertThat(streak(checkin(guild, user))).containsExactly("2 days", "2 days");
		assertThat(balance(brand, user)).isEqualTo(2 * AMOUNT);
	}

	@Test
	void aDisabledMemberIsToldSo() {
		TestBrand brand = checkinBrand(Map.of("amount", AMOUNT));
		String guild = bot().bind(brand);
		String user = newUserId();
		ApiResponse disabled = this.client.api(brand, "PATCH", "/v1/members/" + user,
				json(Map.of("status", "disabled")));
		assertThat(disabled.status()).as(disabled.toString()).isEqualTo(200);
		assertThat(checkin(guild, user).path("content").asString())
			.startsWith("Your rewards in Check-in brand are turned off");
		assertThat(balance(brand, user)).isZero();
	}

	@Test
	void checkInOnlyWorksInAServer() {
		TestBrand brand = checkinBrand(Map.of("amount", AMOUNT));
		String guild = bot().bind(brand);
		String user = newUserId();
		bot().command(guild, user, DiscordBot.MEMBER, "register", null, Map.of());
		assertThat(DiscordBot.content(bot().dmCommand(user, "checkin", null, Map.of())))
			.isEqualTo("/checkin works in a server: use it there.");
	}

	@Test
	void concurrentPartialChangesOfTheSettingsKeepEachOthersFields() {
		TestBrand brand = checkinBrand(Map.of("amount", AMOUNT));
		for (int round = 1; round <= 10; round++) {
			int grace = round;
			int everyDays = 10 + round;
			List<ApiResponse> answers = Race.run(2, (i) -> (i == 0) ? settings(brand, Map.of("grace_hours", grace))
					: settings(brand, Map.of("bonuses", List.of(Map.of("every_days", everyDays, "multiplier", 2)))));
			assertThat(answers).allSatisfy((answer) -> assertThat(answer.status()).isEqualTo(200));
			JsonNode saved = this.client.get(brand, "/v1/discord/checkin").json();
			assertThat(saved.path("grace_hours").asInt()).as("round %d", round).isEqualTo(grace);
			assertThat(saved.path("bonuses").path(0).path("every_days").asInt()).as("round %d", round)
				.isEqualTo(everyDays);
		}
	}

	@Test
	void theSettingsRoundTripAndEveryMalformedFieldIsA400NamingIt() {
		TestBrand brand = checkinBrand(Map.of("amount", AMOUNT));
		ApiResponse defaults = this.client.get(brand, "/v1/discord/checkin");
		assertThat(defaults.status()).isEqualTo(200);
		assertThat(defaults.json().toString()).isEqualTo("{\"grace_hours\":12,\"bonuses\":[]}");

		ApiResponse saved = settings(brand, Map.of("grace_hours", 6, "bonuses",
				List.of(Map.of("every_days", 30, "multiplier", 10), Map.of("every_days", 7, "multiplier", 1.25))));
		assertThat(saved.status()).as(saved.toString()).isEqualTo(200);
		String expected = "{\"grace_hours\":6,\"bonuses\":[{\"every_days\":7,\"multiplier\":1.25},"
				+ "{\"every_days\":30,\"multiplier\":10}]}";
		assertThat(saved.json().toString()).isEqualTo(expected);
		assertThat(this.client.get(brand, "/v1/discord/checkin").json().toString()).isEqualTo(expected);
		// Fields not sent keep their value.
		assertThat(settings(brand, Map.of("grace_hours", 24)).json().path("bonuses").size()).isEqualTo(2);
		// So do fields sent as null (an optional field may be absent or null).
		ApiResponse kept = this.client.api(brand, "PUT", "/v1/discord/checkin",
				"{\"grace_hours\": null, \"bonuses\": null}");
		assertThat(kept.status()).as(kept.toString()).isEqualTo(200);
		assertThat(kept.json().path("grace_hours").asInt()).isEqualTo(24);
		assertThat(kept.json().path("bonuses").size()).isEqualTo(2);

		Map<String, String> malformed = new LinkedHashMap<>();
		malformed.put("[]", "JSON object");
		malformed.put("\"x\"", "JSON object");
		malformed.put("{\"grace\": 3}", "'grace'");
		malformed.put("{\"grace_hours\": 25}", "'grace_hours'");
		malformed.put("{\"grace_hours\": -1}", "'grace_hours'");
		malformed.put("{\"grace_hours\": \"12\"}", "'grace_hours'");
		malformed.put("{\"grace_hours\": 1.5}", "'grace_hours'");
		malformed.put("{\"bonuses\": {}}", "'bonuses'");
		malformed.put("{\"bonuses\": [7]}", "'bonuses[0]'");
		malformed.put("{\"bonuses\": [{\"multiplier\": 2}]}", "'bonuses[0].every_days'");
		malformed.put("{\"bonuses\": [{\"every_days\": 1, \"multiplier\": 2}]}", "'bonuses[0].every_days'");
		malformed.put("{\"bonuses\": [{\"every_days\": 366, \"multiplier\": 2}]}", "'bonuses[0].every_days'");
		malformed.put("{\"bonuses\": [{\"every_days\": 7.5, \"multiplier\": 2}]}", "'bonuses[0].every_days'");
		malformed.put("{\"bonuses\": [{\"every_days\": \"7\", \"multiplier\": 2}]}", "'bonuses[0].every_days'");
		malformed.put("{\"bonuses\": [{\"every_days\": 7}]}", "'bonuses[0].multiplier'");
		malformed.put("{\"bonuses\": [{\"every_days\": 7, \"multiplier\": 0.5}]}", "'bonuses[0].multiplier'");
		malformed.put("{\"bonuses\": [{\"every_days\": 7, \"multiplier\": 10.01}]}", "'bonuses[0].multiplier'");
		malformed.put("{\"bonuses\": [{\"every_days\": 7, \"multiplier\": \"2\"}]}", "'bonuses[0].multiplier'");
		malformed.put("{\"bonuses\": [{\"every_days\": 7, \"multiplier\": 1.005}]}", "'bonuses[0].multiplier'");
		malformed.put("{\"bonuses\": [{\"every_days\": 7, \"multiplier\": 1e400}]}", "'bonuses[0].multiplier'");
		malformed.put("{\"bonuses\": [{\"every_days\": 7, \"multiplier\": 2, \"x\": 1}]}", "'bonuses[0].x'");
		malformed.put("{\"bonuses\": [{\"every_days\": 7, \"multiplier\": 2}, {\"every_days\": 7, \"multiplier\": 3}]}",
				"'bonuses[1].every_days'");
		StringBuilder eleven = new StringBuilder("{\"bonuses\": [");
		for (int i = 0; i < 11; i++) {
			eleven.append((i > 0) ? "," : "").append("{\"every_days\": ").append(i + 2).append(", \"multiplier\": 2}");
		}
		malformed.put(eleven.append("]}").toString(), "'bonuses'");
		for (Map.Entry<String, String> body : malformed.entrySet()) {
			ApiResponse refused = this.client.api(brand, "PUT", "/v1/discord/checkin", body.getKey());
			assertThat(refused.status()).as(body.getKey() + " → " + refused).isEqualTo(400);
			assertThat(refused.problemCode()).as(body.getKey()).isEqualTo("invalid_request");
			assertThat(refused.text("detail")).as(body.getKey()).contains(body.getValue());
		}
		ApiResponse empty = this.client.api(brand, "PUT", "/v1/discord/checkin", null);
		assertThat(empty.status()).as(empty.toString()).isEqualTo(400);
		// Nothing malformed was saved.
		assertThat(this.client.get(brand, "/v1/discord/checkin").json().path("grace_hours").asInt()).isEqualTo(24);
		ApiResponse anonymous = this.client.send("GET", "/v1/discord/checkin", null, Map.of());
		assertThat(anonymous.status()).isEqualTo(401);

		// Documented in the OpenAPI document, with the wire names.
		JsonNode docs = this.client.send("GET", "/v3/api-docs", null, Map.of()).json();
		assertThat(docs.path("paths").path("/v1/discord/checkin").has("put")).isTrue();
		JsonNode schemas = docs.path("components").path("schemas");
		assertThat(schemas.path("CheckinSettings").path("properties").propertyNames()).containsExactly("grace_hours",
				"bonuses");
		assertThat(schemas.path("CheckinBonus").path("properties").propertyNames()).containsExactly("every_days",
				"multiplier");
	}

	private TestBrand checkinBrand(Map<String, Object> type) {
		TestBrand brand = this.client.createBrand(Map.of("name", "Check-in brand", "rate_limit_per_minute", 100_000));
		this.client.fund(brand, 10_000);
		Map<String, Object> settings = new HashMap<>(type);
		settings.put("enabled", true);
		this.client.eventType(brand, "daily_checkin", settings);
		return brand;
	}

	private ApiResponse settings(TestBrand brand, Map<String, Object> body) {
		return this.client.api(brand, "PUT", "/v1/discord/checkin", json(body));
	}

	private DiscordBot bot() {
		return new DiscordBot(this.client);
	}

	private JsonNode checkin(String guild, String user) {
		return DiscordBot.data(bot().command(guild, user, DiscordBot.MEMBER, "checkin", null, Map.of()));
	}

	/** The streak and best streak an answer shows. */
	private static List<String> streak(JsonNode answer) {
		JsonNode embed = answer.path("embeds").get(0);
		assertThat(embed).as(answer.toString()).isNotNull();
		return List.of(field(embed, "Streak"), field(embed, "Best streak"));
	}

	private static String field(JsonNode embed, String name) {
		for (JsonNode field : embed.path("fields")) {
			if (field.path("name").asString().equals(name)) {
				return field.path("value").asString();
			}
		}
		throw new AssertionError("No field " + name + " in " + embed);
	}

	private long balance(TestBrand brand, String user) {
		ApiResponse member = this.client.get(brand, "/v1/members/" + user);
		return (member.status() == 404) ? 0 : member.json().path("balance").asLong();
	}

	private List<JsonNode> events(TestBrand brand, String user) {
		List<JsonNode> events = new ArrayList<>();
		this.client.get(brand, "/v1/members/" + user + "/events?limit=100").json().path("data").forEach(events::add);
		return events;
	}

	private long awarded(TestBrand brand, String user) {
		return events(brand, user).stream().filter((e) -> e.path("status").asString().equals("awarded")).count();
	}

	/** The start of a UTC day after the clock's today. */
	private Instant dayAhead(int days) {
		return LocalDate.ofInstant(this.clock.instant(), ZoneOffset.UTC)
			.plusDays(1 + days)
			.atStartOfDay(ZoneOffset.UTC)
			.toInstant();
	}

	/** The start of the UTC day {@code days} after the day of {@code from}. */
	private static Instant dayAhead(int days, Instant from) {
		return LocalDate.ofInstant(from, ZoneOffset.UTC).plusDays(days).atStartOfDay(ZoneOffset.UTC).toInstant();
	}

	private static String relative(Instant at) {
		return "<t:" + at.getEpochSecond() + ":R>";
	}

}
