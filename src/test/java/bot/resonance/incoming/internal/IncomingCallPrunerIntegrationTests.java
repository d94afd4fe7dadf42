package bot.resonance.incoming.internal;

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
 * Calls are forgotten after the webhook retention, and with them their idempotency keys;
 * but a webhook-id is never forgotten while a copy of its call could still pass the
 * timestamp check.
 */
@IntegrationTest
class IncomingCallPrunerIntegrationTests extends IntegrationTestSupport {

	@Autowired
	IncomingCallPruner pruner;

	@Autowired
	IncomingWebhookProperties properties;

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

		// Past the webhook-id's window: the retention alone decides.
		this.clock.advance(this.properties.signatureTolerance().multipliedBy(2).plusSeconds(1));
		assertThat(this.pruner.pruneOlderThan(this.clock.instant())).isGreaterThanOrEqualTo(2);

		assertThat(this.client.get(brand, calls).json().get("data")).isEmpty();
		ApiResponse fresh = send(hook, body, signed(hook, "msg_" + UUID.randomUUID(), body), key);
		assertThat(fresh.status()).isEqualTo(200);
		assertThat(fresh.header("Idempotent-Replayed")).as("the key was forgotten with its call").isNull();
		assertThat(this.client.get(brand, "/v1/wallet").json().get("balance").asLong()).isEqualTo(980);
	}

	@Test
	void aWebhookIdOutlivesAShortRetentionUntilItsTimestampHasExpired() throws Exception {
		TestBrand brand = this.client.createBrand();
		this.client.fund(brand, 1_000);
		Created hook = create(brand);
		String body = ResonanceClient
			.json(Map.of("action", "currency.add", "data", Map.of("user_id", newUserId(), "amount", 10)));
		Map<String, String> copy = signed(hook, "msg_" + UUID.randomUUID(), body);
		assertThat(send(hook, body, copy, Map.of()).status()).isEqualTo(200);

		// A retention shorter than the tolerance: the call could be pruned, its id may
		// not be.
		Duration tolerance = this.properties.signatureTolerance();
		this.clock.advance(tolerance.minusSeconds(5));
		this.pruner.pruneOlderThan(this.clock.instant());
		ApiResponse replayed = send(hook, body, copy, Map.of());
		assertThat(replayed.status()).isEqualTo(200);
		assertThat(replayed.header("Idempotent-Replayed")).as("the id is still known").isEqualTo("true");

		// Once the copy is too old to pass the timestamp check anyway, the id goes too.
		this.clock.advance(tolerance.plusSeconds(10));
		this.pruner.pruneOlderThan(this.clock.instant());
		assertThat(this.client.get(brand, "/v1/incoming-webhooks/" + hook.id() + "/calls").json().get("data"))
			.isEmpty();
		assertThat(send(hook, body, copy, Map.of()).status()).isEqualTo(401);
		assertThat(this.client.get(brand, "/v1/wallet").json().get("balance").asLong()).isEqualTo(990);
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
