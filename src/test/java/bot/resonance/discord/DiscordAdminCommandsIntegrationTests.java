package bot.resonance.discord;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import bot.resonance.support.ApiResponse;
import bot.resonance.support.DiscordBot;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.IntegrationTestSupport;
import bot.resonance.support.TestBrand;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admins' commands: {@code /config events} lists the brand's event types and edits
 * one in a form, with exactly the effect of {@code PUT /v1/event-types/{type}};
 * {@code /user status} shows a member and disables or enables them, with
 * {@code USER_DISABLED} on the event API at once. Members without Manage Server reach
 * neither the commands nor their menus, forms and buttons.
 */
@IntegrationTest
class DiscordAdminCommandsIntegrationTests extends IntegrationTestSupport {

	private DiscordBot bot;

	@BeforeEach
	void discord() {
		this.bot = new DiscordBot(this.client);
	}

	@Test
	void membersWithoutManageServerAreRefusedTheCommandsAndTheirMenusFormsAndButtons() {
		TestBrand brand = brandWith(10_000, "custom_event", Map.of("amount", 100));
		String guild = this.bot.bind(brand);
		String member = newUserId();
		String target = newUserId();
		assertThat(this.client.event(brand, "custom_event", target).status()).isEqualTo(200);
		String targetId = memberId(brand, target);
		JsonNode before = eventType(brand, "custom_event");

		List<ApiResponse> refused = List.of(
				this.bot.command(guild, member, DiscordBot.MEMBER, "config", "events", Map.of()),
				this.bot.component(guild, member, DiscordBot.MEMBER, "config:type", List.of("custom_event")),
				this.bot.modal(guild, member, DiscordBot.MEMBER, "config:edit:custom_event", form("5", "0", "", "no")),
				this.bot.command(guild, member, DiscordBot.MEMBER, "user", "status", Map.of("user", target)),
				this.bot.component(guild, member, DiscordBot.MEMBER, "user:disable:" + targetId, List.of()));
		for (ApiResponse response : refused) {
			assertThat(response.json().get("type").asInt()).as(response.toString()).isEqualTo(4);
			assertThat(DiscordBot.data(response).get("flags").asInt()).isEqualTo(64);
			assertThat(DiscordBot.content(response)).contains("Manage Server");
			assertThat(DiscordBot.data(response).path("embeds")).isEmpty();
			assertThat(DiscordBot.data(response).path("components")).isEmpty();
		}
		// Nothing changed: the type as it was, the member still earning.
		assertThat(eventType(brand, "custom_event")).isEqualTo(before);
		assertThat(this.client.get(brand, "/v1/members/" + target).text("status")).isEqualTo("active");
		assertThat(this.client.event(brand, "custom_event", target).status()).isEqualTo(200);

		// Administrator (without Manage Server) is an admin too.
		ApiResponse administrator = this.bot.command(guild, member, Long.toString(CommandSpec.ADMINISTRATOR), "config",
				"events", Map.of());
		assertThat(DiscordBot.data(administrator).path("embeds")).hasSize(1);
	}

	@Test
	void anAdminListsTheTypesChoosesOneAndEditsItAsPutWould() {
		TestBrand brand = brandWith(10_000, "custom_event", Map.of("amount", 100, "cooldown_seconds", 60));
		String guild = this.bot.bind(brand);
		String admin = newUserId();

		ApiResponse listing = this.bot.command(guild, admin, DiscordBot.ADMIN, "config", "events", Map.of());
		assertThat(listing.json().get("type").asInt()).isEqualTo(4);
		JsonNode data = DiscordBot.data(listing);
		assertThat(data.get("flags").asInt()).isEqualTo(64);
		JsonNode embed = data.get("embeds").get(0);
		assertThat(embed.get("author").get("name").asString()).isEqualTo("Test brand");
		Map<String, String> fields = new LinkedHashMap<>();
		embed.get("fields").forEach((field) -> fields.put(field.get("name").asString(), field.get("value").asString()));
		assertThat(fields).containsKeys("daily_checkin", "custom_event");
		String currency = eventType(brand, "custom_event").get("currency").asString();
		assertThat(fields.get("custom_event")).contains("Enabled")
			.contains("100 " + currency)
			.contains("cooldown 1 min")
			.contains("no daily limit");
		assertThat(fields.get("daily_checkin")).contains("Disabled");
		JsonNode select = data.get("components").get(0).get("components").get(0);
		assertThat(select.get("type").asInt()).isEqualTo(3);
		assertThat(select.get("custom_id").asString()).isEqualTo("config:type");
		List<String> choices = new ArrayList<>();
		select.get("options").forEach((option) -> choices.add(option.get("value").asString()));
		assertThat(choices).contains("daily_checkin", "custom_event");

		// Choosing a type opens its form, filled in with what it is now.
		ApiResponse chosen = this.bot.component(guild, admin, DiscordBot.ADMIN, "config:type", List.of("custom_event"));
		assertThat(chosen.json().get("type").asInt()).as(chosen.toString()).isEqualTo(9);
		JsonNode modal = chosen.json().get("data");
		assertThat(modal.get("custom_id").asString()).isEqualTo("config:edit:custom_event");
		assertThat(modal.get("title").asString().length()).isBetween(1, 45);
		assertThat(modal.get("components").size()).isBetween(1, 5);
		Map<String, String> prefilled = new LinkedHashMap<>();
		for (JsonNode row : modal.get("components")) {
			JsonNode input = row.get("components").get(0);
			assertThat(input.get("type").asInt()).isEqualTo(4);
			assertThat(input.get("label").asString().length()).isBetween(1, 45);
			// Discord refuses an empty pre-filled value: a blank field has none.
			assertThat(input.path("value").asString("absent")).isNotEmpty();
			prefilled.put(input.get("custom_id").asString(), input.path("value").asString(""));
		}
		assertThat(prefilled).containsExactlyInAnyOrderEntriesOf(
				Map.of("amount", "100", "cooldown_seconds", "60", "daily_limit", "", "enabled", "yes"));

		// Submitting changes the type exactly as PUT /v1/event-types/{type} with the same
		// values does.
		JsonNode before = eventType(brand, "custom_event");
		ApiResponse saved = this.bot.modal(guild, admin, DiscordBot.ADMIN, "config:edit:custom_event",
				form("250", "0", "3", "yes"));
		assertThat(saved.json().get("type").asInt()).isEqualTo(4);
		assertThat(DiscordBot.data(saved).get("flags").asInt()).isEqualTo(64);
		assertThat(DiscordBot.data(saved).get("embeds").get(0).toString()).contains("custom_event")
			.contains("250 " + currency);
		JsonNode after = eventType(brand, "custom_event");
		ObjectNode expected = (ObjectNode) before.deepCopy();
		expected.put("amount", 250);
		expected.put("cooldown_seconds", 0);
		expected.put("daily_limit", 3);
		assertThat(withoutUpdatedAt(after)).isEqualTo(withoutUpdatedAt(expected));

		TestBrand viaApi = brandWith(10_000, "custom_event", Map.of("amount", 100, "cooldown_seconds", 60));
		this.client.eventType(viaApi, "custom_event",
				Map.of("amount", 250, "cooldown_seconds", 0, "daily_limit", 3, "enabled", true));
		assertThat(withoutUpdatedAt(eventType(viaApi, "custom_event"))).isEqualTo(withoutUpdatedAt(after));

		// A blank daily limit removes it; "no" disables the type, and its events say so.
		this.bot.modal(guild, admin, DiscordBot.ADMIN, "config:edit:custom_event", form("250", "0", " ", "No"));
		JsonNode disabled = eventType(brand, "custom_event");
		assertThat(disabled.get("daily_limit").isNull()).isTrue();
		assertThat(disabled.get("enabled").asBoolean()).isFalse();
		assertThat(this.client.event(brand, "custom_event", newUserId()).errorCode()).isEqualTo("EVENT_DISABLED");

		// A built-in type is enabled from Discord, as seed 000 tells brands to.
		this.bot.modal(guild, admin, DiscordBot.ADMIN, "config:edit:daily_checkin", form("20", "86400", "1", "yes"));
		ApiResponse checkin = this.client.event(brand, "daily_checkin", newUserId());
		assertThat(checkin.status()).as(checkin.toString()).isEqualTo(200);
		assertThat(checkin.json().get("amount_awarded").asLong()).isEqualTo(20);
	}

	@Test
	void invalidFormInputsAreExplainedAndChangeNothing() {
		TestBrand brand = brandWith(10_000, "custom_event", Map.of("amount", 100, "daily_limit", 5));
		String guild = this.bot.bind(brand);
		String admin = newUserId();
		JsonNode before = eventType(brand, "custom_event");
		Map<Map<String, String>, List<String>> cases = new LinkedHashMap<>();
		cases.put(form("ten", "0", "5", "yes"), List.of("Amount", "whole number"));
		cases.put(form("-5", "0", "5", "yes"), List.of("Amount", "whole number"));
		cases.put(form("", "0", "5", "yes"), List.of("Amount", "whole number"));
		cases.put(form("0", "0", "5", "yes"), List.of("Amount must be between 1 and", "Nothing was changed"));
		cases.put(form("100", "1.5", "5", "yes"), List.of("Cooldown", "whole number"));
		cases.put(form("100", "-1", "5", "yes"), List.of("Cooldown", "whole number"));
		cases.put(form("100", "99999999999999999999999", "5", "yes"), List.of("Cooldown", "whole number"));
		cases.put(form("100", "0", "-1", "yes"), List.of("Daily limit", "whole number", "blank"));
		cases.put(form("100", "0", "0", "yes"), List.of("Daily limit must be between 1 and", "Nothing was changed"));
		cases.put(form("100", "31536001", "5", "yes"),
				List.of("Cooldown (seconds) must be between 0 and", "Nothing was changed"));
		cases.put(form("100", "0", "5", "maybe"), List.of("Enabled", "yes", "no"));
		for (Map.Entry<Map<String, String>, List<String>> bad : cases.entrySet()) {
			ApiResponse refused = this.bot.modal(guild, admin, DiscordBot.ADMIN, "config:edit:custom_event",
					bad.getKey());
			assertThat(refused.json().get("type").asInt()).as(refused.toString()).isEqualTo(4);
			assertThat(DiscordBot.data(refused).get("flags").asInt()).isEqualTo(64);
			assertThat(DiscordBot.content(refused)).as(bad.getKey().toString())
				.contains(bad.getValue())
				.doesNotContain("Field '")
				.doesNotContain("_seconds")
				.doesNotContain("daily_limit");
			assertThat(eventType(brand, "custom_event")).as(bad.getKey().toString()).isEqualTo(before);
		}
		// A type that is not there (deleted since the menu was shown) is not created.
		ApiResponse gone = this.bot.modal(guild, admin, DiscordBot.ADMIN, "config:edit:no_such_type",
				form("10", "0", "", "yes"));
		assertThat(DiscordBot.content(gone)).contains("no_such_type").contains("/config events");
		assertThat(this.client.get(brand, "/v1/event-types/no_such_type").status()).isEqualTo(404);
		ApiResponse unknown = this.bot.component(guild, admin, DiscordBot.ADMIN, "config:type",
				List.of("no_such_type"));
		assertThat(unknown.json().get("type").asInt()).isEqualTo(4);
		assertThat(DiscordBot.content(unknown)).contains("no_such_type");
	}

	@Test
	void moreTypesThanAMenuHoldsSpreadOverSeveralMenus() {
		TestBrand brand = brandWith(10_000, "custom_event", Map.of("amount", 100));
		for (int i = 10; i < 30; i++) {
			this.client.eventType(brand, "extra_" + i, Map.of("enabled", true, "amount", i));
		}
		String guild = this.bot.bind(brand);
		String admin = newUserId();
		JsonNode data = DiscordBot.data(this.bot.command(guild, admin, DiscordBot.ADMIN, "config", "events", Map.of()));
		assertThat(data.get("embeds").get(0).get("fields")).hasSize(25);
		assertThat(data.get("components")).hasSize(2);
		JsonNode second = data.get("components").get(1).get("components").get(0);
		assertThat(second.get("custom_id").asString()).isEqualTo("config:type:2");
		assertThat(data.get("components").get(0).get("components").get(0).get("options").size()
				+ second.get("options").size())
			.isEqualTo(7 + 20);
		String last = second.get("options").get(second.get("options").size() - 1).get("value").asString();
		ApiResponse chosen = this.bot.component(guild, admin, DiscordBot.ADMIN, "config:type:2", List.of(last));
		assertThat(chosen.json().get("type").asInt()).isEqualTo(9);
		assertThat(chosen.json().get("data").get("custom_id").asString()).isEqualTo("config:edit:" + last);
	}

	@Test
	void userStatusShowsAMemberAndItsButtonsDisableAndEnableThemAtOnce() {
		TestBrand brand = brandWith(10_000, "custom_event", Map.of("amount", 100));
		String guild = this.bot.bind(brand);
		String admin = newUserId();
		String target = newUserId();
		assertThat(this.client.event(brand, "custom_event", target).status()).isEqualTo(200);
		ApiResponse profile = this.client.get(brand, "/v1/members/" + target);
		String memberId = profile.text("member_id").substring("mem_".length());

		ApiResponse status = this.bot.command(guild, admin, DiscordBot.ADMIN, "user", "status", Map.of("user", target));
		assertThat(status.json().get("type").asInt()).isEqualTo(4);
		assertThat(DiscordBot.data(status).get("flags").asInt()).isEqualTo(64);
		Map<String, String> fields = fields(DiscordBot.data(status));
		assertThat(fields.get("Balance")).isEqualTo("100 " + profile.text("currency"));
		assertThat(fields.get("Status")).isEqualTo("Active");
		assertThat(fields.get("Today (UTC)")).contains("custom_event: 1");
		assertThat(DiscordBot.data(status).get("embeds").get(0).get("description").asString())
			.contains("<@" + target + ">");
		assertThat(button(DiscordBot.data(status)).get("custom_id").asString()).isEqualTo("user:disable:" + memberId);

		ApiResponse disabled = this.bot.component(guild, admin, DiscordBot.ADMIN, "user:disable:" + memberId,
				List.of());
		assertThat(disabled.json().get("type").asInt()).as(disabled.toString()).isEqualTo(7);
		assertThat(fields(disabled.json().get("data")).get("Status")).isEqualTo("Disabled");
		assertThat(button(disabled.json().get("data")).get("custom_id").asString())
			.isEqualTo("user:enable:" + memberId);
		ApiResponse refused = this.client.event(brand, "custom_event", target);
		assertThat(refused.status()).isEqualTo(400);
		assertThat(refused.errorCode()).isEqualTo("USER_DISABLED");
		assertThat(this.client.get(brand, "/v1/members/" + target).text("status")).isEqualTo("disabled");

		ApiResponse enabled = this.bot.component(guild, admin, DiscordBot.ADMIN, "user:enable:" + memberId, List.of());
		assertThat(enabled.json().get("type").asInt()).isEqualTo(7);
		assertThat(fields(enabled.json().get("data")).get("Status")).isEqualTo("Active");
		ApiResponse rewarded = this.client.event(brand, "custom_event", target);
		assertThat(rewarded.status()).as(rewarded.toString()).isEqualTo(200);
		assertThat(rewarded.json().get("amount_awarded").asLong()).isEqualTo(100);
		assertThat(fields(DiscordBot
			.data(this.bot.command(guild, admin, DiscordBot.ADMIN, "user", "status", Map.of("user", target)))))
			.containsEntry("Balance", "200 " + profile.text("currency"))
			.hasEntrySatisfying("Today (UTC)", (today) -> assertThat(today).contains("custom_event: 2"));
	}

	@Test
	void someoneWhoIsNotAMemberIsNotMadeOneAndOtherBrandsMembersAreOutOfReach() {
		TestBrand brand = brandWith(10_000, "custom_event", Map.of("amount", 100));
		String guild = this.bot.bind(brand);
		String admin = newUserId();
		String stranger = newUserId();
		ApiResponse unknown = this.bot.command(guild, admin, DiscordBot.ADMIN, "user", "status",
				Map.of("user", stranger));
		assertThat(DiscordBot.content(unknown)).contains("<@" + stranger + ">").contains("not a member");
		assertThat(DiscordBot.data(unknown).path("components")).isEmpty();
		assertThat(this.client.get(brand, "/v1/members/" + stranger).status()).isEqualTo(404);

		// A button naming another brand's member reaches nobody.
		TestBrand other = brandWith(10_000, "custom_event", Map.of("amount", 100));
		String theirs = newUserId();
		assertThat(this.client.event(other, "custom_event", theirs).status()).isEqualTo(200);
		String theirId = memberId(other, theirs);
		ApiResponse forged = this.bot.component(guild, admin, DiscordBot.ADMIN, "user:disable:" + theirId, List.of());
		assertThat(DiscordBot.content(forged)).contains("not a member");
		assertThat(this.client.get(other, "/v1/members/" + theirs).text("status")).isEqualTo("active");
		ApiResponse garbage = this.bot.component(guild, admin, DiscordBot.ADMIN, "user:disable:abc", List.of());
		assertThat(garbage.json().get("type").asInt()).isEqualTo(4);
	}

	private static Map<String, String> form(String amount, String cooldown, String dailyLimit, String enabled) {
		Map<String, String> form = new LinkedHashMap<>();
		form.put("amount", amount);
		form.put("cooldown_seconds", cooldown);
		form.put("daily_limit", dailyLimit);
		form.put("enabled", enabled);
		return form;
	}

	private JsonNode eventType(TestBrand brand, String type) {
		ApiResponse response = this.client.get(brand, "/v1/event-types/" + type);
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		return response.json();
	}

	private static ObjectNode withoutUpdatedAt(JsonNode type) {
		ObjectNode copy = (ObjectNode) type.deepCopy();
		copy.remove("updated_at");
		return copy;
	}

	private String memberId(TestBrand brand, String user) {
		return this.client.get(brand, "/v1/members/" + user).text("member_id").substring("mem_".length());
	}

	private static Map<String, String> fields(JsonNode data) {
		Map<String, String> fields = new LinkedHashMap<>();
		data.get("embeds")
			.get(0)
			.get("fields")
			.forEach((field) -> fields.put(field.get("name").asString(), field.get("value").asString()));
		return fields;
	}

	private static JsonNode button(JsonNode data) {
		assertThat(data.get("components")).hasSize(1);
		JsonNode button = data.get("components").get(0).get("components").get(0);
		assertThat(button.get("type").asInt()).isEqualTo(2);
		return button;
	}

}
