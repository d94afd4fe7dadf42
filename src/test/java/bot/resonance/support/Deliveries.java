package bot.resonance.support;

import java.time.Duration;

import org.awaitility.Awaitility;
import tools.jackson.databind.JsonNode;

import bot.resonance.webhooks.internal.DeliveryWorker;

import static org.assertj.core.api.Assertions.assertThat;

/** Waiting for and reading outgoing webhook deliveries in tests, over the API. */
public final class Deliveries {

	private Deliveries() {
	}

	/**
	 * Waits until the webhook's newest delivery has {@code attempts} attempts and is not
	 * being sent; answers its deliveries.
	 */
	public static ApiResponse awaitAttempts(ResonanceClient client, TestBrand brand, String webhookId, int attempts,
			Duration wait) {
		return Awaitility.await()
			.atMost(wait)
			.pollInterval(Duration.ofMillis(20))
			.alias(attempts + " recorded attempts")
			.until(() -> client.get(brand, "/v1/webhooks/" + webhookId + "/deliveries"), (response) -> {
				JsonNode first = response.json().at("/data/0");
				return !first.isMissingNode() && first.get("attempts").size() >= attempts
						&& !first.get("status").asString().equals("sending");
			});
	}

	/**
	 * Nothing beyond {@code count} requests arrives, although the dispatcher looked for
	 * due deliveries twice more after the last one arrived (and its sends had time to
	 * land: each look waits for the sends it started).
	 */
	public static void assertNothingMoreArrives(DeliveryWorker worker, WebhookReceiver receiver, int count,
			Duration wait) {
		long rounds = worker.claimRounds();
		Awaitility.await().atMost(wait).until(() -> {
			worker.wakeUp();
			return worker.claimRounds() >= rounds + 2;
		});
		Awaitility.await().during(Duration.ofMillis(200)).atMost(wait).until(() -> receiver.received().size() == count);
		assertThat(receiver.received()).hasSize(count);
	}

	/** The example the webhook event catalogue gives for {@code event}. */
	public static JsonNode catalogueExample(ResonanceClient client, TestBrand brand, String event) {
		for (JsonNode entry : client.get(brand, "/v1/webhook-events").json().get("data")) {
			if (entry.get("name").asString().equals(event)) {
				return entry.get("example");
			}
		}
		throw new AssertionError("No " + event + " in the catalogue");
	}

}
