package bot.resonance.webhooks;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import bot.resonance.support.ApiResponse;
import bot.resonance.support.IntegrationTestSupport;
import bot.resonance.support.ResonanceClient;
import bot.resonance.support.TestBrand;

/**
 * Incoming webhooks over real HTTP: creating hooks with the management API, and calling
 * them signed the way the bot webhook documentation's samples sign ({@code sha256=} + hex
 * HMAC-SHA256 of the raw body, keyed with the secret's UTF-8 bytes).
 */
abstract class IncomingWebhookTestSupport extends IntegrationTestSupport {

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

	/** Sends {@code body} to the hook, signed with its secret. */
	ApiResponse call(Hook hook, String body) {
		return call(hook, body, Map.of());
	}

	ApiResponse call(Hook hook, String body, Map<String, String> headers) {
		return call(hook, hook.secret(), body, headers);
	}

	ApiResponse call(Hook hook, String secret, String body, Map<String, String> headers) {
		Map<String, String> all = new HashMap<>();
		all.put("X-Signature", "sha256=" + ResonanceClient.hmacHex(secret, body));
		all.putAll(headers);
		return this.client.send("POST", hook.path(), body, all);
	}

	/** Sends raw bytes to the hook, signed over exactly those bytes. */
	ApiResponse callBytes(Hook hook, byte[] body) {
		return this.client.sendBytes("POST", hook.path(), body,
				Map.of("X-Signature", "sha256=" + hmacHex(hook.secret(), body)));
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
		try {
			javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
			mac.init(new javax.crypto.spec.SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			return java.util.HexFormat.of().formatHex(mac.doFinal(body));
		}
		catch (java.security.GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** A hook created for a test. */
	record Hook(TestBrand brand, String id, String url, String secret) {

		/** The URL's path, for the test client. */
		String path() {
			return java.net.URI.create(this.url).getRawPath();
		}

	}

}
