package bot.resonance.discord;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import bot.resonance.support.ApiResponse;
import bot.resonance.support.DiscordBot;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.IntegrationTestSupport;
import bot.resonance.support.ResonanceClient;
import bot.resonance.support.TestBrand;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /balance}, {@code /history} and {@code /leaderboard} played as Discord plays
 * them: user options, paging buttons answered with message updates (type 7), and boards
 * per all time, ISO week and UTC month as the shared clock moves into new ones.
 */
@IntegrationTest
class DiscordBoardsIntegrationTests extends IntegrationTestSupport {

	private DiscordBot bot;

	@BeforeEach
	void bot() {
		this.bot = new DiscordBot(this.client);
	}

	@Test
	void balanceShowsTheCallersAndAnotherMembersPointsAndNeverCreatesAMember() {
		TestBrand brand = brandWith(10_000, "custom_event", Map.of("amount", 10, "cooldown_seconds", 0));
		String guild = this.bot.bind(brand);
		String alice = newUserId();
		String bob = newUserId();
		earn(brand, guild, alice, 25);
		earn(brand, guild, alice, 5);
		earn(brand, guild, bob, 40);

		JsonNode own = balance(guild, alice, null);
		assertThat(own.path("flags").asInt()).isEqualTo(64);
		JsonNode embed = own.path("embeds").get(0);
		assertThat(embed.path("author").path("name").asString()).isEqualTo("Test brand");
		assertThat(fields(embed)).containsEntry("POINT", "30").containsEntry("RSNC", "0");

		// Naming oneself is one's own balance.
		assertThat(fields(balance(guild, alice, alice).path("embeds").get(0))).containsEntry("POINT", "30")
			.containsKey("RSNC");

		JsonNode other = balance(guild, alice, bob);
		assertThat(other.path("flags").asInt()).isEqualTo(64);
		JsonNode theirs = other.path("embeds").get(0);
		assertThat(theirs.path("description").asString()).contains("<@" + bob + ">");
		// Bob's RSNC is his across brands: not shown to others.
		assertThat(fields(theirs)).containsEntry("POINT", "40").doesNotContainKey("RSNC");

		String stranger = newUserId();
		JsonNode nobody = balance(guild, alice, stranger);
		assertThat(nobody.path("flags").asInt()).isEqualTo(64);
		assertThat(nobody.path("content").asString()).contains("<@" + stranger + "> has not earned anything here yet");
		assertThat(this.client.get(brand, "/v1/members/" + stranger).status()).isEqualTo(404);
		assertThat(this.client.get(brand, "/v1/members/" + bob).status()).isEqualTo(200);

		JsonNode junk = balance(guild, alice, "not-a-user");
		assertThat(junk.path("content").asString()).contains("not a Discord user");
	}

	@Test
	void historyPagesTenAtATimeWithButtonsThatKeepTheirPages() {
		TestBrand brand = brandWith(10_000, "custom_event", Map.of("amount", 10, "cooldown_seconds", 0));
		String guild = this.bot.bind(brand);
		String user = newUserId();
		JsonNode empty = DiscordBot.data(this.bot.command(guild, user, DiscordBot.MEMBER, "history", null, Map.of()));
		assertThat(empty.path("content").asString()).contains("no activity").contains("/checkin");

		for (int amount = 1; amount <= 13; amount++) {
			earn(brand, guild, user, amount);
		}
		ApiResponse first = this.bot.command(guild, user, DiscordBot.MEMBER, "history", null, Map.of());
		assertThat(first.json().path("type").asInt()).isEqualTo(4);
		JsonNode page1 = DiscordBot.data(first);
		assertThat(page1.path("flags").asInt()).isEqualTo(64);
		List<String> lines1 = lines(page1);
		assertThat(lines1).hasSize(10);
		// Newest first: 13 down to 4.
		assertThat(lines1.get(0)).contains("+13 POINT").contains("`custom_event`").containsPattern("<t:\\d+:f>");
		assertThat(lines1.get(9)).contains("+4 POINT");
		assertThat(button(page1, "Previous").path("disabled").asBoolean()).isTrue();
		assertThat(button(page1, "Next").path("disabled").asBoolean()).isFalse();

		ApiResponse next = press(guild, user, button(page1, "Next"));
		assertThat(next.json().path("type").asInt()).isEqualTo(7);
		JsonNode page2 = DiscordBot.data(next);
		List<String> lines2 = lines(page2);
		assertThat(lines2).hasSize(3);
		assertThat(lines2.get(0)).contains("+3 POINT");
		assertThat(lines2.get(2)).contains("+1 POINT");
		assertThat(title(page2)).contains("page 2");
		assertThat(button(page2, "Next").path("disabled").asBoolean()).isTrue();

		// A new event while the member pages: page 1 stays the page they saw.
		earn(brand, guild, user, 99);
		ApiResponse back = press(guild, user, button(page2, "Previous"));
		assertThat(back.json().path("type").asInt()).isEqualTo(7);
		JsonNode again = DiscordBot.data(back);
		assertThat(lines(again)).isEqualTo(lines1);
		assertThat(title(again)).contains("page 1");
		// ... and now there is something newer to page back to.
		assertThat(button(again, "Previous").path("disabled").asBoolean()).isFalse();
		JsonNode newest = DiscordBot.data(press(guild, user, button(again, "Previous")));
		assertThat(lines(newest).get(0)).contains("+99 POINT");
		assertThat(lines(newest)).hasSize(10);
		assertThat(button(newest, "Previous").path("disabled").asBoolean()).isTrue();

		// Another member's cursor shows only the presser's own events.
		String other = newUserId();
		earn(brand, guild, other, 7);
		JsonNode theirs = DiscordBot.data(press(guild, other, button(page1, "Next")));
		assertThat(String.join("\n", lines(theirs))).doesNotContain("+3 POINT").contains("+7 POINT");

		// A tampered custom id is refused in words, not with an error.
		JsonNode forged = DiscordBot
			.data(this.bot.component(guild, user, DiscordBot.MEMBER, "history:older:1:' or 1=1 --", List.of()));
		assertThat(forged.path("content").asString()).contains("Run /history again");
	}

	@Test
	void leaderboardRanksMembersTenAPageWithTheCallersOwnRank() {
		TestBrand brand = brandWith(100_000, "custom_event", Map.of("amount", 10, "cooldown_seconds", 0));
		String guild = this.bot.bind(brand);
		List<String> users = new ArrayList<>();
		for (int i = 1; i <= 12; i++) {
			users.add(newUserId());
		}
		// users[i] earns 10 × (11 - i), at least 10: the first user earns most; the last
		// two tie at 10 (with one event each), the older member first.
		for (int i = 0; i < 12; i++) {
			earn(brand, guild, users.get(i), Math.max(10, 10 * (11 - i)));
		}
		String last = users.get(11);
		JsonNode page1 = DiscordBot.data(leaderboard(guild, last, null));
		assertThat(page1.path("flags").asInt()).isEqualTo(64);
		List<String> ranks = lines(page1);
		assertThat(ranks).hasSize(10);
		for (int i = 0; i < 10; i++) {
			assertThat(ranks.get(i)).startsWith("**" + (i + 1) + ".** <@" + users.get(i) + ">")
				.endsWith(" " + Math.max(10, 10 * (11 - i)) + " POINT");
		}
		assertThat(title(page1)).contains("All time");
		assertThat(fields(page1.path("embeds").get(0))).containsEntry("Your rank", "#12 of 12 · 10 POINT")
			.containsEntry("Page", "1 of 2");
		assertThat(button(page1, "Previous").path("disabled").asBoolean()).isTrue();

		ApiResponse next = press(guild, last, button(page1, "Next"));
		assertThat(next.json().path("type").asInt()).isEqualTo(7);
		JsonNode page2 = DiscordBot.data(next);
		assertThat(lines(page2)).containsExactly("**11.** <@" + users.get(10) + "> — 10 POINT",
				"**12.** <@" + last + "> — 10 POINT ← you");
		assertThat(fields(page2.path("embeds").get(0))).containsEntry("Your rank", "#12 of 12 · 10 POINT")
			.containsEntry("Page", "2 of 2");
		assertThat(button(page2, "Next").path("disabled").asBoolean()).isTrue();
		JsonNode back = DiscordBot.data(press(guild, last, button(page2, "Previous")));
		assertThat(lines(back)).isEqualTo(ranks);

		// Someone who has earned nothing sees the board and that they are not on it.
		String newcomer = newUserId();
		JsonNode theirs = DiscordBot.data(leaderboard(guild, newcomer, "all"));
		assertThat(lines(theirs)).isEqualTo(ranks);
		assertThat(fields(theirs.path("embeds").get(0)).get("Your rank")).contains("Not ranked yet");

		// A page past the end (the board is shorter now than a button thought) is the
		// last.
		JsonNode beyond = DiscordBot
			.data(this.bot.component(guild, last, DiscordBot.MEMBER, "leaderboard:all:-:7", List.of()));
		assertThat(lines(beyond)).isEqualTo(lines(page2));
		JsonNode forged = DiscordBot
			.data(this.bot.component(guild, last, DiscordBot.MEMBER, "leaderboard:week:2026-12-02:0", List.of()));
		assertThat(forged.path("content").asString()).contains("Run /leaderboard again");
	}

	@Test
	void weekAndMonthBoardsStartAfreshWhenTheirPeriodStarts() {
		TestBrand brand = brandWith(100_000, "custom_event", Map.of("amount", 10, "cooldown_seconds", 0));
		String guild = this.bot.bind(brand);
		String alice = newUserId();
		String bob = newUserId();
		String carol = newUserId();
		earn(brand, guild, alice, 100);
		assertThat(ranked(leaderboard(guild, alice, "week"))).containsExactly(alice);
		assertThat(ranked(leaderboard(guild, alice, "month"))).containsExactly(alice);
		JsonNode thisWeek = DiscordBot.data(leaderboard(guild, alice, "week"));

		// A new ISO week: Monday 00:00 UTC.
		LocalDate today = LocalDate.ofInstant(this.clock.instant(), ZoneOffset.UTC);
		Instant monday = today.with(TemporalAdjusters.next(DayOfWeek.MONDAY))
			.atStartOfDay(ZoneOffset.UTC)
			.toInstant()
			.plus(Duration.ofMinutes(1));
		this.clock.freezeAt(monday);
		earn(brand, guild, bob, 30);
		JsonNode week = DiscordBot.data(leaderboard(guild, alice, "week"));
		assertThat(ranked(week)).containsExactly(bob);
		assertThat(title(week)).contains("This week");
		assertThat(fields(week.path("embeds").get(0)).get("Your rank")).contains("Not ranked yet");
		assertThat(ranked(leaderboard(guild, alice, "all"))).containsExactly(alice, bob);
		// Paging the board shown last week stays on last week's board.
		JsonNode lastWeek = DiscordBot.data(press(guild, alice, button(thisWeek, "Previous")));
		assertThat(ranked(lastWeek)).containsExactly(alice);
		assertThat(title(lastWeek)).contains("Week of");

		// A new UTC month: its first day, 00:00 UTC.
		LocalDate now = LocalDate.ofInstant(this.clock.instant(), ZoneOffset.UTC);
		Instant firstOfMonth = now.with(TemporalAdjusters.firstDayOfNextMonth())
			.atStartOfDay(ZoneOffset.UTC)
			.toInstant()
			.plus(Duration.ofMinutes(1));
		this.clock.freezeAt(firstOfMonth);
		earn(brand, guild, carol, 20);
		earn(brand, guild, bob, 5);
		// A customer the brand knows by email only (a manual event worth the type's 10).
		String email = "buyer" + newUserId() + "@example.com";
		String body = ResonanceClient.json(Map.of("event", "custom_event", "email", email, "metadata", Map.of()));
		ApiResponse manual = this.client.send("POST", "/resonance-api/manual-event", body,
				Map.of("Content-Type", "application/json", "X-Brand-Id", brand.brandId(), "X-Resonance-Signature",
						ResonanceClient.hmacHex(brand.secretKey(), body)));
		assertThat(manual.status()).as(manual.toString()).isEqualTo(200);
		String wallet = this.client.get(brand, "/v1/members/lookup?email=" + email).text("wallet_address");
		JsonNode month = DiscordBot.data(leaderboard(guild, carol, "month"));
		assertThat(ranked(month)).containsExactly(carol, bob);
		assertThat(lines(month).get(1)).isEqualTo(
				"**2.** `" + wallet.substring(0, 6) + "…" + wallet.substring(wallet.length() - 4) + "` — 10 POINT");
		assertThat(String.join("\n", lines(month))).doesNotContain(email).doesNotContain("buyer");
		assertThat(title(month)).contains("This month");
		assertThat(fields(month.path("embeds").get(0))).containsEntry("Your rank", "#1 of 3 · 20 POINT");
		// All time keeps everything: nothing was deleted.
		JsonNode all = DiscordBot.data(leaderboard(guild, carol, null));
		assertThat(ranked(all)).containsExactly(alice, bob, carol);
		assertThat(lines(all).get(1)).endsWith("35 POINT");
	}

	private void earn(TestBrand brand, String guild, String user, long amount) {
		ApiResponse event = this.client.event(brand,
				Map.of("event_type", "custom_event", "user_id", user, "server_id", guild, "amount", amount));
		assertThat(event.status()).as(event.toString()).isEqualTo(200);
		assertThat(event.text("status")).as(event.toString()).isEqualTo("awarded");
	}

	/** {@code /balance}, with the user option as Discord sends it (type 6). */
	private JsonNode balance(String guild, String caller, @Nullable String user) {
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("id", "1100000000000000101");
		data.put("name", "balance");
		data.put("type", 1);
		data.put("options", (user != null) ? List.of(Map.of("name", "user", "type", 6, "value", user)) : List.of());
		if (user != null) {
			data.put("resolved", Map.of("users", Map.of(user, Map.of("id", user, "username", "someone"))));
		}
		return DiscordBot.data(this.bot
			.send(DiscordBot.interaction(2, DiscordBot.newInteractionId(), guild, caller, DiscordBot.MEMBER, data)));
	}

	private ApiResponse leaderboard(String guild, String user, @Nullable String period) {
		return this.bot.command(guild, user, DiscordBot.MEMBER, "leaderboard", null,
				(period != null) ? Map.of("period", period) : Map.of());
	}

	private ApiResponse press(String guild, String user, JsonNode button) {
		return this.bot.component(guild, user, DiscordBot.MEMBER, button.path("custom_id").asString(), List.of());
	}

	/** The Discord users ranked on a board's page, first first. */
	private static List<String> ranked(ApiResponse response) {
		return ranked(DiscordBot.data(response));
	}

	private static List<String> ranked(JsonNode message) {
		return lines(message).stream()
			.filter((line) -> line.contains("<@"))
			.map((line) -> line.substring(line.indexOf("<@") + 2, line.indexOf('>', line.indexOf("<@"))))
			.toList();
	}

	private static List<String> lines(JsonNode message) {
		String description = message.path("embeds").get(0).path("description").asString("");
		return description.isEmpty() ? List.of() : List.of(description.split("\n"));
	}

	private static String title(JsonNode message) {
		return message.path("embeds").get(0).path("title").asString("");
	}

	private static Map<String, String> fields(JsonNode embed) {
		Map<String, String> fields = new LinkedHashMap<>();
		for (JsonNode field : embed.path("fields")) {
			fields.put(field.path("name").asString(), field.path("value").asString());
		}
		return fields;
	}

	private static JsonNode button(JsonNode message, String label) {
		for (JsonNode row : message.path("components")) {
			for (JsonNode component : row.path("components")) {
				if (label.equals(component.path("label").asString(""))) {
					return component;
				}
			}
		}
		throw new AssertionError("No button " + label + " in " + message);
	}

}
