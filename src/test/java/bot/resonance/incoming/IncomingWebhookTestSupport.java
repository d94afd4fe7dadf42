package bot.resonance.incoming;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.EmptyWebhookSecretException;
import com.standardwebhooks.exceptions.WebhookSigningException;

import bot.resonance.support.ApiResponse;
import bot.resonance.support.IntegrationTestSupport;
import bot.resonance.support.ResonanceClient;
import bot.resonance.support.Signing;
import bot.resonance.support.TestBrand;

/**
 * Incoming webhooks over real HTTP: creating hooks with the management API, and calling
 * them signed the way a Standard Webhooks sender signs ({@code webhook-id},
 * {@code webhook-timestamp}, {@code webhook-signature}, computed by the Standard Webhooks
 * reference library), or, for hooks that opted in, the legacy way ({@code X-Signature:
 * sha256=} + hex HMAC-SHA256 of the raw body, keyed with the secret's UTF-8 bytes).
 */
abstract class IncomingWebhookTestSupport extends IntegrationTestSupport {

	private static final SecureRandom RANDOM = new SecureRandom();

	/** A well-formed secret that is no hook's. */
	static final String STRANGER_SECRET = newSecret();

	/** Creates a hook, failing the test if refused. */
	Hook createHook(TestBrand brand, List<String> actions, Map<String, Object> settings) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("name", "Shop");
		body.put("actions", actions);
		body.putAll(settings);
		ApiResponse response = this.client.api(brand, "POST", "/v1/incoming-webhooks", ResonanceClient.json(body));
		if (response.status() != 201) {
			throw new IllegalStateException("Creating an incoming webhook failed: " + response);
		}
		return new Hook(brand, response.text("id"), response.text("url"), response.text("secret"));
	}

	Hook createHook(TestBrand brand, String... actions) {
		return createHook(brand, List.of(actions), Map.of());
	}

	/** Sends {@code body} to the hook, signed with its secret as a new message. */
	ApiResponse call(Hook hook, String body) {
		return call(hook, body, Map.of());
	}

	ApiResponse call(Hook hook, String body, Map<String, String> headers) {
		return call(hook, hook.secret(), body, headers);
	}

	/** Sends {@code body} as a new message signed with {@code secret} now. */
	ApiResponse call(Hook hook, String secret, String body, Map<String, String> headers) {
		return send(hook, body, standardHeaders(secret, newMessageId(), now(), body), headers);
	}

	/** Sends exactly these headers (and a JSON content type) with {@code body}. */
	ApiResponse send(Hook hook, String body, Map<String, String> signature, Map<String, String> headers) {
		Map<String, String> all = new HashMap<>(signature);
		all.putAll(headers);
		return this.client.send("POST", hook.path(), body, all);
	}

	/** Sends raw bytes to the hook, signed over exactly those bytes. */
	ApiResponse callBytes(Hook hook, byte[] body) {
		return this.client.sendBytes("POST", hook.path(), body,
				Signing.standardWebhook(hook.secret(), newMessageId(), now(), body));
	}

	/** Sends {@code body} signed the legacy way: {@code X-Signature} only. */
	ApiResponse legacyCall(Hook hook, String body, Map<String, String> headers) {
		return send(hook, body, Map.of("X-Signature", "sha256=" + ResonanceClient.hmacHex(hook.secret(), body)),
				headers);
	}

	/**
	 * The three Standard Webhooks headers for {@code body}, computed by the reference
	 * library.
	 */
	static Map<String, String> standardHeaders(String secret, String messageId, long timestamp, String body) {
		try {
			return Map.of("webhook-id", messageId, "webhook-timestamp", Long.toString(timestamp), "webhook-signature",
					new Webhook(secret).sign(messageId, timestamp, body));
		}
		catch (WebhookSigningException | EmptyWebhookSecretException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The server's time in Unix seconds. */
	long now() {
		return this.clock.instant().getEpochSecond();
	}

	static String newMessageId() {
		return "msg_" + UUID.randomUUID().toString().replace("-", "");
	}

	static String newSecret() {
		byte[] key = new byte[32];
		RANDOM.nextBytes(key);
		return "whsec_" + Base64.getEncoder().encodeToString(key);
	}

	static String action(String action, Map<String, Object> data) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("action", action);
		body.put("data", data);
		return ResonanceClient.json(body);
	}

	static String currencyAdd(String userId, long amount) {
		return action("currency.add", Map.of("user_id", userId, "amount", amount, "reason", "Order #1001"));
	}

	static String hmacHex(String key, byte[] body) {
		return Signing.hex(Signing.hmac(key, body));
	}

	/** A hook created for a test. */
	record Hook(TestBrand brand, String id, String url, String secret) {

		/** The URL's path, for the test client. */
		String path() {
			return java.net.URI.create(this.url).getRawPath();
		}

	}

}
