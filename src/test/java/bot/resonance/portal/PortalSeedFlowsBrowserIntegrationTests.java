package bot.resonance.portal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import tools.jackson.databind.JsonNode;

import bot.resonance.support.IntegrationTest;
import bot.resonance.support.Signing;
import bot.resonance.support.TestBrand;
import bot.resonance.support.WebhookReceiver;
import bot.resonance.support.WebhookReceiver.Answer;
import bot.resonance.support.WebhookReceiver.Received;
import bot.resonance.webhooks.internal.DeliveryWorker;
import org.springframework.beans.factory.annotation.Autowired;

import static bot.resonance.portal.browser.ChromiumSession.id;
import static bot.resonance.portal.browser.ChromiumSession.test;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seeds' flows in real headless Chromium, as a brand's developer walks them: sign in,
 * copy the secret key from Settings > API Keys, enable an event type, send an event with
 * curl and see it in analytics; create an outgoing webhook, press Test and watch the
 * delivery arrive at a local receiver and appear in the log, make it DEAD and re-queue
 * it, pause and resume. A second brand's user sees none of it. Every page visited is kept
 * as a screenshot under {@code target/portal-screenshots}, and every page is checked for
 * console errors (anything the Content-Security-Policy blocked).
 */
@IntegrationTest
class PortalSeedFlowsBrowserIntegrationTests extends PortalBrowserTestSupport {

	private static final Duration WAIT = Duration.ofSeconds(30);

	@Autowired
	DeliveryWorker worker;

	WebhookReceiver receiver;

	@BeforeEach
	void startReceiver() {
		this.receiver = WebhookReceiver.start();
	}

	@AfterEach
	void stopReceiver() {
		this.receiver.close();
	}

	@Test
	void aBrandAdminWalksTheSeedsFromTheSecretKeyToAReQueuedWebhook() throws Exception {
		TestBrand brand = this.client.createBrand(Map.of("name", "Seed Walk"));
		this.client.fund(brand, 100_000);
		signInThroughInvitation(brand, "admin");

		// Settings > API Keys: the brand_id, and a new secret key shown once to copy.
		this.chromium.clickAndLoad(By.linkText("Settings"), "settings");
		this.chromium.clickAndLoad(id("settings-api-keys"), "api-keys");
		assertThat(this.chromium.text(id("brand-id"))).isEqualTo(brand.brandId());
		this.chromium.clickAndLoad(id("rotate-secret"), "api-keys-rotated");
		String secretKey = this.chromium.text(id("new-secret")).strip();
		assertThat(secretKey).isNotBlank().isNotEqualTo(brand.secretKey());

		// Event types: enable daily_checkin, 25 points, no cooldown.
		this.chromium.clickAndLoad(By.linkText("Event types"), "event-types");
		assertThat(this.chromium.find(id("event-type-daily_checkin")).getAttribute("data-enabled")).isEqualTo("false");
		this.chromium.open("/portal/event-types/daily_checkin", "event-type");
		this.chromium.check(id("event-type-enabled"), true);
		this.chromium.type(id("event-type-amount"), "25");
		this.chromium.type(id("event-type-cooldown-seconds"), "0");
		this.chromium.clickAndLoad(id("save-event-type"), "event-type-saved");
		assertThat(this.chromium.find(id("event-type-daily_checkin")).getAttribute("data-enabled")).isEqualTo("true");

		// An event sent with curl, signed with the copied key, is awarded...
		String userId = newUserId();
		String answer = curlEvent(brand.brandId(), secretKey, "daily_checkin", userId);
		assertThat(answer).contains("\"success\":true").contains("\"amount_awarded\":25");

		// ... and appears in the analytics and on the member's page.
		this.chromium.clickAndLoad(By.linkText("Analytics"), "analytics");
		assertThat(this.chromium.text(By.cssSelector("#analytics-table-events tr[data-event-type='daily_checkin']")))
			.contains("daily_checkin");
		this.chromium.clickAndLoad(By.linkText("Members"), "members");
		this.chromium.type(id("member-search"), userId);
		this.chromium.navigate("member", () -> this.chromium.find(id("member-search")).submit());
		assertThat(this.chromium.text(id("member-history"))).contains("daily_checkin");
		this.chromium.clickAndLoad(By.linkText("Wallet"), "wallet");
		assertThat(this.chromium.text(id("wallet-balances"))).contains("99975");

		// Webhooks: Create webhook → Outgoing, every event, the secret shown once.
		this.chromium.clickAndLoad(By.linkText("Webhooks"), "webhooks");
		this.chromium.clickAndLoad(id("create-webhook"), "create-webhook");
		this.chromium.clickAndLoad(id("create-outgoing"), "create-outgoing");
		this.chromium.type(id("url"), this.receiver.url("/hooks"));
		this.chromium.check(id("all-events"), true);
		this.chromium.clickAndLoad(id("create-outgoing-submit"), "webhook-secret");
		String signingSecret = this.chromium.text(id("webhook-secret")).strip();
		assertThat(signingSecret).isNotBlank();
		this.chromium.clickAndLoad(id("webhook-page"), "webhook");
		String webhookPath = this.chromium.path();

		// Test: the delivery reaches the receiver, signed with the secret, and the log
		// shows it without a reload.
		this.chromium.clickAndLoad(test("test-member.join"), "webhook-tested");
		Received tested = this.receiver.await(1, WAIT).getFirst();
		assertThat(tested.text()).contains("member.join");
		String deliveryId = tested.header("X-Idempotency-Key");
		By testedRow = By.cssSelector("#delivery-log [data-test='delivery-" + deliveryId + "']");
		this.chromium.await("the delivery in the log",
				(driver) -> "succeeded".equals(this.chromium.find(testedRow).getAttribute("data-status")));
		this.chromium.page("webhook-delivered");

		// A delivery that fails five times is DEAD; Re-queue delivers it.
		this.receiver.always(Answer.status(500));
		this.clock.freeze();
		this.chromium.clickAndLoad(test("test-member.leave"), "webhook-failing");
		String webhookId = webhookPath.substring(webhookPath.lastIndexOf('/') + 1);
		for (int attempt = 1; attempt <= 5; attempt++) {
			this.receiver.await(1 + attempt, WAIT);
			awaitAttempts(brand, webhookId, attempt);
			this.clock.advance(Duration.ofMinutes(5));
			this.worker.wakeUp();
		}
		String deadId = this.receiver.received().get(1).header("X-Idempotency-Key");
		By deadRow = By.cssSelector("#delivery-log [data-test='delivery-" + deadId + "']");
		this.chromium.await("the DEAD delivery in the log",
				(driver) -> "dead".equals(this.chromium.find(deadRow).getAttribute("data-status")));
		this.chromium.page("webhook-dead");
		this.receiver.always(Answer.status(204));
		this.chromium.clickAndLoad(test("requeue-" + deadId), "webhook-requeued");
		assertThat(this.receiver.await(7, WAIT).get(6).header("X-Idempotency-Key")).isEqualTo(deadId);
		this.chromium.await("the re-queued delivery succeeded",
				(driver) -> "succeeded".equals(this.chromium.find(deadRow).getAttribute("data-status")));
		this.chromium.page("webhook-redelivered");
		this.clock.resume();

		// Pause holds deliveries; Resume sends them.
		this.chromium.clickAndLoad(id("pause"), "webhook-paused");
		this.chromium.clickAndLoad(test("test-member.join"), "webhook-paused-test");
		this.worker.wakeUp();
		assertThat(this.receiver.received()).hasSize(7);
		this.chromium.clickAndLoad(id("resume"), "webhook-resumed");
		assertThat(this.receiver.await(8, WAIT)).hasSize(8);

		// A second brand's admin sees none of it.
		TestBrand other = this.client.createBrand(Map.of("name", "Other Brand"));
		this.chromium.clearCookies();
		signInThroughInvitation(other, "admin");
		this.chromium.open(webhookPath, "other-brand-webhook");
		assertThat(this.chromium.text(By.tagName("h1"))).isEqualTo("Page not found");
		this.chromium.open("/portal/webhooks", "other-brand-webhooks");
		assertThat(this.chromium.html()).doesNotContain(this.receiver.url("/hooks"));
		this.chromium.open("/portal/analytics", "other-brand-analytics");
		assertThat(this.chromium.exists(By.cssSelector("tr[data-event-type='daily_checkin']"))).isFalse();
		this.chromium.open("/portal/members?q=" + userId, "other-brand-member");
		assertThat(this.chromium.exists(id("member-history"))).isFalse();
		assertThat(this.chromium.html()).doesNotContain(brand.brandId()).doesNotContain("Seed Walk");
	}

	@Test
	void everyPageRendersWithoutConsoleErrorsOnADesktopAndOnAPhone() {
		TestBrand brand = this.client.createBrand(Map.of("name", "Every Page"));
		this.client.fund(brand, 10_000);
		signInThroughInvitation(brand, "admin");
		List<String> pages = List.of("/portal", "/portal/analytics", "/portal/event-types",
				"/portal/event-types/daily_checkin", "/portal/members", "/portal/wallet", "/portal/integrations",
				"/portal/webhooks", "/portal/webhooks/new", "/portal/webhooks/new?type=outgoing",
				"/portal/webhooks/new?type=incoming", "/portal/settings", "/portal/settings/api-keys",
				"/portal/settings/users", "/portal/settings/account");
		for (String page : pages) {
			this.chromium.open(page, "desktop" + page.replaceAll("[^a-z]+", "-"));
			assertThat(this.chromium.text(By.tagName("h1"))).as(page).isNotBlank().isNotEqualTo("Page not found");
		}
		this.chromium.phone(390, 844);
		for (String page : pages) {
			this.chromium.open(page, "phone" + page.replaceAll("[^a-z]+", "-"));
		}
		this.chromium.colorScheme("dark");
		this.chromium.open("/portal/analytics", "dark-analytics");
		this.chromium.open("/portal/webhooks", "dark-webhooks");
	}

	/** The newest delivery has this many attempts recorded and is not being sent. */
	private void awaitAttempts(TestBrand brand, String webhookId, int attempts) {
		Awaitility.await()
			.atMost(WAIT)
			.pollInterval(Duration.ofMillis(20))
			.until(() -> this.client.get(brand, "/v1/webhooks/" + webhookId + "/deliveries"), (response) -> {
				JsonNode newest = response.json().at("/data/0");
				return !newest.isMissingNode() && newest.get("attempts").size() >= attempts
						&& !newest.get("status").asString().equals("sending");
			});
	}

	/** Sends an event the way the README does: curl, signed with openssl. */
	private String curlEvent(String brandId, String secretKey, String eventType, String userId)
			throws IOException, InterruptedException {
		String body = "{\"brand_id\":\"" + brandId + "\",\"event_type\":\"" + eventType + "\",\"user_id\":\"" + userId
				+ "\",\"server_id\":\"987654321098765432\"}";
		String signature = Signing.hex(Signing.hmac(secretKey, body.getBytes(StandardCharsets.UTF_8)));
		Process curl = new ProcessBuilder("curl", "-s", "-X", "POST", this.client.base() + "/v1/events", "-H",
				"Content-Type: application/json", "-H", "X-Resonance-Signature: " + signature, "-d", body)
			.redirectErrorStream(true)
			.start();
		assertThat(curl.waitFor(30, TimeUnit.SECONDS)).isTrue();
		return new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
	}

}
