package bot.resonance.webhooks.internal.incoming;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import bot.resonance.support.ApiResponse;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.IntegrationTestSupport;
import bot.resonance.support.ResonanceClient;
import bot.resonance.support.TestBrand;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Calls are forgotten after the webhook retention, and with them their idempotency keys.
 */
@IntegrationTest
class IncomingCallPrunerIntegrationTests extends IntegrationTestSupport {

	@Autowired
	IncomingCallPruner pruner;

	@Test
	void callsOlderThanTheRetentionArePrunedWithTheirKeys() {
		TestBrand brand = this.client.createBrand();
		this.client.fund(brand, 1_000);
		ApiResponse created = this.client.api(brand, "POST", "/v1/incoming-webhooks",
				"{\"name\": \"Shop\", \"actions\": [\"currency.add\"]}");
		String path = java.net.URI.create(created.text("url")).getRawPath();
		String secret = created.text("secret");
		String body = ResonanceClient
			.json(Map.of("action", "currency.add", "data", Map.of("user_id", newUserId(), "amount", 10)));
		Map<String, String> headers = Map.of("X-Signature", "sha256=" + ResonanceClient.hmacHex(secret, body),
				"X-Idempotency-Key", "prune-me");
		assertThat(this.client.send("POST", path, body, headers).status()).isEqualTo(200);
		assertThat(this.client.send("POST", path, body, headers).header("Idempotent-Replayed")).isEqualTo("true");
		String calls = "/v1/incoming-webhooks/" + created.text("id") + "/calls";
		assertThat(this.client.get(brand, calls).json().get("data")).hasSize(2);

		this.clock.advance(Duration.ofSeconds(1));
		assertThat(this.pruner.pruneOlderThan(this.clock.instant())).isGreaterThanOrEqualTo(2);

		assertThat(this.client.get(brand, calls).json().get("data")).isEmpty();
		ApiResponse fresh = this.client.send("POST", path, body, headers);
		assertThat(fresh.status()).isEqualTo(200);
		assertThat(fresh.header("Idempotent-Replayed")).as("the key was forgotten with its call").isNull();
		assertThat(this.client.get(brand, "/v1/wallet").json().get("balance").asLong()).isEqualTo(980);
	}

}
