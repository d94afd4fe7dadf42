package bot.resonance.webhooks;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.standardwebhooks.Webhook;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import bot.resonance.support.ApiResponse;
import bot.resonance.support.Deliveries;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.IntegrationTestSupport;
import bot.resonance.support.Race;
import bot.resonance.support.ResonanceClient;
import bot.resonance.support.TestBrand;
import bot.resonance.support.WebhookReceiver;
import bot.resonance.support.WebhookReceiver.Answer;
import bot.resonance.support.WebhookReceiver.Received;
import bot.resonance.webhooks.internal.DeliveryWorker;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Outgoing webhooks end to end: real events, a real receiver on localhost, the delivery
 * workers of the running server, time moved by the test clock.
 */
@IntegrationTest
class WebhookDeliveryIntegrationTests extends IntegrationTestSupport {

	private static final Duration WAIT = Duration.ofSeconds(20);

	@Autowired
	DeliveryWorker worker;

	WebhookReceiver receiver;

	@BeforeEach
	void startReceiver() {
		this.receiver = WebhookReceiver.start();
	}

	/**
	 * Endpoints the test created, deleted after it so nothing is sent to a closed port.
	 */
	final List<Map.Entry<TestBrand, String>> created = new ArrayList<>();

	@AfterEach
	void stopReceiver() {
		this.created
			.forEach((hook) -> this.client.api(hook.getKey(), "DELETE", "/v1/webhooks/" + hook.getValue(), null));
		this.receiver.close();
	}

	@Test
	void rewardsAreDeliveredSignedForTheSeedVerifierAndStandardWebhooks() throws Exception {
		TestBrand brand = brandWith(10_000, "custom_event", Map.of("amount", 50));
		Created hook = create(brand, this.receiver.url("/hook"), null);
		String user = newUserId();
		ApiResponse event = this.client.event(brand, "custom_event", user);
		assertThat(event.status()).as(event.toString()).isEqualTo(200);

		Received delivery = this.receiver.await(1, WAIT).getFirst();
		assertThat(delivery.header("Content-Type")).startsWith("application/json");
		assertThat(delivery.header("X-Webhook-Id")).isEqualTo(hook.id());
		assertThat(delivery.header("X-Event")).isEqualTo("reward.earned");
		assertThat(delivery.header("X-Attempt")).isEqualTo("1");
		assertThat(delivery.header("X-Idempotency-Key")).startsWith("dlv_");
		assertThat(delivery.header("webhook-id")).startsWith("msg_");
		// The seed's Node and Flask verifiers, re-typed: hex HMAC of the raw body keyed
		// with the secret as given.
		assertThat(delivery.header("X-Signature")).isEqualTo(seedSignature(hook.secret(), delivery.body()));
		// Standard Webhooks: the reference library computes the same signature.
		long timestamp = Long.parseLong(delivery.header("webhook-timestamp"));
		assertThat(delivery.header("webhook-signature"))
			.isEqualTo(new Webhook(hook.secret()).sign(delivery.header("webhook-id"), timestamp, delivery.text()));

		JsonNode body = ResonanceClient.MAPPER.readTree(delivery.body());
		assertThat(body.get("id").asString()).isEqualTo(delivery.header("webhook-id"));
		assertThat(body.get("event").asString()).isEqualTo("reward.earned");
		assertThat(body.get("event_type").asString()).isEqualTo("reward.earned");
		assertThat(body.get("guildId").asString()).isEqualTo("987654321098765432");
		assertThat(body.get("timestamp").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
		JsonNode movement = body.get("movement");
		assertThat(body.get("data")).isEqualTo(movement);
		assertThat(movement.get("id").asString()).isEqualTo(event.text("event_id"));
		assertThat(movement.get("type").asString()).isEqualTo("point");
		assertThat(movement.get("status").asString()).isEqualTo("accepted");
		assertThat(movement.get("amount").isString()).isTrue();
		assertThat(movement.get("amount").asString()).isEqualTo("50");
		assertThat(movement.get("user_id").asString()).isEqualTo(user);
		assertThat(movement.get("user_identifier").asString())
			.isEqualTo(this.client.get(brand, "/v1/members/" + user).text("wallet_address"));
		assertThat(movement.get("user_identifier_type").asString()).isEqualTo("evm_address");
		assertThat(movement.get("currency").get("name").asString()).isEqualTo("POINT");
		assertThat(movement.get("currency").get("decimals").asInt()).isZero();
		// Points have no token: no address or chain_id, not even null.
		assertThat(movement.get("currency").propertyNames()).containsExactly("name", "decimals");
		assertThat(movement.get("conversion_name").asString()).isEqualTo("custom_event");

		ApiResponse log = awaitDelivery(brand, hook, "succeeded");
		JsonNode logged = log.json().at("/data/0");
		assertThat(logged.get("delivery_id").asString()).isEqualTo(delivery.header("X-Idempotency-Key"));
		assertThat(logged.at("/attempts/0/status_code").asInt()).isEqualTo(200);
		assertThat(logged.at("/attempts/0/response_excerpt").asString()).isEqualTo("ok");
	}

	@Test
	void onchainCurrencyMovementsNameTheTokenAndItsChainWhenTheBrandGaveThem() throws Exception {
		TestBrand usdc = onchainBrand(Map.of("code", "USDC", "kind", "onchain-currency", "decimals", 6, "address",
				"0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913", "chain_id", "8453"));
		TestBrand chainOnly = onchainBrand(
				Map.of("code", "SOL", "kind", "onchain-currency", "decimals", 9, "chain_id", "solana:mainnet"));
		TestBrand bare = onchainBrand(Map.of("code", "TOKEN", "kind", "onchain-currency", "decimals", 2));
		String user = newUserId();
		for (TestBrand brand : List.of(usdc, chainOnly, bare)) {
			create(brand, this.receiver.url("/hook"), List.of("reward.earned"));
			ApiResponse event = this.client.event(brand, "custom_event", user);
			assertThat(event.status()).as(event.toString()).isEqualTo(200);
		}

		Map<String, JsonNode> byCurrency = new java.util.HashMap<>();
		for (Received received : this.receiver.await(3, WAIT)) {
			JsonNode body = ResonanceClient.MAPPER.readTree(received.body());
			assertThat(body.get("data")).isEqualTo(body.get("movement"));
			JsonNode currency = body.get("movement").get("currency");
			byCurrency.put(currency.get("name").asString(), body.get("movement"));
		}
		JsonNode paid = byCurrency.get("USDC");
		assertThat(paid.get("type").asString()).isEqualTo("onchain-currency");
		assertThat(paid.get("amount").asString()).isEqualTo("25");
		assertThat(ResonanceClient.MAPPER.writeValueAsString(paid.get("currency"))).isEqualTo(
				"{\"name\":\"USDC\",\"decimals\":6,\"address\":\"0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913\",\"chain_id\":\"8453\"}");
		// What the brand did not give is left out, not sent as null.
		assertThat(byCurrency.get("SOL").get("currency").propertyNames()).containsExactly("name", "decimals",
				"chain_id");
		assertThat(byCurrency.get("SOL").get("currency").get("chain_id").asString()).isEqualTo("solana:mainnet");
		assertThat(byCurrency.get("TOKEN").get("currency").propertyNames()).containsExactly("name", "decimals");
		assertNothingMoreArrives(3);
	}

	@Test
	void aTokenDescribedAfterTheBrandWasCreatedIsInTheNextMovements() throws Exception {
		TestBrand brand = onchainBrand(Map.of("code", "USDC", "kind", "onchain-currency", "decimals", 6));
		create(brand, this.receiver.url("/hook"), List.of("reward.earned"));
		assertThat(this.client.event(brand, "custom_event", newUserId()).status()).isEqualTo(200);
		JsonNode before = movement(this.receiver.await(1, WAIT).getFirst());
		assertThat(before.get("currency").propertyNames()).containsExactly("name", "decimals");

		ApiResponse described = this.client.api(brand, "PATCH", "/v1/wallet/currencies/USDC",
				"{\"address\":\"0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913\",\"chain_id\":\"8453\"}");
		assertThat(described.status()).as(described.toString()).isEqualTo(200);
		assertThat(this.client.event(brand, "custom_event", newUserId()).status()).isEqualTo(200);
		JsonNode after = movement(this.receiver.await(2, WAIT).getLast());
		assertThat(ResonanceClient.MAPPER.writeValueAsString(after.get("currency"))).isEqualTo(
				"{\"name\":\"USDC\",\"decimals\":6,\"address\":\"0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913\",\"chain_id\":\"8453\"}");
		assertNothingMoreArrives(2);
	}

	/** A funded brand of {@code currency} whose custom_event pays 25. */
	private TestBrand onchainBrand(Map<String, Object> currency) {
		TestBrand brand = this.client
			.createBrand(Map.of("name", "Onchain brand", "rate_limit_per_minute", 100_000, "currency", currency));
		this.client.fund(brand, 1_000);
		this.client.eventType(brand, "custom_event", Map.of("enabled", true, "amount", 25));
		return brand;
	}

	@Test
	void rejectedAndPendingMovementsAreDeliveredToo() throws Exception {
		TestBrand brand = brandWith(25, "custom_event", Map.of("amount", 10, "cooldown_seconds", 3600));
		this.client.eventType(brand, "daily_checkin", Map.of("enabled", true, "amount", 10, "daily_limit", 1));
		create(brand, this.receiver.url("/hook"), null);
		String user = newUserId();
		assertThat(this.client.event(brand, "custom_event", user).status()).isEqualTo(200);
		assertThat(this.client.event(brand, "daily_checkin", user).status()).isEqualTo(200);
		assertThat(this.client.event(brand, "daily_checkin", user).text("status")).isEqualTo("pending");
		assertThat(this.client.event(brand, "custom_event", newUserId()).errorCode()).isEqualTo("INSUFFICIENT_BALANCE");
		// An event in cooldown was never due: not a movement.
		assertThat(this.client.event(brand, "custom_event", user).errorCode()).isEqualTo("COOLDOWN_ACTIVE");

		List<Received> received = this.receiver.await(4, WAIT);
		List<String> statuses = received.stream().map((r) -> movement(r).get("status").asString()).sorted().toList();
		assertThat(statuses).containsExactly("accepted", "accepted", "pending", "rejected");
		JsonNode rejected = received.stream()
			.map(WebhookDeliveryIntegrationTests::movement)
			.filter((m) -> m.get("status").asString().equals("rejected"))
			.findFirst()
			.orElseThrow();
		assertThat(rejected.get("status_details").asString()).isEqualTo("INSUFFICIENT_BALANCE");
		JsonNode pending = received.stream()
			.map(WebhookDeliveryIntegrationTests::movement)
			.filter((m) -> m.get("status").asString().equals("pending"))
			.findFirst()
			.orElseThrow();
		assertThat(pending.get("status_details").asString()).isEqualTo("DAILY_LIMIT_REACHED");
		assertNothingMoreArrives(4);
	}

	@Test
	void movementsNameTheMemberByTheirWalletElseTheirNetworkWallet() throws Exception {
		TestBrand brand = brandWith(10_000, "custom_event", Map.of());
		create(brand, this.receiver.url("/hook"), List.of("reward.earned"));
		String withWallet = newUserId();
		String withEmail = newUserId();
		this.client.api(brand, "POST", "/v1/members/" + withWallet + "/identities",
				"{\"kind\":\"xrpl_address\",\"value\":\"rHb9CJAWyB4rj91VRWn96DkukG4bwdtyTh\"}");
		this.client.api(brand, "POST", "/v1/members/" + withEmail + "/identities",
				"{\"kind\":\"email\",\"value\":\"fan@Example.com\"}");
		this.client.event(brand, "custom_event", withWallet);
		this.client.event(brand, "custom_event", withEmail);
		this.client.event(brand, "custom_event", newUserId());
		Map<String, JsonNode> byUser = new java.util.HashMap<>();
		this.receiver.await(3, WAIT).forEach((r) -> byUser.put(movement(r).get("user_id").asString(), movement(r)));
		assertThat(byUser.get(withWallet).get("user_identifier").asString())
			.isEqualTo("rHb9CJAWyB4rj91VRWn96DkukG4bwdtyTh");
		assertThat(byUser.get(withWallet).get("user_identifier_type").asString()).isEqualTo("xrpl_address");
		// An email is not a wallet: the member is named by their network wallet.
		assertThat(byUser.get(withEmail).get("user_identifier").asString())
			.isEqualTo(this.client.get(brand, "/v1/members/" + withEmail).text("wallet_address"));
		assertThat(byUser.get(withEmail).get("user_identifier_type").asString()).isEqualTo("evm_address");
		assertThat(byUser.values())
			.filteredOn((m) -> !m.get("user_id").asString().equals(withWallet)
					&& !m.get("user_id").asString().equals(withEmail))
			.singleElement()
			.satisfies((m) -> assertThat(m.get("user_identifier").asString()).matches("0x[0-9a-fA-F]{40}"));
	}

	@Test
	void failedAttemptsAreRetriedOnTheSchedule() {
		TestBrand brand = brandWith(10_000, "custom_event", Map.of());
		Created hook = create(brand, this.receiver.url("/flaky"), null);
		this.receiver.thenAnswer(500, 503);
		this.clock.freeze();
		this.client.event(brand, "custom_event", newUserId());

		Received first = this.receiver.await(1, WAIT).getFirst();
		JsonNode pending = awaitDelivery(brand, hook, "pending").json().at("/data/0");
		Instant firstTry = Instant.parse(pending.at("/attempts/0/started_at").asString());
		Instant second = Instant.parse(pending.get("next_attempt_at").asString());
		// 30 s, give or take the 10% jitter.
		assertThat(Duration.between(firstTry, second).toMillis()).isCloseTo(30_000, within(3_000L));
		assertThat(pending.at("/attempts/0/status_code").asInt()).isEqualTo(500);
		// A delivery still being retried cannot be re-queued by hand.
		ApiResponse requeue = this.client.api(brand, "POST",
				"/v1/webhooks/" + hook.id() + "/deliveries/" + pending.get("delivery_id").asString() + "/retry", null);
		assertThat(requeue.status()).as(requeue.toString()).isEqualTo(409);
		assertThat(requeue.problemCode()).isEqualTo("delivery_in_progress");

		// Not a moment before it is due.
		this.clock.advance(Duration.ofSeconds(26));
		this.worker.wakeUp();
		assertNothingMoreArrives(1);

		this.clock.advance(Duration.ofSeconds(8));
		this.worker.wakeUp();
		Received retry = this.receiver.await(2, WAIT).get(1);
		assertThat(retry.attempt()).isEqualTo(2);
		assertThat(retry.header("X-Idempotency-Key")).isEqualTo(first.header("X-Idempotency-Key"));
		assertThat(retry.header("webhook-id")).isEqualTo(first.header("webhook-id"));
		assertThat(retry.text()).isEqualTo(first.text());

		JsonNode again = awaitAttempts(brand, hook, 2).json().at("/data/0");
		Instant secondTry = Instant.parse(again.at("/attempts/1/started_at").asString());
		Instant third = Instant.parse(again.get("next_attempt_at").asString());
		assertThat(Duration.between(secondTry, third).toMillis()).isCloseTo(60_000, within(6_000L));

		this.clock.advance(Duration.ofSeconds(67));
		this.worker.wakeUp();
		assertThat(this.receiver.await(3, WAIT).get(2).attempt()).isEqualTo(3);
		JsonNode done = awaitDelivery(brand, hook, "succeeded").json().at("/data/0");
		assertThat(done.get("attempt_count").asInt()).isEqualTo(3);
		assertThat(done.get("attempts").findValues("status_code").stream().map(JsonNode::asInt)).containsExactly(500,
				503, 200);
	}

	@Test
	void afterFiveFailedAttemptsADeliveryIsDeadUntilRequeued() {
		TestBrand brand = brandWith(10_000, "custom_event", Map.of());
		Created hook = create(brand, this.receiver.url("/down"), null);
		this.receiver.always(Answer.status(500));
		this.clock.freeze();
		this.client.event(brand, "custom_event", newUserId());
		for (int attempt = 1; attempt <= 5; attempt++) {
			assertThat(this.receiver.await(attempt, WAIT).get(attempt - 1).attempt()).isEqualTo(attempt);
			awaitAttempts(brand, hook, attempt);
			this.clock.advance(Duration.ofMinutes(5));
			this.worker.wakeUp();
		}
		JsonNode dead = awaitDelivery(brand, hook, "dead").json().at("/data/0");
		assertThat(dead.get("attempts")).hasSize(5);
		assertThat(dead.get("next_attempt_at").isNull()).isTrue();
		this.clock.advance(Duration.ofHours(1));
		this.worker.wakeUp();
		assertNothingMoreArrives(5);

		// The endpoint is fixed: re-queue the dead delivery.
		this.receiver.always(Answer.status(204));
		ApiResponse retry = this.client.api(brand, "POST",
				"/v1/webhooks/" + hook.id() + "/deliveries/" + dead.get("delivery_id").asString() + "/retry", null);
		assertThat(retry.status()).as(retry.toString()).isEqualTo(202);
		Received sixth = this.receiver.await(6, WAIT).get(5);
		assertThat(sixth.attempt()).isEqualTo(6);
		assertThat(sixth.header("X-Idempotency-Key")).isEqualTo(dead.get("delivery_id").asString());
		awaitDelivery(brand, hook, "succeeded");
	}

	@Test
	void recoverRequeuesEveryDeadDeliverySinceATime() {
		TestBrand brand = brandWith(10_000, "custom_event", Map.of());
		Created hook = create(brand, this.receiver.url("/down"), null);
		this.receiver.always(Answer.status(500));
		Instant start = this.clock.freeze();
		for (int i = 0; i < 3; i++) {
			this.client.event(brand, "custom_event", newUserId());
		}
		for (int round = 1; round <= 5; round++) {
			this.receiver.await(3 * round, WAIT);
			awaitCount(brand, hook, (round < 5) ? "pending" : "dead", 3, round);
			this.clock.advance(Duration.ofMinutes(5));
			this.worker.wakeUp();
		}
		this.receiver.always(Answer.status(200));
		ApiResponse recovered = this.client.api(brand, "POST", "/v1/webhooks/" + hook.id() + "/recover",
				"{\"since\":\"" + start.minusSeconds(1) + "\"}");
		assertThat(recovered.status()).as(recovered.toString()).isEqualTo(202);
		assertThat(recovered.json().get("requeued").asInt()).isEqualTo(3);
		this.receiver.await(18, WAIT);
		awaitCount(brand, hook, "succeeded", 3, 6);

		ApiResponse bad = this.client.api(brand, "POST", "/v1/webhooks/" + hook.id() + "/recover",
				"{\"since\":\"yesterday\"}");
		assertThat(bad.status()).isEqualTo(400);
	}

	@Test
	void aPausedEndpointReceivesEverythingOnResume() {
		TestBrand brand = brandWith(10_000, "custom_event", Map.of());
		Created hook = create(brand, this.receiver.url("/paused"), null);
		ApiResponse paused = this.client.api(brand, "POST", "/v1/webhooks/" + hook.id() + "/pause", null);
		assertThat(paused.status()).as(paused.toString()).isEqualTo(200);
		assertThat(paused.json().get("paused").asBoolean()).isTrue();
		for (int i = 0; i < 5; i++) {
			this.client.event(brand, "custom_event", newUserId());
		}
		this.worker.wakeUp();
		assertNothingMoreArrives(0);
		ApiResponse held = this.client.get(brand, "/v1/webhooks/" + hook.id() + "/deliveries?status=held");
		assertThat(held.json().get("data")).hasSize(5);
		// The docs write the states in capitals (DEAD): the filter takes either.
		assertThat(this.client.get(brand, "/v1/webhooks/" + hook.id() + "/deliveries?status=HELD").json().get("data"))
			.hasSize(5);

		ApiResponse resumed = this.client.api(brand, "POST", "/v1/webhooks/" + hook.id() + "/resume", null);
		assertThat(resumed.status()).as(resumed.toString()).isEqualTo(200);
		List<Received> received = this.receiver.await(5, WAIT);
		assertThat(received).extracting((r) -> r.header("webhook-id")).doesNotHaveDuplicates();
		assertThat(received).allSatisfy((r) -> assertThat(r.attempt()).isEqualTo(1));
	}

	@Test
	void goneDisablesTheEndpointAndTellsTheBrand() throws Exception {
		TestBrand brand = brandWith(10_000, "custom_event", Map.of());
		Created gone = create(brand, this.receiver.url("/gone"), null);
		create(brand, this.receiver.url("/ops"), List.of("webhook.disabled"));
		this.receiver.thenAnswer(410);
		this.client.event(brand, "custom_event", newUserId());

		Received notice = this.receiver.await(1, (r) -> r.path().equals("/ops"), WAIT).getFirst();
		assertThat(notice.header("X-Event")).isEqualTo("webhook.disabled");
		JsonNode data = ResonanceClient.MAPPER.readTree(notice.body()).get("data");
		assertThat(data.get("webhookId").asString()).isEqualTo(gone.id());
		assertThat(data.get("reason").asString()).contains("410");

		ApiResponse endpoint = this.client.get(brand, "/v1/webhooks/" + gone.id());
		assertThat(endpoint.json().get("enabled").asBoolean()).isFalse();
		assertThat(endpoint.json().get("disabled_reason").asString()).contains("410");

		// The message that was answered 410 is held, not dead: nothing is lost.
		String first = this.receiver.received((r) -> r.path().equals("/gone")).getFirst().header("webhook-id");
		ApiResponse held = this.client.get(brand, "/v1/webhooks/" + gone.id() + "/deliveries?status=held");
		assertThat(held.json().get("data")).hasSize(1);
		assertThat(held.json().at("/data/0/event").asString()).isEqualTo("reward.earned");
		assertThat(held.json().at("/data/0/attempts/0/status_code").asInt()).isEqualTo(410);

		// Nothing more goes to it; re-enabling it sends what was held, the first message
		// included.
		this.client.event(brand, "custom_event", newUserId());
		assertNothingMoreArrives(2);
		ApiResponse enabled = this.client.api(brand, "PATCH", "/v1/webhooks/" + gone.id(), "{\"enabled\":true}");
		assertThat(enabled.status()).as(enabled.toString()).isEqualTo(200);
		// The first reward (answered 410, then held) and the second: both sent now. The
		// notice of its disabling went to the other endpoint only.
		List<Received> sent = this.receiver.await(3, (r) -> r.path().equals("/gone"), WAIT);
		assertThat(sent).extracting((r) -> r.header("webhook-id")).filteredOn(first::equals).hasSize(2);
		assertNothingMoreArrives(4);
		assertThat(this.receiver.received((r) -> r.path().equals("/gone")))
			.noneMatch((r) -> "webhook.disabled".equals(r.header("X-Event")));
		assertThat(this.client.get(brand, "/v1/webhooks/" + gone.id() + "/deliveries?status=dead").json().get("data"))
			.isEmpty();
	}

	@Test
	void retryAfterIsHonoured() {
		TestBrand brand = brandWith(10_000, "custom_event", Map.of());
		Created hook = create(brand, this.receiver.url("/busy"), null);
		this.receiver.thenAnswer(new Answer(429, Map.of("Retry-After", "600"), "slow down", Duration.ZERO));
		this.clock.freeze();
		this.client.event(brand, "custom_event", newUserId());
		this.receiver.await(1, WAIT);
		JsonNode pending = awaitDelivery(brand, hook, "pending").json().at("/data/0");
		Instant tried = Instant.parse(pending.at("/attempts/0/started_at").asString());
		Instant next = Instant.parse(pending.get("next_attempt_at").asString());
		assertThat(Duration.between(tried, next)).isGreaterThanOrEqualTo(Duration.ofSeconds(600));
		assertThat(pending.at("/attempts/0/response_excerpt").asString()).isEqualTo("slow down");
		this.clock.advance(Duration.ofSeconds(601));
		this.worker.wakeUp();
		this.receiver.await(2, WAIT);
	}

	@Test
	void theTestButtonSendsTheCatalogueExampleThroughThePipeline() throws Exception {
		TestBrand brand = this.client.createBrand();
		Created hook = create(brand, this.receiver.url("/test"), List.of("duel.finish"));
		ApiResponse sent = this.client.api(brand, "POST", "/v1/webhooks/" + hook.id() + "/test",
				"{\"event\":\"duel.finish\"}");
		assertThat(sent.status()).as(sent.toString()).isEqualTo(202);
		Received received = this.receiver.await(1, WAIT).getFirst();
		assertThat(received.header("X-Event")).isEqualTo("duel.finish");
		assertThat(received.header("X-Signature")).isEqualTo(seedSignature(hook.secret(), received.body()));

		JsonNode example = catalogueExample(brand, "duel.finish");
		JsonNode body = ResonanceClient.MAPPER.readTree(received.body());
		assertThat(body.get("data")).isEqualTo(example.get("data"));
		assertThat(body.get("guildId")).isEqualTo(example.get("guildId"));
		awaitDelivery(brand, hook, "succeeded");

		ApiResponse unknown = this.client.api(brand, "POST", "/v1/webhooks/" + hook.id() + "/test",
				"{\"event\":\"nope.never\"}");
		assertThat(unknown.status()).as(unknown.toString()).isEqualTo(400);
	}

	@Test
	void balanceChangesAboveTheBrandsThresholdAreDelivered() throws Exception {
		TestBrand brand = brandWith(10_000, "custom_event", Map.of("max_amount", 1_000));
		create(brand, this.receiver.url("/balance"), List.of("balance.change"));
		ApiResponse settings = this.client.api(brand, "PUT", "/v1/webhook-settings",
				"{\"balance_change_threshold\":100}");
		assertThat(settings.status()).as(settings.toString()).isEqualTo(200);
		String user = newUserId();
		this.client.event(brand, Map.of("event_type", "custom_event", "user_id", user, "server_id", "1", "amount", 60));
		this.client.event(brand,
				Map.of("event_type", "custom_event", "user_id", user, "server_id", "1", "amount", 150));
		Received change = this.receiver.await(1, WAIT).getFirst();
		JsonNode message = ResonanceClient.MAPPER.readTree(change.body());
		assertThat(message.get("guildId").asString()).isEqualTo("1");
		JsonNode data = message.get("data");
		assertThat(data.get("userId").asString()).isEqualTo(user);
		assertThat(data.get("reason").asString()).isEqualTo("REWARD");
		assertThat(data.get("delta").asString()).isEqualTo("+150");
		assertThat(data.get("newBalance").asString()).isEqualTo("210");
		assertNothingMoreArrives(1);
	}

	@Test
	void rotatedSecretsSignAlongsideTheNewOneDuringTheGracePeriod() throws Exception {
		TestBrand brand = this.client.createBrand();
		Created hook = create(brand, this.receiver.url("/rotate"), null);
		ApiResponse rotated = this.client.api(brand, "POST", "/v1/webhooks/" + hook.id() + "/rotate-secret",
				"{\"grace_period_seconds\":3600}");
		assertThat(rotated.status()).as(rotated.toString()).isEqualTo(200);
		String next = rotated.text("secret");
		assertThat(next).startsWith("whsec_").isNotEqualTo(hook.secret());
		this.client.api(brand, "POST", "/v1/webhooks/" + hook.id() + "/test", "{\"event\":\"member.join\"}");
		Received received = this.receiver.await(1, WAIT).getFirst();
		assertThat(received.header("X-Signature")).isEqualTo(seedSignature(next, received.body()));
		long timestamp = Long.parseLong(received.header("webhook-timestamp"));
		List<String> signatures = List.of(received.header("webhook-signature").split(" "));
		assertThat(signatures).containsExactlyInAnyOrder(
				new Webhook(next).sign(received.header("webhook-id"), timestamp, received.text()),
				new Webhook(hook.secret()).sign(received.header("webhook-id"), timestamp, received.text()));
	}

	@Test
	void endpointsOnPrivateNetworksAreRefused() {
		TestBrand brand = this.client.createBrand();
		for (String url : List.of("http://10.0.0.1/hook", "http://169.254.169.254/latest/meta-data",
				"http://192.168.1.10/", "http://[::1]/hook", "http://0.0.0.0/", "ftp://example.com/x", "not a url",
				"http://user:pass@127.0.0.1/x")) {
			ApiResponse response = this.client.api(brand, "POST", "/v1/webhooks",
					ResonanceClient.json(Map.of("url", url)));
			assertThat(response.status()).as(url + " " + response).isEqualTo(400);
			assertThat(response.problemCode()).isEqualTo("invalid_request");
		}
	}

	@Test
	void receiversThatAnswerWithGarbageAreRecordedSafely() {
		TestBrand brand = brandWith(10_000, "custom_event", Map.of());
		Created hook = create(brand, this.receiver.url("/garbage"), null);
		this.receiver.always(new Answer(500, Map.of(), "nul\u0000byte \ud800 " + "x".repeat(200_000), Duration.ZERO));
		this.client.event(brand, "custom_event", newUserId());
		this.receiver.await(1, WAIT);
		JsonNode pending = awaitDelivery(brand, hook, "pending").json().at("/data/0");
		String excerpt = pending.at("/attempts/0/response_excerpt").asString();
		assertThat(excerpt).startsWith("nul").doesNotContain("\u0000").hasSizeLessThanOrEqualTo(1_000);
	}

	@Test
	void aSlowEndpointCannotHoldUpTheOthers() {
		TestBrand slowBrand = brandWith(10_000, "custom_event", Map.of());
		TestBrand fastBrand = brandWith(10_000, "custom_event", Map.of());
		try (WebhookReceiver slow = WebhookReceiver.start()) {
			slow.always(new Answer(200, Map.of(), "", Duration.ofMillis(1_500)));
			create(slowBrand, slow.url("/slow"), null);
			create(fastBrand, this.receiver.url("/fast"), null);
			Race.run(60, (i) -> this.client.event(slowBrand, "custom_event", newUserId()));
			slow.await(16, Duration.ofSeconds(20));
			for (int i = 0; i < 5; i++) {
				this.client.event(fastBrand, "custom_event", newUserId());
			}
			this.receiver.await(5, WAIT);
			assertThat(slow.received()).as("the slow endpoint's backlog").hasSizeLessThan(60);
			slow.await(60, Duration.ofSeconds(60));
			assertThat(slow.mostConcurrent()).as("deliveries in flight to one endpoint").isBetween(2, 16);
		}
	}

	@Test
	void anEndpointFailingForDaysIsDisabledAndTheBrandIsTold() throws Exception {
		TestBrand brand = brandWith(10_000, "custom_event", Map.of());
		Created failing = create(brand, this.receiver.url("/failing"), null);
		create(brand, this.receiver.url("/ops"), List.of("webhook.disabled"));
		this.receiver.always(Answer.status(200));
		try (WebhookReceiver broken = WebhookReceiver.start()) {
			broken.always(Answer.status(502));
			ApiResponse moved = this.client.api(brand, "PATCH", "/v1/webhooks/" + failing.id(),
					ResonanceClient.json(Map.of("url", broken.url("/failing"))));
			assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
			this.clock.freeze();
			this.client.event(brand, "custom_event", newUserId());
			broken.await(1, WAIT);
			awaitAttempts(brand, failing, 1);
			ApiResponse failingSince = this.client.get(brand, "/v1/webhooks/" + failing.id());
			assertThat(failingSince.json().get("failing_since").isNull()).isFalse();
			assertThat(failingSince.json().get("enabled").asBoolean()).isTrue();

			this.clock.advance(Duration.ofDays(5).plusMinutes(1));
			this.client.event(brand, "custom_event", newUserId());
			Received notice = this.receiver.await(1, (r) -> r.path().equals("/ops"), WAIT).getFirst();
			JsonNode data = ResonanceClient.MAPPER.readTree(notice.body()).get("data");
			assertThat(data.get("webhookId").asString()).isEqualTo(failing.id());
			ApiResponse disabled = this.client.get(brand, "/v1/webhooks/" + failing.id());
			assertThat(disabled.json().get("enabled").asBoolean()).isFalse();
			assertThat(disabled.json().get("disabled_reason").asString()).contains("failed");
		}
	}

	// ---- helpers

	record Created(String id, String secret) {
	}

	private Created create(TestBrand brand, String url, List<String> events) {
		Map<String, Object> body = new java.util.HashMap<>();
		body.put("url", url);
		if (events != null) {
			body.put("event_types", events);
		}
		ApiResponse response = this.client.api(brand, "POST", "/v1/webhooks", ResonanceClient.json(body));
		assertThat(response.status()).as(response.toString()).isEqualTo(201);
		this.created.add(Map.entry(brand, response.text("id")));
		return new Created(response.text("id"), response.text("secret"));
	}

	private ApiResponse awaitDelivery(TestBrand brand, Created hook, String status) {
		return awaitCount(brand, hook, status, 1, 0);
	}

	/**
	 * Waits until {@code count} deliveries have {@code status} and at least
	 * {@code attempts} attempts.
	 */
	private ApiResponse awaitCount(TestBrand brand, Created hook, String status, int count, int attempts) {
		return Awaitility.await()
			.atMost(WAIT)
			.pollInterval(Duration.ofMillis(20))
			.alias(count + " " + status + " deliveries")
			.until(() -> this.client.get(brand, "/v1/webhooks/" + hook.id() + "/deliveries?status=" + status),
					(response) -> {
						JsonNode data = response.json().get("data");
						return data != null && data.size() >= count && attemptsOfAll(data) >= attempts;
					});
	}

	private static int attemptsOfAll(JsonNode deliveries) {
		int least = Integer.MAX_VALUE;
		for (JsonNode delivery : deliveries) {
			least = Math.min(least, delivery.get("attempts").size());
		}
		return least;
	}

	private ApiResponse awaitAttempts(TestBrand brand, Created hook, int attempts) {
		return Deliveries.awaitAttempts(this.client, brand, hook.id(), attempts, WAIT);
	}

	private void assertNothingMoreArrives(int count) {
		Deliveries.assertNothingMoreArrives(this.worker, this.receiver, count, WAIT);
	}

	private JsonNode catalogueExample(TestBrand brand, String event) {
		return Deliveries.catalogueExample(this.client, brand, event);
	}

	private static JsonNode movement(Received received) {
		return ResonanceClient.MAPPER.readTree(received.body()).get("movement");
	}

	/** The seed's verifier: {@code sha256=} + hex HMAC-SHA256 of the raw body. */
	static String seedSignature(String secret, byte[] body) throws Exception {
		Mac mac = Mac.getInstance("HmacSHA256");
		mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
		return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
	}

}
