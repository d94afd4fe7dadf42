package bot.resonance.webhooks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import bot.resonance.support.ApiResponse;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.IntegrationTestSupport;
import bot.resonance.support.MutableClock;
import bot.resonance.support.NodeProcess;
import bot.resonance.support.Race;
import bot.resonance.support.ResonanceClient;
import bot.resonance.support.SecondNode;
import bot.resonance.support.TestBrand;
import bot.resonance.support.WebhookReceiver;
import bot.resonance.support.WebhookReceiver.Answer;
import bot.resonance.support.WebhookReceiver.Received;
import bot.resonance.webhooks.internal.DeliveryWorker;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Webhook delivery with several nodes on one database: every node's workers send, yet
 * each message reaches an endpoint once; a node killed mid-delivery loses nothing.
 */
@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookClusterIntegrationTests extends IntegrationTestSupport {

	@Autowired
	Environment environment;

	@Autowired
	MutableClock sharedClock;

	@Autowired
	DeliveryWorker worker;

	SecondNode second;

	ResonanceClient secondClient;

	@BeforeAll
	void startSecondNode() {
		this.second = SecondNode.start(this.environment, this.sharedClock);
		this.secondClient = new ResonanceClient(this.second.port());
	}

	@AfterAll
	void stopSecondNode() {
		this.second.close();
	}

	@Test
	void twoNodesDeliverEachMessageOnce() throws Exception {
		TestBrand brand = brandWith(1_000_000, "custom_event", Map.of());
		try (WebhookReceiver receiver = WebhookReceiver.start()) {
			for (String path : List.of("/a", "/b")) {
				ApiResponse created = this.client.api(brand, "POST", "/v1/webhooks",
						ResonanceClient.json(Map.of("url", receiver.url(path))));
				assertThat(created.status()).as(created.toString()).isEqualTo(201);
			}
			List<ApiResponse> events = Race.run(200,
					(i) -> ((i % 2 == 0) ? this.client : this.secondClient).event(brand, "custom_event", newUserId()));
			assertThat(events).allSatisfy((e) -> assertThat(e.status()).as(e.toString()).isEqualTo(200));

			receiver.await(400, Duration.ofSeconds(60));
			// Both nodes look for due deliveries twice more: still no second copy
			// arrives.
			DeliveryWorker secondWorker = this.second.bean(DeliveryWorker.class);
			long rounds = this.worker.claimRounds();
			long secondRounds = secondWorker.claimRounds();
			Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
				this.worker.wakeUp();
				secondWorker.wakeUp();
				return this.worker.claimRounds() >= rounds + 2 && secondWorker.claimRounds() >= secondRounds + 2;
			});
			List<Received> received = receiver.received();
			assertThat(received).hasSize(400);
			Map<String, Long> perPath = received.stream()
				.collect(Collectors.groupingBy(Received::path, Collectors.counting()));
			assertThat(perPath).containsEntry("/a", 200L).containsEntry("/b", 200L);
			assertThat(received.stream().map((r) -> r.path() + r.header("webhook-id")).distinct()).hasSize(400);
			assertThat(received).allSatisfy((r) -> assertThat(r.attempt()).isEqualTo(1));
			for (ApiResponse hook : this.client.get(brand, "/v1/webhooks")
				.json()
				.get("data")
				.valueStream()
				.map((n) -> this.client.api(brand, "DELETE", "/v1/webhooks/" + n.get("id").asString(), null))
				.toList()) {
				assertThat(hook.status()).isEqualTo(204);
			}
		}
	}

	@Test
	void aNodeKilledMidDeliveryLosesNothing() throws Exception {
		TestBrand brand = brandWith(10_000, "custom_event", Map.of());
		DeliveryWorker secondWorker = this.second.bean(DeliveryWorker.class);
		Path log = Files.createDirectories(Path.of("target", "node-process")).resolve("webhook-node.log");
		this.worker.stop();
		secondWorker.stop();
		try (WebhookReceiver receiver = WebhookReceiver.start();
				NodeProcess node = NodeProcess.start(this.environment, log,
						List.of("--resonance.webhooks.claim-timeout=2s"))) {
			// The first attempt hangs: the node is killed while it waits for the answer.
			receiver.thenAnswer(new Answer(200, Map.of(), "", Duration.ofSeconds(30)));
			ApiResponse created = this.client.api(brand, "POST", "/v1/webhooks",
					ResonanceClient.json(Map.of("url", receiver.url("/hook"))));
			String hook = created.text("id");
			ApiResponse event = new ResonanceClient(node.port()).event(brand, "custom_event", newUserId());
			assertThat(event.status()).as(event.toString()).isEqualTo(200);
			Received first = receiver.await(1, Duration.ofSeconds(30)).getFirst();
			node.kill();

			// The surviving nodes take the delivery over once the dead node's claim
			// lapses.
			this.worker.start();
			secondWorker.start();
			Received second = receiver.await(2, Duration.ofSeconds(30)).get(1);
			assertThat(second.header("X-Idempotency-Key")).isEqualTo(first.header("X-Idempotency-Key"));
			assertThat(second.header("webhook-id")).isEqualTo(first.header("webhook-id"));
			assertThat(second.attempt()).isEqualTo(2);
			assertThat(second.text()).isEqualTo(first.text());

			// Recorded as succeeded. The node process stamped the delivery with the real
			// time, which the shared test clock has left behind: the shared node's
			// webhook
			// pruner may take it for a month old and delete it once finished, so a
			// delivery
			// gone counts as finished too (the pruner deletes only finished ones).
			Awaitility.await()
				.atMost(Duration.ofSeconds(20))
				.alias("the delivery recorded as succeeded")
				.until(() -> this.client.get(brand, "/v1/webhooks/" + hook + "/deliveries")
					.json()
					.get("data")
					.valueStream()
					.allMatch((delivery) -> delivery.get("status").asString().equals("succeeded")));
			this.client.api(brand, "DELETE", "/v1/webhooks/" + hook, null);
		}
		finally {
			if (!this.worker.isRunning()) {
				this.worker.start();
			}
			if (!secondWorker.isRunning()) {
				secondWorker.start();
			}
		}
	}

}
