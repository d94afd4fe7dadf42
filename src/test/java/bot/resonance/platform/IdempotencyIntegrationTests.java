package bot.resonance.platform;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import bot.resonance.support.ApiResponse;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.IntegrationTestSupport;
import bot.resonance.support.Race;
import bot.resonance.support.ResonanceClient;
import bot.resonance.support.SecondNode;
import bot.resonance.support.TestBrand;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code Idempotency-Key} on the management and operator APIs: one execution however many
 * concurrent attempts, stored answers only their sender can read back.
 */
@IntegrationTest
class IdempotencyIntegrationTests extends IntegrationTestSupport {

	private static final String ADMIN = "Bearer test-admin-token";

	@Autowired
	JdbcClient jdbc;

	@Autowired
	Environment environment;

	@Test
	void concurrentAttemptsWithOneKeyExecuteOnceAndAllGetItsAnswer() {
		String name = "Race " + UUID.randomUUID();
		String key = "create-" + UUID.randomUUID();
		List<ApiResponse> responses = Race.run(8, (i) -> this.client.send("POST", "/admin/v1/brands",
				"{\"name\":\"" + name + "\"}", Map.of("Authorization", ADMIN, "Idempotency-Key", key)));
		assertThat(responses).allSatisfy((r) -> assertThat(r.status()).as(r.toString()).isEqualTo(201));
		assertThat(responses.stream().map(ApiResponse::body).distinct()).hasSize(1);
		assertThat(responses.stream().filter((r) -> r.header("Idempotent-Replayed") == null)).hasSize(1);
		assertThat(this.jdbc.sql("select count(*) from brands where name = :name")
			.param("name", name)
			.query(Long.class)
			.single()).isEqualTo(1);
	}

	@Test
	void storedResponsesAreSealedWithTheCredential() {
		TestBrand brand = this.client.createBrand();
		String key = "rotate-" + UUID.randomUUID();
		String path = "/admin/v1/brands/" + brand.brandId() + "/rotate-api-key";
		ApiResponse rotated = this.client.send("POST", path, null,
				Map.of("Authorization", ADMIN, "Idempotency-Key", key));
		assertThat(rotated.status()).as(rotated.toString()).isEqualTo(200);
		String apiKey = rotated.text("api_key");

		byte[] stored = this.jdbc.sql("select response_body from idempotency_keys where key = :key")
			.param("key", key)
			.query(byte[].class)
			.single();
		assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain(apiKey)
			.doesNotContain(brand.brandId());

		ApiResponse replay = this.client.send("POST", path, null,
				Map.of("Authorization", ADMIN, "Idempotency-Key", key));
		assertThat(replay.status()).isEqualTo(200);
		assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
		assertThat(replay.text("api_key")).isEqualTo(apiKey);
	}

	@Test
	void keysBelongToTheirCredential() {
		TestBrand first = this.client.createBrand();
		TestBrand second = this.client.createBrand();
		String key = "shared-" + UUID.randomUUID();
		ApiResponse a = this.client.send("POST", "/v1/webhooks", "{\"url\":\"https://example.com/a\"}",
				Map.of("Authorization", "Bearer " + first.apiKey(), "Idempotency-Key", key));
		ApiResponse b = this.client.send("POST", "/v1/webhooks", "{\"url\":\"https://example.com/a\"}",
				Map.of("Authorization", "Bearer " + second.apiKey(), "Idempotency-Key", key));
		assertThat(a.status()).as(a.toString()).isEqualTo(201);
		assertThat(b.status()).as(b.toString()).isEqualTo(201);
		assertThat(b.header("Idempotent-Replayed")).isNull();
		assertThat(a.text("id")).isNotEqualTo(b.text("id"));
	}

	@Test
	void aRevokedApiKeyGetsNoStoredAnswer() {
		TestBrand brand = this.client.createBrand();
		String hookKey = "hook-" + UUID.randomUUID();
		String webhookKey = "webhook-" + UUID.randomUUID();
		String hookBody = "{\"name\":\"Shop\",\"actions\":[\"currency.add\"]}";
		String webhookBody = "{\"url\":\"https://example.com/revoked\"}";
		Map<String, String> oldKey = Map.of("Authorization", "Bearer " + brand.apiKey(), "Idempotency-Key", hookKey);
		ApiResponse hook = this.client.send("POST", "/v1/incoming-webhooks", hookBody, oldKey);
		assertThat(hook.status()).as(hook.toString()).isEqualTo(201);
		String secret = hook.text("secret");
		ApiResponse webhook = this.client.send("POST", "/v1/webhooks", webhookBody,
				Map.of("Authorization", "Bearer " + brand.apiKey(), "Idempotency-Key", webhookKey));
		assertThat(webhook.status()).as(webhook.toString()).isEqualTo(201);

		ApiResponse rotated = this.client.admin("POST", "/admin/v1/brands/" + brand.brandId() + "/rotate-api-key",
				"{\"grace_period_seconds\":0}");
		assertThat(rotated.status()).as(rotated.toString()).isEqualTo(200);
		String newKey = rotated.text("api_key");

		// The revoked key is refused before any stored answer is looked at.
		for (ApiResponse replay : List.of(this.client.send("POST", "/v1/incoming-webhooks", hookBody, oldKey),
				this.client.send("POST", "/v1/webhooks", webhookBody,
						Map.of("Authorization", "Bearer " + brand.apiKey(), "Idempotency-Key", webhookKey)))) {
			assertThat(replay.status()).as(replay.toString()).isEqualTo(401);
			assertThat(replay.header("Idempotent-Replayed")).isNull();
			assertThat(replay.body()).doesNotContain(secret).doesNotContain("whsec_");
		}
		// The brand's new key does not run the request again, nor read an answer sealed
		// for the old key.
		ApiResponse again = this.client.send("POST", "/v1/incoming-webhooks", hookBody,
				Map.of("Authorization", "Bearer " + newKey, "Idempotency-Key", hookKey));
		assertThat(again.status()).as(again.toString()).isEqualTo(422);
		assertThat(again.problemCode()).isEqualTo("idempotency_key_reused");
		assertThat(again.body()).doesNotContain(secret);
		assertThat(this.client
			.api(new TestBrand(brand.brandId(), brand.secretKey(), newKey), "GET", "/v1/incoming-webhooks", null)
			.json()
			.get("data")).hasSize(1);
	}

	@Test
	void theAuthorizationSchemesSpellingIsNotANewCaller() {
		String name = "Spelling " + UUID.randomUUID();
		String key = "spelling-" + UUID.randomUUID();
		String body = "{\"name\":\"" + name + "\"}";
		ApiResponse first = this.client.send("POST", "/admin/v1/brands", body,
				Map.of("Authorization", ADMIN, "Idempotency-Key", key));
		assertThat(first.status()).isEqualTo(201);
		for (String spelling : List.of("bearer test-admin-token", "BEARER   test-admin-token ")) {
			ApiResponse again = this.client.send("POST", "/admin/v1/brands", body,
					Map.of("Authorization", spelling, "Idempotency-Key", key));
			assertThat(again.status()).as(again.toString()).isEqualTo(201);
			assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
		}
		assertThat(this.jdbc.sql("select count(*) from brands where name = :name")
			.param("name", name)
			.query(Long.class)
			.single()).isEqualTo(1);
	}

	@Test
	void aReplacedAdminTokenGetsNoStoredAnswer() {
		String name = "Replaced " + UUID.randomUUID();
		String key = "replaced-" + UUID.randomUUID();
		String body = "{\"name\":\"" + name + "\"}";
		ApiResponse created = this.client.send("POST", "/admin/v1/brands", body,
				Map.of("Authorization", ADMIN, "Idempotency-Key", key));
		assertThat(created.status()).isEqualTo(201);
		String secretKey = created.text("secret_key");
		try (SecondNode node = SecondNode.start(this.environment, this.clock,
				"resonance.admin.token=the-replacement-token")) {
			ResonanceClient replaced = new ResonanceClient(node.port());
			ApiResponse old = replaced.send("POST", "/admin/v1/brands", body,
					Map.of("Authorization", ADMIN, "Idempotency-Key", key));
			assertThat(old.status()).as(old.toString()).isEqualTo(401);
			assertThat(old.body()).doesNotContain(secretKey);
			ApiResponse current = replaced.send("POST", "/admin/v1/brands", body,
					Map.of("Authorization", "Bearer the-replacement-token", "Idempotency-Key", key));
			assertThat(current.status()).as(current.toString()).isEqualTo(422);
			assertThat(current.body()).doesNotContain(secretKey);
		}
		assertThat(this.jdbc.sql("select count(*) from brands where name = :name")
			.param("name", name)
			.query(Long.class)
			.single()).isEqualTo(1);
	}

	@Test
	void clientErrorsAreReplayedAndServerRefusalsAreNot() {
		String key = "missing-" + UUID.randomUUID();
		String path = "/admin/v1/brands/0x" + "7".repeat(40) + "/rotate-api-key";
		ApiResponse missing = this.client.send("POST", path, null,
				Map.of("Authorization", ADMIN, "Idempotency-Key", key));
		assertThat(missing.status()).isEqualTo(404);
		ApiResponse again = this.client.send("POST", path, null,
				Map.of("Authorization", ADMIN, "Idempotency-Key", key));
		assertThat(again.status()).isEqualTo(404);
		assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");

		// A malformed request did nothing: the corrected one may use the same key.
		String fixedKey = "fixed-" + UUID.randomUUID();
		ApiResponse invalid = this.client.send("POST", "/admin/v1/brands", "{\"name\":\"\"}",
				Map.of("Authorization", ADMIN, "Idempotency-Key", fixedKey, "Content-Type", "application/json"));
		assertThat(invalid.status()).as(invalid.toString()).isEqualTo(400);
		ApiResponse fixed = this.client.send("POST", "/admin/v1/brands", "{\"name\":\"Fixed\"}",
				Map.of("Authorization", ADMIN, "Idempotency-Key", fixedKey, "Content-Type", "application/json"));
		assertThat(fixed.status()).as(fixed.toString()).isEqualTo(201);
		assertThat(fixed.header("Idempotent-Replayed")).isNull();

		String unauthorizedKey = "denied-" + UUID.randomUUID();
		ApiResponse denied = this.client.send("POST", "/admin/v1/brands", "{\"name\":\"x\"}",
				Map.of("Authorization", "Bearer wrong", "Idempotency-Key", unauthorizedKey));
		assertThat(denied.status()).isEqualTo(401);
		assertThat(this.jdbc.sql("select count(*) from idempotency_keys where key = :key")
			.param("key", unauthorizedKey)
			.query(Long.class)
			.single()).isZero();
	}

	@Test
	void malformedKeysAreRefusedEverywhere() {
		TestBrand brand = brandWith(1_000, "custom_event", Map.of());
		ApiResponse admin = this.client.send("POST", "/admin/v1/brands", "{\"name\":\"x\"}",
				Map.of("Authorization", ADMIN, "Idempotency-Key", "has space"));
		assertThat(admin.status()).isEqualTo(400);
		assertThat(admin.problemCode()).isEqualTo("invalid_request");
		ApiResponse event = this.client.signedEvent(brand, "{\"brand_id\":\"" + brand.brandId() + "\"}",
				Map.of("Idempotency-Key", "x".repeat(256)));
		assertThat(event.status()).isEqualTo(400);
		assertThat(event.errorCode()).isEqualTo("INVALID_REQUEST");
		ApiResponse unsigned = this.client.send("POST", "/v1/events", "{\"brand_id\":\"" + brand.brandId() + "\"}",
				Map.of("Content-Type", "application/json", "X-Resonance-Signature", "0".repeat(64), "Idempotency-Key",
						"bad key"));
		assertThat(unsigned.status()).as("the key is checked before the signature").isEqualTo(400);
	}

}
