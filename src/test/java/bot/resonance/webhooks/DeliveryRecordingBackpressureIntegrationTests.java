package bot.resonance.webhooks;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import bot.resonance.platform.load.DeliveryLag;
import bot.resonance.support.ApiResponse;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.ResonanceClient;
import bot.resonance.support.TestBrand;
import bot.resonance.support.WebhookReceiver;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node whose database cannot record the outcomes of its webhook attempts as fast as it
 * makes them stops sending until the recording catches up
 * ({@code resonance.webhooks.max-unrecorded}), rather than keeping ever more unrecorded
 * attempts in memory (each is sent again if the node dies before recording it). Here the
 * recording cannot proceed at all while a transaction holds the table of attempts; once
 * it ends, every delivery arrives, once, and is recorded as succeeded. While the node
 * waits, it keeps reporting the brand's deliveries as falling behind, so the brand's
 * events would yield to them.
 */
@IntegrationTest
class DeliveryRecordingBackpressureIntegrationTests extends SendingNodeTestSupport {

	// One send at a time: the writer takes the first outcome on its own and then waits
	// for the lock with it, so what it holds must count as unrecorded for the bound to
	// hold.
	private static final int MAX_IN_FLIGHT = 1;

	private static final int MAX_UNRECORDED = 4;

	private static final int EVENTS = 40;

	@Autowired
	DataSource dataSource;

	@Override
	String[] sendingNodeSettings() {
		// Events never held back here: the test sends them all first.
		return new String[] { "resonance.webhooks.max-in-flight=" + MAX_IN_FLIGHT,
				"resonance.webhooks.max-unrecorded=" + MAX_UNRECORDED,
				"resonance.rewards.yield-to-deliveries-after=0" };
	}

	@Test
	void sendingWaitsForTheRecordingOfOutcomesAndNothingIsLost() throws Exception {
		TestBrand brand = brandWith(1_000_000, "custom_event", Map.of());
		ResonanceClient nodeClient = new ResonanceClient(this.node.port());
		MeterRegistry meters = this.node.bean(MeterRegistry.class);
		try (WebhookReceiver receiver = WebhookReceiver.start()) {
			receiver.always(WebhookReceiver.Answer.status(200));
			ApiResponse created = nodeClient.api(brand, "POST", "/v1/webhooks",
					ResonanceClient.json(Map.of("url", receiver.url("/hook"))));
			assertThat(created.status()).as(created.toString()).isEqualTo(201);
			String hook = created.text("id");

			try (Connection holder = this.dataSource.getConnection()) {
				holder.setAutoCommit(false);
				try (Statement statement = holder.createStatement()) {
					// Recording an outcome inserts its attempt: it waits for this lock.
					statement.execute("lock table webhook_attempts in share mode");
				}
				for (int i = 0; i < EVENTS; i++) {
					ApiResponse event = nodeClient.event(brand, "custom_event", newUserId());
					assertThat(event.status()).as(event.toString()).isEqualTo(200);
				}
				receiver.await(1, Duration.ofSeconds(30));
				// At most what fits in the unrecorded attempts (one short of the bound
				// when the dispatcher looks), the one the writer is recording among
				// them, and the sends in flight then.
				int most = MAX_UNRECORDED - 1 + MAX_IN_FLIGHT;
				Awaitility.await()
					.during(Duration.ofSeconds(2))
					.atMost(Duration.ofSeconds(10))
					.until(() -> receiver.received().size() <= most);
				assertThat(meters.get("resonance.webhook.attempts.unrecorded").gauge().value())
					.isGreaterThanOrEqualTo(MAX_UNRECORDED);
				// Meanwhile the brand's deliveries are reported further and further
				// behind
				// (not stale, which would read as no lag and let its events run on).
				assertThat(this.node.bean(DeliveryLag.class).current(brand.brandId()))
					.isGreaterThanOrEqualTo(Duration.ofSeconds(1));
				holder.rollback();
			}

			List<WebhookReceiver.Received> received = receiver.await(EVENTS, Duration.ofSeconds(60));
			Set<String> ids = new HashSet<>();
			received.forEach((r) -> ids.add(r.header("webhook-id")));
			assertThat(ids).hasSize(EVENTS);
			Awaitility.await()
				.atMost(Duration.ofSeconds(30))
				.alias(EVENTS + " deliveries recorded as succeeded")
				.until(() -> nodeClient.get(brand, "/v1/webhooks/" + hook + "/deliveries?status=succeeded&limit=100")
					.json()
					.get("data")
					.size() == EVENTS);
			assertThat(receiver.received()).hasSize(EVENTS);
			assertThat(meters.get("resonance.webhook.attempts.unrecorded").gauge().value()).isZero();
		}
	}

}
