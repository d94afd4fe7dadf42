package bot.resonance.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The few set-up calls (operator and management APIs) and checks, over
 * {@link HttpClient}. The event load itself goes through {@link EventClient}.
 */
final class Api {

	/** What the event type awards, and what every event asks for. */
	static final long AMOUNT = 5;

	/** What each brand's wallet is funded with: never runs out during a run. */
	static final long FUNDING = 1_000_000_000_000L;

	private final URI target;

	private final String adminToken;

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(10))
		.build();

	Api(URI target, String adminToken) {
		this.target = target;
		this.adminToken = adminToken;
	}

	/** A brand ready to receive events: created, funded, custom_event enabled. */
	Brand createBrand(String name) throws IOException, InterruptedException {
		String created = call("POST", "/admin/v1/brands", this.adminToken,
				"{\"name\":\"" + name + "\",\"rate_limit_per_minute\":1000000}", 201);
		Brand brand = new Brand(field(created, "brand_id"), field(created, "secret_key"), field(created, "api_key"));
		call("POST", "/admin/v1/brands/" + brand.id() + "/wallet/credits", this.adminToken,
				"{\"amount\":" + FUNDING + "}", 201);
		call("PUT", "/v1/event-types/custom_event", brand.apiKey(), "{\"enabled\":true,\"amount\":" + AMOUNT + "}",
				200);
		return brand;
	}

	/**
	 * Registers a webhook endpoint of the brand receiving {@code reward.earned}; returns its
	 * signing secret.
	 */
	Webhook createWebhook(Brand brand, String url) throws IOException, InterruptedException {
		String created = call("POST", "/v1/webhooks", brand.apiKey(),
				"{\"url\":\"" + url + "\",\"event_types\":[\"reward.earned\"]}", 201);
		return new Webhook(field(created, "id"), url, field(created, "secret"));
	}

	/** Binds a Discord guild to the brand (operator API). */
	void bindGuild(Brand brand, String guildId) throws IOException, InterruptedException {
		call("POST", "/admin/v1/brands/" + brand.id() + "/guilds", this.adminToken,
				"{\"guild_id\":\"" + guildId + "\"}", 201);
	}

	/**
	 * Enables an event type with {@link #AMOUNT} (no cooldown of its own beyond what the
	 * type has); answers whether the server took it.
	 */
	boolean enableEventType(Brand brand, String type) throws IOException, InterruptedException {
		return send("PUT", "/v1/event-types/" + type, brand.apiKey(), "{\"enabled\":true,\"amount\":" + AMOUNT + "}")
			.statusCode() == 200;
	}

	/** {@code GET path} with the brand's API key; fails unless answered 200. */
	String get(Brand brand, String path) throws IOException, InterruptedException {
		return call("GET", path, brand.apiKey(), null, 200);
	}

	/** The brand wallet's balance in its default currency. */
	long walletBalance(Brand brand) throws IOException, InterruptedException {
		String wallet = call("GET", "/v1/wallet", brand.apiKey(), null, 200);
		Matcher matcher = Pattern.compile("\"balance\"\\s*:\\s*(-?\\d+)").matcher(wallet);
		if (!matcher.find()) {
			throw new IOException("No balance in GET /v1/wallet: " + wallet);
		}
		return Long.parseLong(matcher.group(1));
	}

	/** Whether {@code GET /actuator/health} answers 200 right now. */
	boolean healthy() {
		try {
			return send("GET", "/actuator/health", null, null).statusCode() == 200;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/**
	 * The server's ingest batch phase totals now (its Prometheus scrape, which the admin
	 * token may read); {@code null} if the scrape fails.
	 */
	BatchPhases batchPhases() {
		try {
			HttpResponse<String> scrape = send("GET", "/actuator/prometheus", this.adminToken, null);
			return (scrape.statusCode() == 200) ? BatchPhases.parse(scrape.body()) : null;
		}
		catch (IOException ex) {
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

	private String call(String method, String path, String bearer, String json, int expected)
			throws IOException, InterruptedException {
		HttpResponse<String> response = send(method, path, bearer, json);
		if (response.statusCode() != expected) {
			throw new IOException(method + " " + path + " answered " + response.statusCode() + " (expected "
					+ expected + "): " + response.body());
		}
		return response.body();
	}

	private HttpResponse<String> send(String method, String path, String bearer, String json)
			throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.target + path))
			.timeout(Duration.ofSeconds(60))
			.method(method, (json != null) ? HttpRequest.BodyPublishers.ofString(json)
					: HttpRequest.BodyPublishers.noBody());
		if (json != null) {
			request.header("Content-Type", "application/json");
		}
		if (bearer != null) {
			request.header("Authorization", "Bearer " + bearer);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String field(String json, String name) throws IOException {
		Matcher matcher = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
		if (!matcher.find()) {
			throw new IOException("No " + name + " in " + json);
		}
		return matcher.group(1);
	}

	record Brand(String id, String secretKey, String apiKey) {
	}

	record Webhook(String id, String url, String secret) {
	}

}
