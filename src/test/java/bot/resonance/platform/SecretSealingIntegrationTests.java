package bot.resonance.platform;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import bot.resonance.support.ApiResponse;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.IntegrationTestSupport;
import bot.resonance.support.PostgresLog;
import bot.resonance.support.ResonanceClient;
import bot.resonance.support.SecondNode;
import bot.resonance.support.Signing;
import bot.resonance.support.TestBrand;
import bot.resonance.support.WebhookReceiver;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The HMAC secrets kept in the database (brand secret keys, webhook and Shopify secrets)
 * are sealed with {@code RESONANCE_SEALING_KEY} when it is set: existing ones at the next
 * start, new ones when they are made; rotating the key reseals them; a node without the
 * key refuses to start rather than fail every signature. Runs its nodes on a database of
 * its own, so sealing it does not disturb the other tests.
 */
@IntegrationTest
class SecretSealingIntegrationTests extends IntegrationTestSupport {

	@Autowired
	JdbcClient jdbc;

	@Autowired
	Environment environment;

	@Test
	void secretsAreSealedAtRestAndResealedWhenTheKeyRotates() throws Exception {
		String database = "sealing_" + UUID.randomUUID().toString().replace("-", "");
		this.jdbc.sql("create database " + database).update();
		String url = this.environment.getProperty("spring.datasource.url")
			.replaceFirst("/[^/?]+(\\?|$)", "/" + database + "$1");
		JdbcClient db = JdbcClient
			.create(new DriverManagerDataSource(url, this.environment.getProperty("spring.datasource.username"),
					this.environment.getProperty("spring.datasource.password", "")));
		String first = newKey();
		String second = newKey();
		TestBrand brand;
		String hookSecret;
		String shopifySecret = "shpss_" + UUID.randomUUID();
		String incomingPath;
		String incomingOld;
		String incomingNew;
		try (WebhookReceiver receiver = WebhookReceiver.start()) {
			// Without a key, as before: the secrets are stored as they are.
			try (SecondNode node = node(url)) {
				ResonanceClient client = new ResonanceClient(node.port());
				brand = client.createBrand(Map.of("name", "Sealed"));
				client.fund(brand, 1_000);
				client.eventType(brand, "custom_event", Map.of("enabled", true, "amount", 5));
				ApiResponse hook = client.api(brand, "POST", "/v1/webhooks",
						"{\"url\":\"" + receiver.url("/sealed") + "\"}");
				assertThat(hook.status()).as(hook.toString()).isEqualTo(201);
				hookSecret = hook.text("secret");
				assertThat(client
					.api(brand, "PUT", "/v1/integrations/shopify", "{\"webhook_secret\":\"" + shopifySecret + "\"}")
					.status()).isEqualTo(201);
				ApiResponse incoming = client.api(brand, "POST", "/v1/incoming-webhooks",
						"{\"name\":\"Sealed\",\"actions\":[\"currency.add\"]}");
				incomingPath = incoming.text("url").replaceFirst("^https?://[^/]+", "");
				incomingOld = incoming.text("secret");
				incomingNew = client
					.api(brand, "POST", "/v1/incoming-webhooks/" + incoming.text("id") + "/rotate-secret",
							"{\"grace_period_seconds\":86400}")
					.text("secret");
			}
			assertThat(storedSecrets(db)).contains(brand.secretKey(), hookSecret, shopifySecret, incomingOld,
					incomingNew);

			// With a key, every secret is sealed at start-up, and everything still
			// verifies; and no secret is sent to the database in the clear, as
			// PostgreSQL's log of every statement with its parameters shows.
			PostgresLog.logEveryStatement(this.jdbc, true);
			PostgresLog sent = PostgresLog.fromNow(this.jdbc);
			String laterSecret;
			try (SecondNode node = node(url, "resonance.sealing.key=" + first)) {
				String keyId = keyIdOf(db);
				assertThat(storedSecrets(db))
					.allSatisfy((stored) -> assertThat(stored).startsWith("rsnc-sealed:v1:" + keyId + ":")
						.doesNotContain(brand.secretKey())
						.doesNotContain(hookSecret)
						.doesNotContain(shopifySecret)
						.doesNotContain(incomingOld)
						.doesNotContain(incomingNew));
				ResonanceClient client = new ResonanceClient(node.port());
				// Both the incoming hook's secret and the one it replaced (in its grace
				// period) still verify.
				assertThat(incomingCall(client, incomingPath, incomingNew).status()).isEqualTo(200);
				assertThat(incomingCall(client, incomingPath, incomingOld).status()).isEqualTo(200);
				assertThat(client.event(brand, "custom_event", newUserId()).status()).isEqualTo(200);
				assertThat(shopifyOrder(client, brand, shopifySecret).status()).isEqualTo(200);
				assertThat(shopifyOrder(client, brand, "wrong").status()).isEqualTo(401);
				List<WebhookReceiver.Received> delivered = receiver.await(1, Duration.ofSeconds(30));
				assertThat(delivered.get(0).header("X-Signature"))
					.isEqualTo("sha256=" + hmac(hookSecret, delivered.get(0).body()));
				// Secrets made now are sealed as they are stored.
				TestBrand later = client.createBrand(Map.of("name", "Sealed later"));
				assertThat(storedSecrets(db)).hasSize(6).noneMatch((s) -> s.contains(later.secretKey()));
				laterSecret = later.secretKey();
			}
			finally {
				PostgresLog.logEveryStatement(this.jdbc, false);
			}
			String statements = sent.written();
			assertThat(statements).as("every statement was logged, with its parameters")
				.contains("update brand_secrets t set secret")
				.contains("insert into brand_secrets")
				.contains("Parameters: $1 = ");
			assertThat(List.of(brand.secretKey(), hookSecret, shopifySecret, incomingOld, incomingNew, laterSecret))
				.allSatisfy((secret) -> assertThat(statements).as("sent to the database in the clear")
					.doesNotContain(secret));

			// A new key, with the old one still listed: everything is sealed again.
			try (SecondNode node = node(url, "resonance.sealing.key=" + second,
					"resonance.sealing.previous-keys=" + first)) {
				String keyId = keyIdOf(db);
				assertThat(storedSecrets(db)).allSatisfy((s) -> assertThat(s).startsWith("rsnc-sealed:v1:" + keyId));
				assertThat(new ResonanceClient(node.port()).event(brand, "custom_event", newUserId()).status())
					.isEqualTo(200);
			}
			String sealedWith = keyIdOf(db);

			// A node that lacks the key refuses to start, and says which key it needs
			// (Spring
			// Boot's report of it is quieted: the exception is checked here instead).
			assertThatThrownBy(() -> node(url, "resonance.sealing.key=" + first, QUIET_REPORT, QUIET_CONTEXT).close())
				.hasStackTraceContaining(sealedWith)
				.hasStackTraceContaining("RESONANCE_SEALING_KEY");
			assertThatThrownBy(() -> node(url, QUIET_REPORT, QUIET_CONTEXT).close())
				.hasStackTraceContaining(sealedWith);

			// With the key only listed as previous, secrets are stored plain again.
			try (SecondNode node = node(url, "resonance.sealing.previous-keys=" + second)) {
				assertThat(storedSecrets(db)).contains(brand.secretKey(), hookSecret, shopifySecret, incomingOld,
						incomingNew);
				assertThat(new ResonanceClient(node.port()).event(brand, "custom_event", newUserId()).status())
					.isEqualTo(200);
			}
		}
		this.jdbc.sql("drop database " + database).update();
	}

	/** The report of a start that failed on purpose, kept out of the build's log. */
	private static final String QUIET_REPORT = "logging.level.org.springframework.boot.diagnostics.LoggingFailureAnalysisReporter=off";

	/**
	 * The warning of the context whose start failed on purpose, kept out of the build's
	 * log.
	 */
	private static final String QUIET_CONTEXT = "logging.level.org.springframework.boot.web.server.servlet.context=error";

	private SecondNode node(String url, String... settings) {
		String[] all = new String[settings.length + 1];
		all[0] = "spring.datasource.url=" + url;
		System.arraycopy(settings, 0, all, 1, settings.length);
		return SecondNode.start(this.environment, this.clock, all);
	}

	private static List<String> storedSecrets(JdbcClient db) {
		return db.sql("""
				select secret from brand_secrets
				union all select secret from webhook_secrets
				union all select webhook_secret from shopify_settings
				union all select secret from incoming_webhooks
				union all select previous_secret from incoming_webhooks
				""").query(String.class).list();
	}

	private static String keyIdOf(JdbcClient db) {
		return db.sql("select split_part(secret, ':', 3) from brand_secrets limit 1").query(String.class).single();
	}

	private ApiResponse shopifyOrder(ResonanceClient client, TestBrand brand, String secret) {
		String order = "{\"id\":" + newUserId() + ",\"email\":\"o" + newUserId()
				+ "@example.com\",\"total_price\":\"10.00\",\"currency\":\"USD\"}";
		return client.send("POST", "/v1/integrations/shopify/" + brand.brandId(), order,
				Map.of("Content-Type", "application/json", "X-Shopify-Topic", "orders/paid", "X-Shopify-Webhook-Id",
						UUID.randomUUID().toString(), "X-Shopify-Hmac-Sha256",
						Signing.base64(Signing.hmac(secret, order.getBytes(StandardCharsets.UTF_8)))));
	}

	/** A currency.add call signed the Standard Webhooks way with {@code secret}. */
	private ApiResponse incomingCall(ResonanceClient client, String path, String secret) {
		String body = "{\"action\":\"currency.add\",\"data\":{\"user_id\":\"" + newUserId() + "\",\"amount\":1}}";
		Map<String, String> headers = new LinkedHashMap<>(Signing.standardWebhook(secret, "msg_" + UUID.randomUUID(),
				this.clock.instant().getEpochSecond(), body.getBytes(StandardCharsets.UTF_8)));
		headers.put("Content-Type", "application/json");
		return client.send("POST", path, body, headers);
	}

	private static String hmac(String key, byte[] body) {
		return Signing.hex(Signing.hmac(key, body));
	}

	private static String newKey() {
		byte[] key = new byte[32];
		new SecureRandom().nextBytes(key);
		return Base64.getEncoder().encodeToString(key);
	}

}
