package bot.resonance.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

/**
 * Talks to a running Resonance over real HTTP, the way integrators do: JSON bodies, the
 * event API signed over the exact bytes sent.
 */
public final class ResonanceClient {

	public static final String ADMIN_TOKEN = "test-admin-token";

	/** A plain JSON mapper for tests. */
	public static final JsonMapper MAPPER = JsonMapper.builder().build();

	private static final JsonMapper JSON = MAPPER;

	private static final HttpClient HTTP = HttpClient.newBuilder()
		.connectTimeout(Duration.ofSeconds(5))
		.version(HttpClient.Version.HTTP_1_1)
		.build();

	private final String base;

	public ResonanceClient(int port) {
		this.base = "http://localhost:" + port;
	}

	public String base() {
		return this.base;
	}

	// ---- operator API

	public TestBrand createBrand() {
		return createBrand(Map.of("name", "Test brand"));
	}

	public TestBrand createBrand(Map<String, Object> body) {
		ApiResponse response = admin("POST", "/admin/v1/brands", json(body));
		if (response.status() != 201) {
			throw new IllegalStateException("Creating a brand failed: " + response);
		}
		return new TestBrand(response.text("brand_id"), response.text("secret_key"), response.text("api_key"));
	}

	public ApiResponse fund(TestBrand brand, long amount) {
		ApiResponse response = admin("POST", "/admin/v1/brands/" + brand.brandId() + "/wallet/credits",
				json(Map.of("amount", amount)));
		if (response.status() != 201) {
			throw new IllegalStateException("Funding failed: " + response);
		}
		return response;
	}

	public ApiResponse admin(String method, String path, String body) {
		return send(method, path, body, Map.of("Authorization", "Bearer " + ADMIN_TOKEN));
	}

	public ApiResponse adminPatch(TestBrand brand, Map<String, Object> body) {
		return admin("PATCH", "/admin/v1/brands/" + brand.brandId(), json(body));
	}

	// ---- management API

	public ApiResponse api(TestBrand brand, String method, String path, String body) {
		return send(method, path, body, Map.of("Authorization", "Bearer " + brand.apiKey()));
	}

	public ApiResponse get(TestBrand brand, String path) {
		return api(brand, "GET", path, null);
	}

	/**
	 * Configures an event type (PUT /v1/event-types/{name}), failing the test if refused.
	 */
	public void eventType(TestBrand brand, String name, Map<String, Object> settings) {
		ApiResponse response = api(brand, "PUT", "/v1/event-types/" + name, json(settings));
		if (response.status() != 200 && response.status() != 201) {
			throw new IllegalStateException("Configuring " + name + " failed: " + response);
		}
	}

	// ---- event API

	/**
	 * Sends {@code fields} (plus brand_id) as an event, signed like the seed's sample
	 * client.
	 */
	public ApiResponse event(TestBrand brand, Map<String, Object> fields) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("brand_id", brand.brandId());
		body.putAll(fields);
		return signedEvent(brand, json(body), Map.of());
	}

	/** A {@code custom_event} for {@code userId}. */
	public ApiResponse event(TestBrand brand, String eventType, String userId) {
		return event(brand, Map.of("event_type", eventType, "user_id", userId, "server_id", "987654321098765432"));
	}

	public ApiResponse signedEvent(TestBrand brand, String body, Map<String, String> headers) {
		Map<String, String> all = new LinkedHashMap<>();
		all.put("Content-Type", "application/json");
		all.put("X-Resonance-Signature", hmacHex(brand.secretKey(), body));
		all.putAll(headers);
		return send("POST", "/v1/events", body, all);
	}

	public ApiResponse send(String method, String path, String body, Map<String, String> headers) {
		return sendBytes(method, path, (body != null) ? body.getBytes(StandardCharsets.UTF_8) : null, headers);
	}

	public ApiResponse sendBytes(String method, String path, byte[] body, Map<String, String> headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.base + path))
			.timeout(Duration.ofSeconds(60))
			.method(method, (body != null) ? HttpRequest.BodyPublishers.ofByteArray(body)
					: HttpRequest.BodyPublishers.noBody());
		if (body != null && !headers.containsKey("Content-Type")) {
			request.header("Content-Type", "application/json");
		}
		headers.forEach(request::header);
		try {
			HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
			return new ApiResponse(response.statusCode(), response.headers(), response.body());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	public static String json(Object value) {
		return JSON.writeValueAsString(value);
	}

	public static String hmacHex(String key, String message) {
		return Signing.hex(Signing.hmac(key, message.getBytes(StandardCharsets.UTF_8)));
	}

}
