package bot.resonance.platform;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

import bot.resonance.support.ApiResponse;
import bot.resonance.support.DiscordBot;
import bot.resonance.support.FakeDiscord;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.IntegrationTestSupport;
import bot.resonance.support.PostgresLog;
import bot.resonance.support.ResonanceClient;
import bot.resonance.support.Signing;
import bot.resonance.support.TestBrand;
import bot.resonance.support.WebhookReceiver;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;

import static bot.resonance.support.ResonanceClient.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * No secret ever reaches the log: everything the server writes while brands are created,
 * keys rotated, events signed rightly and wrongly, webhooks created, signed and
 * delivered, Shopify's and incoming webhooks' calls verified rightly and wrongly, Discord
 * called with the bot's token and portal users invited is captured, and none of the
 * secrets it handled is in it.
 */
@IntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class SecretsNeverLoggedIntegrationTests extends IntegrationTestSupport {

	@Autowired
	JdbcClient jdbc;

	@Test
	void noSecretHandledIsEverWrittenToTheLog(CapturedOutput output) {
		// Everything Resonance and Spring MVC would say at DEBUG, for this test only.
		LoggingSystem logging = LoggingSystem.get(getClass().getClassLoader());
		List<String> loggers = List.of("bot.resonance", "org.springframework.web");
		loggers.forEach((logger) -> logging.setLogLevel(logger, LogLevel.DEBUG));
		PostgresLog postgres = PostgresLog.fromNow(this.jdbc);
		try {
			List<String> secrets = handleSecrets(output);
			// Nor PostgreSQL's own log, which a failed statement's details would reach.
			String postgresSaid = postgres.written();
			secrets.forEach(
					(secret) -> assertThat(postgresSaid).as("PostgreSQL's log holds a secret").doesNotContain(secret));
		}
		finally {
			loggers.forEach((logger) -> logging.setLogLevel(logger, null));
		}
	}

	private List<String> handleSecrets(CapturedOutput output) {
		List<String> secrets = new ArrayList<>();
		secrets.add("test-admin-token");
		TestBrand brand = this.client.createBrand();
		secrets.add(brand.secretKey());
		secrets.add(brand.apiKey());
		this.client.fund(brand, 1_000);
		this.client.api(brand, "PUT", "/v1/event-types/custom_event",
				json(Map.of("enabled", true, "amount", 5, "cooldown_seconds", 0)));
		assertThat(this.client.event(brand, "custom_event", newUserId()).status()).isEqualTo(200);
		// A wrong signature, a wrong key, a wrong admin token: refused, and not logged.
		String body = json(Map.of("brand_id", brand.brandId(), "event_type", "custom_event", "user_id", newUserId()));
		this.client.send("POST", "/v1/events", body,
				Map.of("Content-Type", "application/json", "X-Resonance-Signature", "a".repeat(64)));
		this.client.send("GET", "/v1/wallet", null, Map.of("Authorization", "Bearer rsn_wrong_key_material_123"));
		secrets.add("rsn_wrong_key_material_123");

		ApiResponse rotated = this.client.admin("POST", "/admin/v1/brands/" + brand.brandId() + "/rotate-secret",
				json(Map.of()));
		assertThat(rotated.status()).as(rotated.toString()).isEqualTo(200);
		secrets.add(rotated.text("secret_key"));
		try (WebhookReceiver receiver = WebhookReceiver.start()) {
			ApiResponse webhook = this.client.api(brand, "POST", "/v1/webhooks",
					ResonanceClient.json(Map.of("url", receiver.url("/hook"))));
			assertThat(webhook.status()).as(webhook.toString()).isEqualTo(201);
			secrets.add(webhook.text("secret"));
			this.client.api(brand, "POST", "/v1/webhooks/" + webhook.text("id") + "/test",
					json(Map.of("event", "member.join")));
			receiver.await(1, Duration.ofSeconds(20));
		}
		// Shopify's shared secret, an incoming webhook's secret: each used rightly and
		// wrongly.
		String shopifySecret = "shpss_" + UUID.randomUUID();
		assertThat(
				this.client.api(brand, "PUT", "/v1/integrations/shopify", json(Map.of("webhook_secret", shopifySecret)))
					.status())
			.isEqualTo(201);
		secrets.add(shopifySecret);
		byte[] order = json(
				Map.of("id", 7_000_001, "email", "logs@example.com", "total_price", "10.00", "currency", "USD"))
			.getBytes(StandardCharsets.UTF_8);
		for (String key : List.of(shopifySecret, "shpss_wrong_" + UUID.randomUUID())) {
			this.client.sendBytes("POST", "/v1/integrations/shopify/" + brand.brandId(), order,
					Map.of("Content-Type", "application/json", "X-Shopify-Topic", "orders/paid", "X-Shopify-Webhook-Id",
							UUID.randomUUID().toString(), "X-Shopify-Hmac-Sha256",
							Signing.base64(Signing.hmac(key, order))));
		}
		ApiResponse hook = this.client.api(brand, "POST", "/v1/incoming-webhooks",
				json(Map.of("name", "logs", "actions", List.of("currency.add"))));
		assertThat(hook.status()).as(hook.toString()).isEqualTo(201);
		secrets.add(hook.text("secret"));
		String hookPath = hook.text("url").replaceFirst("^https?://[^/]+", "");
		byte[] call = json(
				Map.of("action", "currency.add", "data", Map.of("user_id", newUserId(), "amount", 1, "reason", "logs")))
			.getBytes(StandardCharsets.UTF_8);
		for (String key : List.of(hook.text("secret"), "whsec_" + Signing.base64(new byte[24]))) {
			Map<String, String> headers = new HashMap<>(Signing.standardWebhook(key, "msg_" + UUID.randomUUID(),
					this.clock.instant().getEpochSecond(), call));
			headers.put("Content-Type", "application/json");
			this.client.sendBytes("POST", hookPath, call, headers);
		}
		// The bot's token, sent to Discord to register the commands in a server.
		assertThat(this.client
			.admin("PUT", "/admin/v1/discord/commands", json(Map.of("guild_id", DiscordBot.newGuildId())))
			.status()).isEqualTo(200);
		secrets.add(FakeDiscord.TOKEN);

		ApiResponse invitation = this.client.admin("POST",
				"/admin/v1/brands/" + brand.brandId() + "/portal-invitations",
				json(Map.of("email", "logs" + System.nanoTime() + "@example.com", "role", "admin")));
		String url = invitation.text("url");
		secrets.add(url.substring(url.lastIndexOf('/') + 1));

		// A request Tomcat cannot parse, whose path carries the invitation's token:
		// answered
		// 400, and its request line (which Tomcat would log at INFO) is not written.
		String token = url.substring(url.lastIndexOf('/') + 1);
		assertThat(
				rawRequest("GET /portal/invitations/" + token + "{ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
			.startsWith("HTTP/1.1 400");
		assertThat(LoggerFactory.getLogger("org.apache.coyote.http11.Http11Processor").isInfoEnabled())
			.as("Tomcat's parse errors, which quote the request line, are logged at INFO")
			.isFalse();

		assertThat(secrets).allSatisfy((secret) -> assertThat(secret).hasSizeGreaterThan(8));
		assertThat(output.getAll()).as("the log was captured, at DEBUG").contains(" DEBUG ");
		secrets.forEach((secret) -> assertThat(output.getAll()).as("the log holds a secret").doesNotContain(secret));
		return secrets;
	}

	private String rawRequest(String request) {
		try (Socket socket = new Socket("localhost", this.port)) {
			socket.setSoTimeout(5_000);
			OutputStream out = socket.getOutputStream();
			out.write(request.getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
