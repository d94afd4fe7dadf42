package bot.resonance.webhooks.internal.incoming;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import com.standardwebhooks.Webhook;
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
	void callsOlderThanTheRetentionArePrunedWithTheirKeys() throws Exception {
		TestBrand brand = this.client.createBrand();
		this.client.fund(brand, 1_000);
		Created hook = create(brand);
		String body = ResonanceClient
			.json(Map.of("action", "currency.add", "data", Map.of("user_id", newUserId(), "amount", 10)));
		Map<String, String> key = Map.of("X-Idempotency-Key", "prune-me");
		assertThat(send(hook, body, signed(hook, "msg_" + UUID.randomUUID(), body), key).status()).isEqualTo(200);
		assertThat(send(hook, body, signed(hook, "msg_" + UUID.randomUUID(), body), key).header("Idempotent-Replayed"))
			.isEqualTo("true");
		String calls = "/v1/incoming-webhooks/" + hook.id() + "/calls";
		assertThat(this.client.get(brand, calls).json().get("data")).hasSize(2);

		this.clock.advance(Duration.ofSeconds(1));
		assertThat(this.pruner.pruneOlderThan(this.clock.instant())).isGreaterThanOrEqualTo(2);

		assertThat(this.client.get(brand, calls).json().get("data")).isEmpty();
		ApiResponse fresh = send(hook, body, signed(hook, "msg_" + UUID.randomUUID(), body), key);
		assertThat(fresh.status()).isEqualTo(200);
		assertThat(fresh.header("Idempotent-Replayed")).as("the key was forgotten with its call").isNull();
		assertThat(this.client.get(brand, "/v1/wallet").json().get("balance").asLong()).isEqualTo(980);
	}

	private Created create(TestBrand brand) {
		ApiResponse created = this.client.api(brand, "POST", "/v1/incoming-webhooks",
				"{\"name\": \"Shop\", \"actions\": [\"currency.add\"]}");
		return new Created(created.text("id"), java.net.URI.create(created.text("url")).getRawPath(),
				created.text("secret"));
	}

	private Map<String, String> signed(Created hook, String id, String body) throws Exception {
		long timestamp = this.clock.instant().getEpochSecond();
		return Map.of("webhook-id", id, "webhook-timestamp", Long.toString(timestamp), "webhook-signature",
				new Webhook(hook.secret()).sign(id, timestamp, body));
	}

	private ApiResponse send(Created hook, String body, Map<String, String> signature, Map<String, String> headers) {
		Map<String, String> all = new HashMap<>(signature);
		all.putAll(headers);
		return this.client.send("POST", hook.path(), body, all);
	}

	private record Created(String id, String path, String secret) {
	}

}
