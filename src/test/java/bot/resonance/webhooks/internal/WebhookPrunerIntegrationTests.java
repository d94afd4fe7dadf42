package bot.resonance.webhooks.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import bot.resonance.support.ApiResponse;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.IntegrationTestSupport;
import bot.resonance.support.ResonanceClient;
import bot.resonance.support.TestBrand;
import bot.resonance.support.WebhookReceiver;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Delivery history is kept for the retention period, then pruned: finished deliveries
 * with their attempts and messages, never what is still to be sent.
 */
@IntegrationTest
class WebhookPrunerIntegrationTests extends IntegrationTestSupport {

	@Autowired
	WebhookPruner pruner;

	@Autowired
	JdbcClient jdbc;

	@Test
	void finishedHistoryIsPrunedAfterTheRetentionPeriod() throws Exception {
		TestBrand brand = brandWith(10_000, "custom_event", Map.of());
		try (WebhookReceiver receiver = WebhookReceiver.start()) {
			ApiResponse delivered = this.client.api(brand, "POST", "/v1/webhooks",
					ResonanceClient.json(Map.of("url", receiver.url("/kept"))));
			ApiResponse paused = this.client.api(brand, "POST", "/v1/webhooks",
					ResonanceClient.json(Map.of("url", receiver.url("/paused"))));
			this.client.api(brand, "POST", "/v1/webhooks/" + paused.text("id") + "/pause", null);
			this.client.event(brand, "custom_event", newUserId());
			receiver.await(1, Duration.ofSeconds(20));
			awaitSucceeded(brand, delivered.text("id"));
			assertThat(count(brand, "webhook_deliveries")).isEqualTo(2);

			// Younger than the cutoff: kept.
			this.pruner.pruneOlderThan(this.clock.instant().minus(Duration.ofDays(30)));
			assertThat(count(brand, "webhook_deliveries")).isEqualTo(2);

			this.pruner.pruneOlderThan(this.clock.instant().plusSeconds(60));
			assertThat(count(brand, "webhook_deliveries")).as("the held delivery stays").isEqualTo(1);
			assertThat(count(brand, "webhook_attempts")).isZero();
			assertThat(count(brand, "webhook_messages")).as("its message stays too").isEqualTo(1);
			this.client.api(brand, "DELETE", "/v1/webhooks/" + delivered.text("id"), null);
			this.client.api(brand, "DELETE", "/v1/webhooks/" + paused.text("id"), null);
		}
	}

	private void awaitSucceeded(TestBrand brand, String hook) {
		Awaitility.await()
			.atMost(Duration.ofSeconds(20))
			.alias("the delivery succeeded")
			.until(() -> this.client.get(brand, "/v1/webhooks/" + hook + "/deliveries?status=succeeded")
				.json()
				.get("data")
				.size() == 1);
	}

	private long count(TestBrand brand, String table) {
		return this.jdbc.sql("select count(*) from " + table + " where brand_id = :brand")
			.param("brand", brand.brandId())
			.query(Long.class)
			.single();
	}

}
