package bot.resonance.webhooks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import bot.resonance.platform.load.DeliveryLag;
import bot.resonance.support.ApiResponse;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.Race;
import bot.resonance.support.ResonanceClient;
import bot.resonance.support.TestBrand;
import bot.resonance.support.WebhookReceiver;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Events arriving faster than a node can deliver the webhooks they cause: the node's
 * dispatcher tells how far behind the brand's deliveries are, and the brand's new events
 * are held back while that is more than
 * {@code resonance.rewards.yield-to-deliveries-after}. Nothing is lost either way.
 *
 * <p>
 * One node takes the events and sends the deliveries, and sends at most one at a time, to
 * a receiver that answers fast: the deliveries fall behind because of the node, not the
 * receiver. The shared node's worker is stopped meanwhile.
 */
@IntegrationTest
class DeliveryLagIntegrationTests extends SendingNodeTestSupport {

	@Override
	String[] sendingNodeSettings() {
		return new String[] { "resonance.webhooks.max-in-flight=1", "resonance.webhooks.max-in-flight-per-brand=1",
				"resonance.rewards.yield-to-deliveries-after=50ms", "resonance.rewards.max-yield=200ms" };
	}

	@Test
	void eventsYieldToDeliveriesThatFellBehindAndEveryDeliveryArrives() {
		TestBrand brand = brandWith(1_000_000, "custom_event", Map.of());
		ResonanceClient nodeClient = new ResonanceClient(this.node.port());
		MeterRegistry meters = this.node.bean(MeterRegistry.class);
		try (WebhookReceiver receiver = WebhookReceiver.start()) {
			receiver.always(new WebhookReceiver.Answer(200, Map.of(), "", Duration.ofMillis(10)));
			ApiResponse created = nodeClient.api(brand, "POST", "/v1/webhooks",
					ResonanceClient.json(Map.of("url", receiver.url("/hook"))));
			assertThat(created.status()).as(created.toString()).isEqualTo(201);

			List<ApiResponse> events = Race.run(8, (client) -> {
				List<ApiResponse> sent = new ArrayList<>();
				for (int i = 0; i < 20; i++) {
					sent.add(nodeClient.event(brand, "custom_event", newUserId()));
				}
				return sent;
			}).stream().flatMap(List::stream).toList();

			assertThat(events).allSatisfy((e) -> assertThat(e.status()).as(e.toString()).isEqualTo(200));
			assertThat(meters.timer("resonance.ingest.yields").count()).as("events held back for the deliveries")
				.isPositive();
			receiver.await(160, Duration.ofSeconds(60));
			Awaitility.await()
				.atMost(Duration.ofSeconds(10))
				.until(() -> this.node.bean(DeliveryLag.class).current(brand.brandId()).isZero());
		}
	}

}
