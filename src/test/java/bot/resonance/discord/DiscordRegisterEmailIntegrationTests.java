package bot.resonance.discord;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import bot.resonance.support.ApiResponse;
import bot.resonance.support.DiscordBot;
import bot.resonance.support.FakeDiscord;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.SmtpIntegrationTestSupport;
import bot.resonance.support.Rsnc;
import bot.resonance.support.TestBrand;

import static bot.resonance.support.ResonanceClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code /register email:…} with a real SMTP server (GreenMail): the member proves they
 * read the address with the code it receives, entered in a form from the answer's button,
 * and the email is linked to them — the same person as wherever that email is known, as
 * with the management API's links.
 */
@IntegrationTest
class DiscordRegisterEmailIntegrationTests extends SmtpIntegrationTestSupport {

	private DiscordBot bot() {
		return new DiscordBot(this.client);
	}

	@Test
	void aMemberLinksTheirEmailWithTheCodeItReceives() throws Exception {
		// Another brand knows the email: its holder has RSNC there.
		TestBrand shop = rsncBrand("Shop brand");
		String alice = newUserId();
		String email = "alice" + alice + "@example.com";
		this.client.event(shop, "custom_event", alice);
		assertThat(this.client
			.api(shop, "POST", "/v1/members/" + alice + "/identities", json(Map.of("kind", "email", "value", email)))
			.status()).isEqualTo(200);

		TestBrand community = rsncBrand("Community brand");
		String guild = bot().bind(community);
		String member = newUserId();
		// As typed: the domain in capitals, around spaces.
		JsonNode answer = deferred(guild, member, Map.of("email", " " + email.replace("example.com", "Example.COM")));
		assertThat(answer.path("content").asString()).contains("a***@example.com").contains("Community brand");
		String customId = answer.path("components").get(0).path("components").get(0).path("custom_id").asString();
		assertThat(customId).matches("register:code:lcf_[0-9A-Za-z]+");
		String code = codeIn(lastMailTo(email), "\\b(\\d{6})\\b");
		assertThat(Rsnc.of(this.client.get(community, "/v1/members/" + member))).as("nothing linked yet").isEqualTo(0);

		ApiResponse form = bot().component(guild, member, DiscordBot.MEMBER, customId, java.util.List.of());
		assertThat(form.json().path("type").asInt()).as(form.toString()).isEqualTo(9);
		assertThat(form.json().path("data").path("custom_id").asString()).isEqualTo(customId);

		String intruder = newUserId();
		assertThat(DiscordBot.content(bot().modal(guild, intruder, DiscordBot.MEMBER, customId, Map.of("code", code))))
			.as("someone else's request")
			.contains("not yours");
		String wrong = code.equals("000000") ? "111111" : "000000";
		assertThat(DiscordBot.content(bot().modal(guild, member, DiscordBot.MEMBER, customId, Map.of("code", wrong))))
			.contains("Wrong code; 4 attempts left");
		assertThat(DiscordBot.content(bot().modal(guild, member, DiscordBot.MEMBER, customId, Map.of("code", "12ab"))))
			.contains("6 digits");

		String linked = DiscordBot
			.content(bot().modal(guild, member, DiscordBot.MEMBER, customId, Map.of("code", code)));
		assertThat(linked).contains("Confirmed");
		ApiResponse seen = this.client.get(community, "/v1/members/" + member);
		assertThat(seen.json().get("identities").toString()).contains(email);
		assertThat(seen.text("wallet_address")).as("one person with the shop's member")
			.isEqualTo(this.client.get(shop, "/v1/members/" + alice).text("wallet_address"));
		assertThat(Rsnc.of(seen)).isEqualTo(100);

		assertThat(DiscordBot.content(bot().modal(guild, member, DiscordBot.MEMBER, customId, Map.of("code", code))))
			.contains("confirmed already");
		assertThat(deferred(guild, member, Map.of("email", email)).path("content").asString())
			.contains("linked to you already");
	}

	@Test
	void tooManyWrongCodesVoidTheRequest() throws Exception {
		TestBrand community = rsncBrand("Guarded community");
		String guild = bot().bind(community);
		String member = newUserId();
		String email = "guess" + member + "@example.com";
		String customId = deferred(guild, member, Map.of("email", email)).path("components")
			.get(0)
			.path("components")
			.get(0)
			.path("custom_id")
			.asString();
		String code = codeIn(lastMailTo(email), "\\b(\\d{6})\\b");
		String wrong = code.equals("000000") ? "111111" : "000000";
		for (int i = 0; i < 4; i++) {
			assertThat(
					DiscordBot.content(bot().modal(guild, member, DiscordBot.MEMBER, customId, Map.of("code", wrong))))
				.contains("Wrong code")
				.contains("Press the button to try again");
		}
		// The fifth says it was the last, not "0 attempts left, try again".
		assertThat(DiscordBot.content(bot().modal(guild, member, DiscordBot.MEMBER, customId, Map.of("code", wrong))))
			.contains("that was the last attempt")
			.contains("Run /register email:")
			.doesNotContain("try again")
			.doesNotContain("0 attempts");
		assertThat(DiscordBot.content(bot().modal(guild, member, DiscordBot.MEMBER, customId, Map.of("code", code))))
			.as("the right code, too late")
			.contains("Too many wrong codes");
		assertThat(this.client.get(community, "/v1/members/" + member).json().get("identities").toString())
			.doesNotContain(email);
	}

	@Test
	void aMemberCannotMailAnyNumberOfAddresses() {
		TestBrand community = rsncBrand("Quiet community");
		String guild = bot().bind(community);
		String member = newUserId();
		for (int i = 0; i < 3; i++) {
			assertThat(deferred(guild, member, Map.of("email", "many" + i + member + "@example.com")).path("content")
				.asString()).contains("sent a 6-digit code");
		}
		assertThat(
				deferred(guild, member, Map.of("email", "more" + member + "@example.com")).path("content").asString())
			.contains("waiting on 3 email codes");
		assertThat(DiscordBot.content(
				bot().command(guild, member, DiscordBot.MEMBER, "register", null, Map.of("email", "not-an-email"))))
			.contains("not an email address");
	}

	/**
	 * Sends /register with options; it is deferred, and its outcome edits the response.
	 */
	private JsonNode deferred(String guild, String user, Map<String, Object> options) {
		String id = DiscordBot.newInteractionId();
		ApiResponse response = bot()
			.send(DiscordBot.commandBody(id, guild, user, DiscordBot.MEMBER, "register", null, options));
		assertThat(response.json().path("type").asInt()).as(response.toString()).isEqualTo(5);
		await().atMost(Duration.ofSeconds(20))
			.until(() -> !FakeDiscord.instance().originalEdits(DiscordBot.token(id)).isEmpty());
		return FakeDiscord.instance().originalEdits(DiscordBot.token(id)).get(0);
	}

	private TestBrand rsncBrand(String name) {
		TestBrand brand = this.client.createBrand(Map.of("name", name, "rate_limit_per_minute", 100_000));
		this.client.admin("POST", "/admin/v1/brands/" + brand.brandId() + "/wallet/credits",
				json(Map.of("amount", 10_000, "currency", "RSNC")));
		this.client.eventType(brand, "custom_event", Map.of("enabled", true, "amount", 100, "currency", "RSNC"));
		return brand;
	}

}
