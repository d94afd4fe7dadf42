package bot.resonance.webhooks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import bot.resonance.support.ApiResponse;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.Race;
import bot.resonance.support.ResonanceClient;
import bot.resonance.support.Tarpit;
import bot.resonance.support.TestBrand;
import bot.resonance.support.WebhookReceiver;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One brand's endpoints cannot take a node's delivery capacity from the others: a brand
 * whose endpoints never answer (a tarpit) keeps at most its share of the node busy, and
 * the claim finds other brands' deliveries however many of its own are due before them.
 *
 * <p>
 * The deliveries are sent by one node whose capacity a single brand could fill: 8
 * deliveries in flight, at most 4 of them for one brand, and a request timeout far longer
 * than the test, so nothing the tarpit holds is released while the test runs. The shared
 * node's worker is stopped meanwhile.
 */
@IntegrationTest
class WebhookBrandIsolationIntegrationTests extends SendingNodeTestSupport {

	private static final int MAX_IN_FLIGHT = 8;

	private static final int PER_BRAND = 4;

	private static final Duration WAIT = Duration.ofSeconds(30);

	final List<Map.Entry<TestBrand, String>> created = new ArrayList<>();

	@Override
	String[] sendingNodeSettings() {
		return new String[] { "resonance.webhooks.max-in-flight=" + MAX_IN_FLIGHT,
				"resonance.webhooks.max-in-flight-per-brand=" + PER_BRAND, "resonance.webhooks.request-timeout=120s" };
	}

	@AfterEach
	void deleteEndpoints() {
		// Their deliveries are being recorded meanwhile (the tarpit's connections were
		// just dropped): deleting them still works.
		for (Map.Entry<TestBrand, String> hook : this.created) {
			ApiResponse deleted = this.client.api(hook.getKey(), "DELETE", "/v1/webhooks/" + hook.getValue(), null);
			assertThat(deleted.status()).as(deleted.toString()).isEqualTo(204);
		}
		this.created.clear();
	}

	@Test
	void aTarpitBrandCannotHoldUpAnotherBrandsDeliveries() {
		TestBrand tarpitBrand = brandWith(1_000_000, "custom_event", Map.of());
		TestBrand healthyBrand = brandWith(10_000, "custom_event", Map.of());
		try (Tarpit tarpit = Tarpit.start(); WebhookReceiver healthy = WebhookReceiver.start()) {
			// 5 endpoints × 220 events: more deliveries due before the healthy brand's
			// than the claim used to look at.
			for (int i = 0; i < 5; i++) {
				create(tarpitBrand, tarpit.url("/tarpit-" + i));
			}
			List<ApiResponse> events = Race.run(20, (client) -> {
				List<ApiResponse> sent = new ArrayList<>();
				for (int i = 0; i < 11; i++) {
					sent.add(this.client.event(tarpitBrand, "custom_event", newUserId()));
				}
				return sent;
			}).stream().flatMap(List::stream).toList();
			assertThat(events).allSatisfy((e) -> assertThat(e.status()).as(e.toString()).isEqualTo(200));
			await(() -> tarpit.open() >= PER_BRAND, "the tarpit holds the brand's share of the node");

			create(healthyBrand, healthy.url("/healthy"));
			for (int i = 0; i < 5; i++) {
				assertThat(this.client.event(healthyBrand, "custom_event", newUserId()).status()).isEqualTo(200);
			}

			// Everything reaches the healthy brand while the tarpit still holds every
			// connection it was given, and it was never given more than its share.
			healthy.await(5, WAIT);
			assertThat(tarpit.released()).as("connections the tarpit released").isZero();
			assertThat(tarpit.open()).as("connections the tarpit holds").isEqualTo(PER_BRAND);
			assertThat(tarpit.mostOpen()).as("the most connections the tarpit held").isEqualTo(PER_BRAND);
		}
	}

	private void create(TestBrand brand, String url) {
		ApiResponse response = this.client.api(brand, "POST", "/v1/webhooks", ResonanceClient.json(Map.of("url", url)));
		assertThat(response.status()).as(response.toString()).isEqualTo(201);
		this.created.add(Map.entry(brand, response.text("id")));
	}

	private static void await(BooleanSupplier condition, String what) {
		Awaitility.await(what).atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(condition::getAsBoolean);
	}

}
