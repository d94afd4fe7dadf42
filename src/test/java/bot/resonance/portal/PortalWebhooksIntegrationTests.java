package bot.resonance.portal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import bot.resonance.support.ApiResponse;
import bot.resonance.support.Deliveries;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.ResonanceClient;
import bot.resonance.support.Signing;
import bot.resonance.support.TestBrand;
import bot.resonance.support.WebhookReceiver;
import bot.resonance.support.WebhookReceiver.Answer;
import bot.resonance.support.WebhookReceiver.Received;
import bot.resonance.webhooks.internal.DeliveryWorker;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.web.util.HtmlUtils;

import static bot.resonance.support.ResonanceClient.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The webhook pages over real HTTP, as the bot webhook guide walks them: create an
 * outgoing webhook, copy the secret shown once, press Test, watch the delivery log,
 * re-queue a DEAD delivery, pause and resume; create an incoming webhook and see its
 * calls. Each change is checked against the management API, which reads the same data.
 */
@IntegrationTest
class PortalWebhooksIntegrationTests extends PortalIntegrationTestSupport {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static final Pattern SECRET = Pattern.compile("id=\"webhook-secret\">([^<]+)<");

	private static final Pattern OUTGOING_ID = Pattern.compile("id=\"created-webhook-id\">([0-9a-f-]{36})<");

	private static final Pattern INCOMING_ID = Pattern
		.compile("id=\"webhook-page\" href=\"/portal/webhooks/incoming/([0-9a-f-]{36})\"");

	private static final Pattern HOOK_URL = Pattern.compile("id=\"created-hook-url\">([^<]+)<");

	private static final String SCRIPT = "<script>alert(1)</script>";

	@Autowired
	DeliveryWorker worker;

	WebhookReceiver receiver;

	final List<Map.Entry<TestBrand, String>> created = new ArrayList<>();

	@BeforeEach
	void startReceiver() {
		this.receiver = WebhookReceiver.start();
	}

	@AfterEach
	void stopReceiver() {
		this.created
			.forEach((hook) -> this.client.api(hook.getKey(), "DELETE", "/v1/webhooks/" + hook.getValue(), null));
		this.receiver.close();
	}

	@Test
	void anOutgoingWebhookCreatedOnThePageSignsTheTestDeliveryWithTheSecretShownOnce() throws Exception {
		TestBrand brand = this.client.createBrand();
		PortalBrowser developer = signedInUser(brand, "developer");
		assertThat(developer.get("/portal/webhooks").body()).contains("id=\"create-webhook\"");
		PortalBrowser.Page choice = developer.get("/portal/webhooks/new");
		assertThat(choice.body()).contains("id=\"create-outgoing\"").contains("id=\"create-incoming\"");
		PortalBrowser.Page form = developer.get("/portal/webhooks/new?type=outgoing");
		// Every catalogue event can be chosen.
		for (JsonNode event : this.client.get(brand, "/v1/webhook-events").json().get("data")) {
			assertThat(form.body()).contains("id=\"event-" + event.get("name").asString() + "\"");
		}

		PortalBrowser.Page created = developer.submit("/portal/webhooks/new?type=outgoing", "/portal/webhooks/outgoing",
				Map.of("url", this.receiver.url("/hook"), "description", "Order sync", "events", "duel.finish"));
		// Post, redirect, get: reloading the page that shows the secret creates nothing.
		assertThat(created.location()).as(created.toString()).matches(".*/portal/webhooks/[0-9a-f-]{36}/secret");
		PortalBrowser.Page shown = developer.follow(created);
		assertThat(shown.status()).as(shown.toString()).isEqualTo(200);
		assertThat(shown.header("Cache-Control")).contains("no-store");
		String secret = find(SECRET, shown.body());
		String id = find(OUTGOING_ID, shown.body());
		this.created.add(Map.entry(brand, id));
		assertThat(secret).startsWith("whsec_");
		assertThat(shown.body()).contains("src=\"/portal/assets/webhooks.js\"")
			.contains("data-copy=\"webhook-secret\"");
		assertThat(developer.get("/portal/assets/webhooks.js").status()).isEqualTo(200);
		// Loaded again (a reload, the back button), the page neither creates another
		// webhook
		// nor shows the secret: it leads to the webhook's page.
		PortalBrowser.Page reloaded = developer.get("/portal/webhooks/" + id + "/secret");
		assertThat(reloaded.location()).as(reloaded.toString()).endsWith("/portal/webhooks/" + id);
		assertThat(developer.follow(reloaded).body()).contains("shown only once").doesNotContain(secret);
		assertThat(this.client.get(brand, "/v1/webhooks").json().get("data")).hasSize(1);

		// The API sees the same webhook.
		ApiResponse api = this.client.get(brand, "/v1/webhooks/" + id);
		assertThat(api.text("url")).isEqualTo(this.receiver.url("/hook"));
		assertThat(api.text("description")).isEqualTo("Order sync");
		assertThat(api.json().get("event_types").toString()).isEqualTo("[\"duel.finish\"]");
		// The secret is shown once: neither the webhook's page nor the list shows it.
		PortalBrowser.Page page = developer.get("/portal/webhooks/" + id);
		assertThat(page.status()).isEqualTo(200);
		assertThat(page.body()).doesNotContain(secret).contains("data-test=\"test-duel.finish\"");
		assertThat(developer.get("/portal/webhooks").body()).doesNotContain(secret)
			.contains(this.receiver.url("/hook"));

		PortalBrowser.Page tested = developer.submit("/portal/webhooks/" + id, "/portal/webhooks/" + id + "/test",
				Map.of("event", "duel.finish"));
		assertThat(tested.status()).as(tested.toString()).isEqualTo(302);
		assertThat(tested.location()).endsWith("/portal/webhooks/" + id);
		Received delivery = this.receiver.await(1, WAIT).getFirst();
		assertThat(delivery.header("X-Event")).isEqualTo("duel.finish");
		assertThat(delivery.header("X-Webhook-Id")).isEqualTo(id);
		assertThat(delivery.header("X-Signature")).isEqualTo(seedSignature(secret, delivery.body()));
		JsonNode body = ResonanceClient.MAPPER.readTree(delivery.body());
		assertThat(body.get("data")).isEqualTo(catalogueExample(brand, "duel.finish").get("data"));

		String deliveryId = delivery.header("X-Idempotency-Key");
		String log = awaitLog(developer, "/portal/webhooks/" + id + "/deliveries",
				(html) -> html.contains("data-test=\"delivery-" + deliveryId + "\" data-status=\"succeeded\""));
		assertThat(log).startsWith("<div id=\"delivery-log\"")
			.contains("hx-trigger=\"every 2s\"")
			.contains("hx-get=\"/portal/webhooks/" + id + "/deliveries\"")
			.contains("HTTP 200")
			.doesNotContain("<html");
		assertThat(developer.get("/portal/webhooks/" + id).body()).contains("id=\"delivery-log\"")
			.contains(deliveryId)
			.contains("1 delivered");
	}

	@Test
	void aDeadDeliveryIsRequeuedFromTheDeliveryLog() {
		TestBrand brand = this.client.createBrand();
		PortalBrowser developer = signedInUser(brand, "developer");
		String id = createOutgoing(developer, brand, this.receiver.url("/down"));
		this.receiver.always(Answer.status(500));
		this.clock.freeze();
		developer.submit("/portal/webhooks/" + id, "/portal/webhooks/" + id + "/test", Map.of("event", "member.join"));
		for (int attempt = 1; attempt <= 5; attempt++) {
			assertThat(this.receiver.await(attempt, WAIT).get(attempt - 1).attempt()).isEqualTo(attempt);
			awaitAttempts(brand, id, attempt);
			this.clock.advance(Duration.ofMinutes(5));
			this.worker.wakeUp();
		}
		String deliveryId = this.receiver.received().getFirst().header("X-Idempotency-Key");
		String dead = awaitLog(developer, "/portal/webhooks/" + id + "/deliveries",
				(html) -> html.contains("data-test=\"delivery-" + deliveryId + "\" data-status=\"dead\""));
		assertThat(dead).contains(">DEAD<").contains("data-test=\"requeue-" + deliveryId + "\"").contains("HTTP 500");

		this.receiver.always(Answer.status(204));
		PortalBrowser.Page requeued = developer.submit("/portal/webhooks/" + id,
				"/portal/webhooks/" + id + "/deliveries/" + deliveryId + "/requeue", Map.of());
		assertThat(requeued.status()).as(requeued.toString()).isEqualTo(302);
		Received sixth = this.receiver.await(6, WAIT).get(5);
		assertThat(sixth.attempt()).isEqualTo(6);
		assertThat(sixth.header("X-Idempotency-Key")).isEqualTo(deliveryId);
		String delivered = awaitLog(developer, "/portal/webhooks/" + id + "/deliveries",
				(html) -> html.contains("data-test=\"delivery-" + deliveryId + "\" data-status=\"succeeded\""));
		assertThat(delivered).doesNotContain("data-test=\"requeue-" + deliveryId + "\"");
		assertThat(this.client.get(brand, "/v1/webhooks/" + id + "/deliveries").json().at("/data/0/status").asString())
			.isEqualTo("succeeded");

		// A delivery the webhook does not have is not found.
		PortalBrowser.Page again = developer.submit("/portal/webhooks/" + id,
				"/portal/webhooks/" + id + "/deliveries/" + "dlv_unknown" + "/requeue", Map.of());
		assertThat(again.status()).isEqualTo(404);
	}

	@Test
	void pausedWebhooksHoldEventsUntilResumed() {
		TestBrand brand = brandWith(10_000, "custom_event", Map.of("amount", 5));
		PortalBrowser developer = signedInUser(brand, "developer");
		String id = createOutgoing(developer, brand, this.receiver.url("/paused"));

		PortalBrowser.Page paused = developer.submit("/portal/webhooks/" + id, "/portal/webhooks/" + id + "/pause",
				Map.of());
		assertThat(paused.status()).as(paused.toString()).isEqualTo(302);
		assertThat(this.client.get(brand, "/v1/webhooks/" + id).json().get("paused").asBoolean()).isTrue();
		PortalBrowser.Page page = developer.get("/portal/webhooks/" + id);
		assertThat(page.body()).contains("id=\"resume\"").doesNotContain("id=\"pause\"");
		assertThat(page.body()).contains("Paused: deliveries are kept");

		assertThat(this.client.event(brand, "custom_event", newUserId()).status()).isEqualTo(200);
		developer.submit("/portal/webhooks/" + id, "/portal/webhooks/" + id + "/test",
				Map.of("event", "trade.complete"));
		assertNothingMoreArrives(0);
		assertThat(this.client.get(brand, "/v1/webhooks/" + id + "/deliveries?status=held").json().get("data"))
			.hasSize(2);
		assertThat(developer.get("/portal/webhooks/" + id + "/deliveries").body()).contains("data-status=\"held\"")
			// Not a time that has passed: when they go.
			.contains("when resumed or enabled");

		PortalBrowser.Page resumed = developer.submit("/portal/webhooks/" + id, "/portal/webhooks/" + id + "/resume",
				Map.of());
		assertThat(resumed.status()).isEqualTo(302);
		List<Received> received = this.receiver.await(2, WAIT);
		assertThat(received).extracting((r) -> r.header("X-Event"))
			.containsExactlyInAnyOrder("reward.earned", "trade.complete");
		assertThat(this.client.get(brand, "/v1/webhooks/" + id).json().get("paused").asBoolean()).isFalse();
	}

	@Test
	void theUrlSubscriptionsAndSecretAreChangedOnTheWebhooksPage() throws Exception {
		TestBrand brand = this.client.createBrand();
		PortalBrowser developer = signedInUser(brand, "developer");
		String id = createOutgoing(developer, brand, this.receiver.url("/first"));
		PortalBrowser.Page saved = developer.submit("/portal/webhooks/" + id, "/portal/webhooks/" + id + "/settings",
				Map.of("url", this.receiver.url("/second"), "description", "", "all_events", "true"));
		assertThat(saved.status()).as(saved.toString()).isEqualTo(302);
		ApiResponse api = this.client.get(brand, "/v1/webhooks/" + id);
		assertThat(api.text("url")).isEqualTo(this.receiver.url("/second"));
		assertThat(api.json().get("event_types").isNull()).isTrue();
		assertThat(developer.get("/portal/webhooks/" + id).body()).contains("All events");

		PortalBrowser.Page rotated = developer
			.follow(developer.submit("/portal/webhooks/" + id, "/portal/webhooks/" + id + "/rotate-secret", Map.of()));
		assertThat(rotated.status()).isEqualTo(200);
		assertThat(rotated.header("Cache-Control")).contains("no-store");
		String secret = find(SECRET, rotated.body());
		assertThat(this.client.get(brand, "/v1/webhooks/" + id + "/secret").text("secret")).isEqualTo(secret);

		developer.submit("/portal/webhooks/" + id, "/portal/webhooks/" + id + "/test", Map.of("event", "member.leave"));
		Received delivery = this.receiver.await(1, WAIT).getFirst();
		assertThat(delivery.path()).isEqualTo("/second");
		assertThat(delivery.header("X-Signature")).isEqualTo(seedSignature(secret, delivery.body()));

		PortalBrowser.Page deleted = developer.submit("/portal/webhooks/" + id, "/portal/webhooks/" + id + "/delete",
				Map.of());
		assertThat(deleted.location()).endsWith("/portal/webhooks");
		assertThat(this.client.get(brand, "/v1/webhooks/" + id).status()).isEqualTo(404);
		assertThat(developer.get("/portal/webhooks/" + id).status()).isEqualTo(404);
	}

	@Test
	void recoverRequeuesTheDeadDeliveriesSinceATime() {
		TestBrand brand = this.client.createBrand();
		PortalBrowser developer = signedInUser(brand, "developer");
		String id = createOutgoing(developer, brand, this.receiver.url("/down"));
		this.receiver.always(Answer.status(500));
		java.time.Instant start = this.clock.freeze();
		developer.submit("/portal/webhooks/" + id, "/portal/webhooks/" + id + "/test", Map.of("event", "member.join"));
		for (int attempt = 1; attempt <= 5; attempt++) {
			this.receiver.await(attempt, WAIT);
			awaitAttempts(brand, id, attempt);
			this.clock.advance(Duration.ofMinutes(5));
			this.worker.wakeUp();
		}
		awaitLog(developer, "/portal/webhooks/" + id + "/deliveries", (html) -> html.contains("data-status=\"dead\""));
		this.receiver.always(Answer.status(200));

		PortalBrowser.Page bad = developer.submit("/portal/webhooks/" + id, "/portal/webhooks/" + id + "/recover",
				Map.of("since", "yesterday"));
		assertThat(bad.status()).isEqualTo(422);
		assertThat(bad.body()).contains("since must be an ISO-8601 time").contains("value=\"yesterday\"");

		String since = java.time.LocalDateTime.ofInstant(start.minusSeconds(60), java.time.ZoneOffset.UTC)
			.truncatedTo(java.time.temporal.ChronoUnit.MINUTES)
			.toString();
		PortalBrowser.Page recovered = developer.submit("/portal/webhooks/" + id, "/portal/webhooks/" + id + "/recover",
				Map.of("since", since));
		assertThat(recovered.status()).as(recovered.toString()).isEqualTo(302);
		assertThat(developer.get("/portal/webhooks/" + id).body()).contains("Re-queued 1 DEAD delivery");
		this.receiver.await(6, WAIT);
		awaitLog(developer, "/portal/webhooks/" + id + "/deliveries",
				(html) -> html.contains("data-status=\"succeeded\""));
	}

	@Test
	void anIncomingWebhookCreatedOnThePageLogsItsSignedCalls() {
		TestBrand brand = this.client.createBrand();
		this.client.fund(brand, 1_000);
		PortalBrowser developer = signedInUser(brand, "developer");
		PortalBrowser.Page form = developer.get("/portal/webhooks/new?type=incoming");
		assertThat(form.body()).contains("id=\"action-currency.add\"")
			.contains("id=\"action-role.assign\"")
			.contains("id=\"action-message.post\"")
			.contains("id=\"rate-limit\"")
			.contains("value=\"60\"");

		PortalBrowser.Page shown = developer.follow(developer.submit("/portal/webhooks/new?type=incoming",
				"/portal/webhooks/incoming", Map.of("name", "Shop", "actions", "currency.add", "rate_limit", "30")));
		assertThat(shown.status()).as(shown.toString()).isEqualTo(200);
		assertThat(shown.header("Cache-Control")).contains("no-store");
		String secret = (find(SECRET, shown.body()));
		String id = find(INCOMING_ID, shown.body());
		String url = (find(HOOK_URL, shown.body()));
		assertThat(url).isEqualTo(this.client.base() + "/hooks/" + brand.brandId() + "/" + id);
		ApiResponse api = this.client.get(brand, "/v1/incoming-webhooks/" + id);
		assertThat(api.json().get("actions").toString()).isEqualTo("[\"currency.add\"]");
		assertThat(api.json().get("rate_limit_per_minute").asInt()).isEqualTo(30);

		String body = json(Map.of("action", "currency.add", "data",
				Map.of("user_id", newUserId(), "amount", 5, "reason", "Order #1001")));
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		ApiResponse call = this.client.sendBytes("POST", "/hooks/" + brand.brandId() + "/" + id, bytes, Signing
			.standardWebhook(secret, "msg_portal_" + System.nanoTime(), this.clock.instant().getEpochSecond(), bytes));
		assertThat(call.status()).as(call.toString()).isEqualTo(200);
		String callId = call.text("call_id");

		String log = awaitLog(developer, "/portal/webhooks/incoming/" + id + "/calls",
				(html) -> html.contains("data-test=\"call-" + callId + "\""));
		assertThat(log).startsWith("<div id=\"call-log\"")
			.contains("hx-trigger=\"every 2s\"")
			.contains("data-outcome=\"succeeded\"")
			.contains("currency.add");
		PortalBrowser.Page page = developer.get("/portal/webhooks/incoming/" + id);
		assertThat(page.body()).contains(callId).contains(url).doesNotContain(secret).contains("30 calls per minute");
		assertThat(developer.get("/portal/webhooks").body()).contains("Shop").contains("succeeded (200)");

		PortalBrowser.Page saved = developer.submit("/portal/webhooks/incoming/" + id,
				"/portal/webhooks/incoming/" + id + "/settings",
				Map.of("name", "Shop 2", "actions", "message.post", "rate_limit", "10", "enabled", "true"));
		assertThat(saved.status()).as(saved.toString()).isEqualTo(302);
		ApiResponse changed = this.client.get(brand, "/v1/incoming-webhooks/" + id);
		assertThat(changed.text("name")).isEqualTo("Shop 2");
		assertThat(changed.json().get("actions").toString()).isEqualTo("[\"message.post\"]");
		assertThat(changed.json().get("currency").isNull()).isTrue();
		assertThat(developer.get("/portal/webhooks/incoming/" + id).body())
			.contains("the brand&#39;s default currency");

		// The currency of currency.add: one of the brand's, or empty for its default.
		PortalBrowser.Page namedCurrency = developer.submit("/portal/webhooks/incoming/" + id,
				"/portal/webhooks/incoming/" + id + "/settings", Map.of("name", "Shop 2", "actions", "message.post",
						"rate_limit", "10", "currency", "POINT", "enabled", "true"));
		assertThat(namedCurrency.status()).as(namedCurrency.toString()).isEqualTo(302);
		assertThat(this.client.get(brand, "/v1/incoming-webhooks/" + id).text("currency")).isEqualTo("POINT");
		assertThat(developer.get("/portal/webhooks/incoming/" + id).body()).contains("id=\"hook-currency\">POINT<");
		PortalBrowser.Page unknownCurrency = developer.submit("/portal/webhooks/incoming/" + id,
				"/portal/webhooks/incoming/" + id + "/settings", Map.of("name", "Shop 2", "actions", "message.post",
						"rate_limit", "10", "currency", "GOLD", "enabled", "true"));
		assertThat(unknownCurrency.status()).isEqualTo(422);
		assertThat(unknownCurrency.body()).contains("id=\"currency-error\"").contains("value=\"GOLD\"");
		assertThat(this.client.get(brand, "/v1/incoming-webhooks/" + id).text("currency")).isEqualTo("POINT");
		developer.submit("/portal/webhooks/incoming/" + id, "/portal/webhooks/incoming/" + id + "/settings", Map
			.of("name", "Shop 2", "actions", "message.post", "rate_limit", "10", "currency", "", "enabled", "true"));
		assertThat(this.client.get(brand, "/v1/incoming-webhooks/" + id).json().get("currency").isNull()).isTrue();

		PortalBrowser.Page rotated = developer.follow(developer.submit("/portal/webhooks/incoming/" + id,
				"/portal/webhooks/incoming/" + id + "/rotate-secret", Map.of()));
		assertThat(rotated.status()).isEqualTo(200);
		assertThat(rotated.header("Cache-Control")).contains("no-store");
		assertThat((find(SECRET, rotated.body()))).startsWith("whsec_").isNotEqualTo(secret);

		PortalBrowser.Page deleted = developer.submit("/portal/webhooks/incoming/" + id,
				"/portal/webhooks/incoming/" + id + "/delete", Map.of());
		assertThat(deleted.location()).endsWith("/portal/webhooks");
		assertThat(this.client.get(brand, "/v1/incoming-webhooks/" + id).status()).isEqualTo(404);
	}

	@Test
	void viewersReadEverythingAndChangeNothing() {
		TestBrand brand = this.client.createBrand();
		String id = apiOutgoing(brand, this.receiver.url("/hook"));
		String hookId = apiIncoming(brand, "Shop");
		this.client.api(brand, "POST", "/v1/webhooks/" + id + "/test", "{\"event\":\"duel.finish\"}");
		String deliveryId = this.receiver.await(1, WAIT).getFirst().header("X-Idempotency-Key");
		PortalBrowser viewer = signedInUser(brand, "viewer");

		PortalBrowser.Page list = viewer.get("/portal/webhooks");
		assertThat(list.status()).isEqualTo(200);
		assertThat(list.body()).contains(this.receiver.url("/hook")).contains("Shop").doesNotContain("create-webhook");
		PortalBrowser.Page page = viewer.get("/portal/webhooks/" + id);
		assertThat(page.status()).isEqualTo(200);
		assertThat(page.body()).contains("id=\"delivery-log\"")
			.doesNotContain("data-test=\"test-")
			.doesNotContain("id=\"pause\"")
			.doesNotContain("id=\"settings-form\"");
		assertThat(viewer.get("/portal/webhooks/" + id + "/deliveries").body()).contains(deliveryId);
		assertThat(viewer.get("/portal/webhooks/incoming/" + hookId).status()).isEqualTo(200);
		assertThat(viewer.get("/portal/webhooks/incoming/" + hookId + "/calls").status()).isEqualTo(200);
		assertThat(viewer.get("/portal/webhooks/new").status()).isEqualTo(403);

		for (Map.Entry<String, Map<String, String>> post : everyPost(id, hookId, deliveryId).entrySet()) {
			PortalBrowser.Page refused = viewer.submit("/portal/webhooks", post.getKey(), post.getValue());
			assertThat(refused.status()).as(post.getKey()).isEqualTo(403);
			assertThat(refused.body()).as(post.getKey()).contains("Not allowed");
		}
		assertUnchanged(brand, id, hookId);
		assertThat(this.client.get(brand, "/v1/webhooks").json().get("data")).hasSize(1);
		assertThat(this.client.get(brand, "/v1/incoming-webhooks").json().get("data")).hasSize(1);
		assertThat(this.client.get(brand, "/v1/webhooks/" + id + "/deliveries").json().get("data")).hasSize(1);
	}

	@Test
	void anotherBrandsWebhooksAreNotFound() {
		TestBrand brand = this.client.createBrand();
		String id = apiOutgoing(brand, this.receiver.url("/secret-place"));
		String hookId = apiIncoming(brand, "First brand's hook");
		this.client.api(brand, "POST", "/v1/webhooks/" + id + "/test", "{\"event\":\"duel.finish\"}");
		String deliveryId = this.receiver.await(1, WAIT).getFirst().header("X-Idempotency-Key");

		TestBrand other = this.client.createBrand();
		for (String role : List.of("admin", "viewer")) {
			PortalBrowser stranger = signedInUser(other, role);
			String list = stranger.get("/portal/webhooks").body();
			assertThat(list).doesNotContain("/secret-place").doesNotContain("First brand's hook").doesNotContain(id);
			for (String path : List.of("/portal/webhooks/" + id, "/portal/webhooks/" + id + "/deliveries",
					"/portal/webhooks/incoming/" + hookId, "/portal/webhooks/incoming/" + hookId + "/calls")) {
				PortalBrowser.Page missing = stranger.get(path);
				assertThat(missing.status()).as(path).isEqualTo(404);
				assertThat(missing.body()).doesNotContain("/secret-place").doesNotContain("First brand");
			}
			if (role.equals("admin")) {
				for (Map.Entry<String, Map<String, String>> post : everyPost(id, hookId, deliveryId).entrySet()) {
					if (post.getKey().endsWith("/outgoing") || post.getKey().endsWith("/incoming")) {
						continue; // creates a webhook of the stranger's own brand
					}
					PortalBrowser.Page refused = stranger.submit("/portal/webhooks", post.getKey(), post.getValue());
					assertThat(refused.status()).as(post.getKey()).isEqualTo(404);
				}
			}
		}
		assertUnchanged(brand, id, hookId);
		assertThat(this.client.get(brand, "/v1/webhooks/" + id + "/deliveries").json().get("data")).hasSize(1);
	}

	@Test
	void postsWithoutTheCsrfTokenAreRefused() {
		TestBrand brand = this.client.createBrand();
		String id = apiOutgoing(brand, this.receiver.url("/hook"));
		PortalBrowser admin = signedInUser(brand, "admin");
		assertThat(admin.post("/portal/webhooks/outgoing", Map.of("url", this.receiver.url("/x"), "all_events", "true"))
			.status()).isEqualTo(403);
		assertThat(admin.post("/portal/webhooks/" + id + "/pause", Map.of()).status()).isEqualTo(403);
		assertThat(admin.post("/portal/webhooks/" + id + "/delete", Map.of("_csrf", "forged")).status()).isEqualTo(403);
		assertThat(this.client.get(brand, "/v1/webhooks").json().get("data")).hasSize(1);
		assertThat(this.client.get(brand, "/v1/webhooks/" + id).json().get("paused").asBoolean()).isFalse();
	}

	@Test
	void whatUsersTypedIsRenderedEscaped() {
		TestBrand brand = this.client.createBrand();
		ApiResponse endpoint = this.client.api(brand, "POST", "/v1/webhooks",
				json(Map.of("url", this.receiver.url("/it's"), "description", SCRIPT)));
		assertThat(endpoint.status()).as(endpoint.toString()).isEqualTo(201);
		this.created.add(Map.entry(brand, endpoint.text("id")));
		String hookId = apiIncoming(brand, SCRIPT);
		PortalBrowser developer = signedInUser(brand, "developer");

		String escaped = "&lt;script&gt;alert(1)&lt;/script&gt;";
		for (String path : List.of("/portal/webhooks", "/portal/webhooks/" + endpoint.text("id"),
				"/portal/webhooks/incoming/" + hookId)) {
			String body = developer.get(path).body();
			assertThat(body).as(path).contains(escaped).doesNotContain(SCRIPT);
		}
		assertThat(developer.get("/portal/webhooks").body()).contains("/it&#39;s");

		PortalBrowser.Page refused = developer.submit("/portal/webhooks/new?type=outgoing", "/portal/webhooks/outgoing",
				Map.of("url", "http://127.0.0.1/" + SCRIPT, "all_events", "true"));
		assertThat(refused.status()).isEqualTo(422);
		assertThat(refused.body()).contains("url is not a valid URL.")
			.contains("value=\"http://127.0.0.1/" + escaped + "\"")
			.doesNotContain(SCRIPT);
	}

	@Test
	void invalidInputIsRefusedWithTheApisMessage() {
		TestBrand brand = this.client.createBrand();
		PortalBrowser developer = signedInUser(brand, "developer");

		String privateUrl = "http://10.0.0.1/hook";
		ApiResponse apiRefusal = this.client.api(brand, "POST", "/v1/webhooks", json(Map.of("url", privateUrl)));
		assertThat(apiRefusal.status()).isEqualTo(400);
		PortalBrowser.Page refused = developer.submit("/portal/webhooks/new?type=outgoing", "/portal/webhooks/outgoing",
				Map.of("url", privateUrl, "description", "Kept", "events", "member.join"));
		assertThat(refused.status()).isEqualTo(422);
		assertThat(refused.body()).contains(HtmlUtils.htmlEscape(apiRefusal.json().get("detail").asString()))
			.contains("id=\"url-error\"")
			.contains("aria-describedby=\"url-error\"")
			.contains("value=\"Kept\"")
			.containsPattern("id=\"event-member.join\" value=\"member.join\" checked");

		PortalBrowser.Page noEvents = developer.submit("/portal/webhooks/new?type=outgoing",
				"/portal/webhooks/outgoing", Map.of("url", this.receiver.url("/hook")));
		assertThat(noEvents.status()).isEqualTo(422);
		assertThat(noEvents.body()).contains("event_types must name at least one event");
		PortalBrowser.Page unknownEvent = developer.submit("/portal/webhooks/new?type=outgoing",
				"/portal/webhooks/outgoing", Map.of("url", this.receiver.url("/hook"), "events", "nope"));
		assertThat(unknownEvent.status()).isEqualTo(422);
		assertThat(unknownEvent.body()).contains("event_types: unknown event");
		PortalBrowser.Page longDescription = developer.submit("/portal/webhooks/new?type=outgoing",
				"/portal/webhooks/outgoing",
				Map.of("url", this.receiver.url("/hook"), "all_events", "true", "description", "x".repeat(501)));
		assertThat(longDescription.status()).isEqualTo(422);
		assertThat(this.client.get(brand, "/v1/webhooks").json().get("data")).isEmpty();

		PortalBrowser.Page noActions = developer.submit("/portal/webhooks/new?type=incoming",
				"/portal/webhooks/incoming", Map.of("name", "Shop"));
		assertThat(noActions.status()).isEqualTo(422);
		assertThat(noActions.body()).contains("actions must name at least one action");
		PortalBrowser.Page badRate = developer.submit("/portal/webhooks/new?type=incoming", "/portal/webhooks/incoming",
				Map.of("name", "Shop", "actions", "currency.add", "rate_limit", "lots"));
		assertThat(badRate.status()).isEqualTo(422);
		assertThat(badRate.body()).contains("rate_limit_per_minute must be between 1 and 100000")
			.contains("value=\"lots\"");
		PortalBrowser.Page noName = developer.submit("/portal/webhooks/new?type=incoming", "/portal/webhooks/incoming",
				Map.of("name", " ", "actions", "currency.add"));
		assertThat(noName.status()).isEqualTo(422);
		assertThat(noName.body()).contains("name must be 1 to 100 characters");
		PortalBrowser.Page badCurrency = developer.submit("/portal/webhooks/new?type=incoming",
				"/portal/webhooks/incoming", Map.of("name", "Shop", "actions", "currency.add", "currency", "NOPE"));
		assertThat(badCurrency.status()).isEqualTo(422);
		assertThat(this.client.get(brand, "/v1/incoming-webhooks").json().get("data")).isEmpty();

		String id = createOutgoing(developer, brand, this.receiver.url("/hook"));
		PortalBrowser.Page badTest = developer.submit("/portal/webhooks/" + id, "/portal/webhooks/" + id + "/test",
				Map.of("event", "no.such.event"));
		assertThat(badTest.status()).isEqualTo(400);
		assertThat(badTest.body()).contains("Unknown event");
		PortalBrowser.Page badEdit = developer.submit("/portal/webhooks/" + id, "/portal/webhooks/" + id + "/settings",
				Map.of("url", privateUrl, "all_events", "true"));
		assertThat(badEdit.status()).isEqualTo(422);
		assertThat(badEdit.body()).contains("url is not allowed").contains("value=\"" + privateUrl + "\"");
		assertThat(this.client.get(brand, "/v1/webhooks/" + id).text("url")).isEqualTo(this.receiver.url("/hook"));
		assertThat(developer.get("/portal/webhooks/not-a-uuid").status()).isEqualTo(404);
		assertThat(developer.get("/portal/webhooks/incoming/not-a-uuid/calls").status()).isEqualTo(404);
	}

	// ---- helpers

	/** Creates an outgoing webhook for every event on the page; returns its id. */
	private String createOutgoing(PortalBrowser browser, TestBrand brand, String url) {
		PortalBrowser.Page shown = browser.submit("/portal/webhooks/new?type=outgoing", "/portal/webhooks/outgoing",
				Map.of("url", url, "all_events", "true"));
		shown = browser.follow(shown);
		assertThat(shown.status()).as(shown.toString()).isEqualTo(200);
		String id = find(OUTGOING_ID, shown.body());
		this.created.add(Map.entry(brand, id));
		return id;
	}

	private String apiOutgoing(TestBrand brand, String url) {
		ApiResponse response = this.client.api(brand, "POST", "/v1/webhooks", json(Map.of("url", url)));
		assertThat(response.status()).as(response.toString()).isEqualTo(201);
		this.created.add(Map.entry(brand, response.text("id")));
		return response.text("id");
	}

	private String apiIncoming(TestBrand brand, String name) {
		ApiResponse response = this.client.api(brand, "POST", "/v1/incoming-webhooks",
				json(Map.of("name", name, "actions", List.of("currency.add"))));
		assertThat(response.status()).as(response.toString()).isEqualTo(201);
		return response.text("id");
	}

	/** Every changing request of the webhook pages, with valid fields. */
	private Map<String, Map<String, String>> everyPost(String id, String hookId, String deliveryId) {
		Map<String, Map<String, String>> posts = new LinkedHashMap<>();
		posts.put("/portal/webhooks/outgoing", Map.of("url", this.receiver.url("/new"), "all_events", "true"));
		posts.put("/portal/webhooks/incoming", Map.of("name", "New", "actions", "currency.add"));
		posts.put("/portal/webhooks/" + id + "/settings",
				Map.of("url", this.receiver.url("/moved"), "all_events", "true"));
		posts.put("/portal/webhooks/" + id + "/test", Map.of("event", "duel.finish"));
		posts.put("/portal/webhooks/" + id + "/pause", Map.of());
		posts.put("/portal/webhooks/" + id + "/resume", Map.of());
		posts.put("/portal/webhooks/" + id + "/enable", Map.of());
		posts.put("/portal/webhooks/" + id + "/recover", Map.of("since", "2020-01-01T00:00:00Z"));
		posts.put("/portal/webhooks/" + id + "/deliveries/" + deliveryId + "/requeue", Map.of());
		posts.put("/portal/webhooks/" + id + "/rotate-secret", Map.of());
		posts.put("/portal/webhooks/" + id + "/delete", Map.of());
		posts.put("/portal/webhooks/incoming/" + hookId + "/settings",
				Map.of("name", "Changed", "actions", "message.post", "rate_limit", "5"));
		posts.put("/portal/webhooks/incoming/" + hookId + "/rotate-secret", Map.of());
		posts.put("/portal/webhooks/incoming/" + hookId + "/delete", Map.of());
		return posts;
	}

	/** The webhook and the hook are as the API created them. */
	private void assertUnchanged(TestBrand brand, String id, String hookId) {
		ApiResponse endpoint = this.client.get(brand, "/v1/webhooks/" + id);
		assertThat(endpoint.status()).isEqualTo(200);
		assertThat(endpoint.text("url")).doesNotContain("/moved");
		assertThat(endpoint.json().get("paused").asBoolean()).isFalse();
		ApiResponse hook = this.client.get(brand, "/v1/incoming-webhooks/" + hookId);
		assertThat(hook.status()).isEqualTo(200);
		assertThat(hook.text("name")).isNotEqualTo("Changed");
		assertThat(hook.json().get("actions").toString()).isEqualTo("[\"currency.add\"]");
	}

	private String awaitLog(PortalBrowser browser, String path, Predicate<String> condition) {
		return Awaitility.await()
			.atMost(WAIT)
			.pollInterval(Duration.ofMillis(50))
			.alias(path)
			.until(() -> browser.get(path).body(), condition);
	}

	private void awaitAttempts(TestBrand brand, String id, int attempts) {
		Deliveries.awaitAttempts(this.client, brand, id, attempts, WAIT);
	}

	private void assertNothingMoreArrives(int count) {
		Deliveries.assertNothingMoreArrives(this.worker, this.receiver, count, WAIT);
	}

	private JsonNode catalogueExample(TestBrand brand, String event) {
		return Deliveries.catalogueExample(this.client, brand, event);
	}

	private static String find(Pattern pattern, String html) {
		Matcher matcher = pattern.matcher(html);
		assertThat(matcher.find()).as(pattern + " in\n" + html).isTrue();
		return HtmlUtils.htmlUnescape(matcher.group(1));
	}

	/** The seed's verifier: {@code sha256=} + hex HMAC-SHA256 of the raw body. */
	private static String seedSignature(String secret, byte[] body) throws Exception {
		Mac mac = Mac.getInstance("HmacSHA256");
		mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
		return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
	}

}
