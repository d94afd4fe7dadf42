package bot.resonance.portal.internal;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import bot.resonance.discord.InteractionsProperties;
import bot.resonance.discordapi.DiscordProperties;
import bot.resonance.platform.crypto.Hashing;
import bot.resonance.portal.DiscordSignInProperties;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Discord's OAuth2 authorization code flow, as the portal's "Sign in with Discord" uses
 * it: the authorization address (scopes {@code identify guilds}, a {@code state}, PKCE
 * S256), the code exchange at the token endpoint (a form with
 * {@code grant_type=authorization_code}, the client authenticated with HTTP Basic), and,
 * with the user's access token, {@code GET /users/@me} and {@code GET /users/@me/guilds}.
 * Every failure is a value ({@link Outcome.Failed}) with words for the page, never an
 * exception.
 */
@Component
class DiscordOAuth {

	/** MANAGE_GUILD: may change the server's settings. */
	static final int MANAGE_GUILD_BIT = 5;

	/** ADMINISTRATOR: holds every permission. */
	static final int ADMINISTRATOR_BIT = 3;

	static final String SCOPES = "identify guilds";

	static final String USER_AGENT = "DiscordBot (https://resonance.bot, 1.0)";

	private static final Logger log = LoggerFactory.getLogger(DiscordOAuth.class);

	private final DiscordSignInProperties properties;

	private final @Nullable String clientId;

	private final String apiBase;

	private final DiscordProperties discord;

	private final JsonMapper json;

	private final HttpClient http;

	DiscordOAuth(DiscordSignInProperties properties, InteractionsProperties interactions, DiscordProperties discord,
			JsonMapper json) {
		this.properties = properties;
		this.clientId = StringUtils.hasText(properties.clientId()) ? properties.clientId().strip()
				: StringUtils.hasText(interactions.applicationId()) ? interactions.applicationId().strip() : null;
		String base = ((properties.apiBaseUrl() != null) ? properties.apiBaseUrl() : discord.apiBaseUrl()).toString();
		this.apiBase = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
		this.discord = discord;
		this.json = json;
		this.http = HttpClient.newBuilder()
			.connectTimeout(discord.connectTimeout())
			.version(HttpClient.Version.HTTP_1_1)
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
	}

	/** Whether a client id and a client secret are known. */
	boolean configured() {
		return this.clientId != null && StringUtils.hasText(this.properties.clientSecret());
	}

	/** Where to send the person to allow the sign-in. */
	URI authorization(String state, String codeVerifier, String redirectUri) {
		return UriComponentsBuilder.fromUri(this.properties.authorizeUrl())
			.queryParam("response_type", "code")
			.queryParam("client_id", this.clientId)
			.queryParam("scope", SCOPES)
			.queryParam("state", state)
			.queryParam("redirect_uri", redirectUri)
			.queryParam("code_challenge", codeChallenge(codeVerifier))
			.queryParam("code_challenge_method", "S256")
			.encode()
			.build()
			.toUri();
	}

	/** PKCE's S256 challenge: the verifier's SHA-256, base64url without padding. */
	static String codeChallenge(String codeVerifier) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(Hashing.sha256(codeVerifier));
	}

	/** Exchanges the code Discord sent back for the user's access token. */
	Outcome<String> exchange(String code, String codeVerifier, String redirectUri) {
		Map<String, String> form = new LinkedHashMap<>();
		form.put("grant_type", "authorization_code");
		form.put("code", code);
		form.put("redirect_uri", redirectUri);
		form.put("code_verifier", codeVerifier);
		String body = form.entrySet()
			.stream()
			.map((field) -> encode(field.getKey()) + "=" + encode(field.getValue()))
			.collect(Collectors.joining("&"));
		String credentials = encode(String.valueOf(this.clientId)) + ":" + encode(this.properties.clientSecret());
		HttpRequest request = HttpRequest.newBuilder(this.properties.tokenUrl())
			.timeout(this.discord.requestTimeout())
			.header("User-Agent", USER_AGENT)
			.header("Accept", "application/json")
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("Authorization",
					"Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
		return switch (send(request)) {
			case Outcome.Failed<JsonNode> failed -> new Outcome.Failed<>(failed.reason());
			case Outcome.Obtained<JsonNode> token -> {
				JsonNode answer = token.value();
				String accessToken = answer.path("access_token").asString("");
				if (accessToken.isBlank() || !answer.path("token_type").asString("").equalsIgnoreCase("Bearer")) {
					yield new Outcome.Failed<>("Discord answered without a bearer token.");
				}
				yield new Outcome.Obtained<>(accessToken);
			}
		};
	}

	/** Who the token's user is, and the servers they are in with their permissions. */
	Outcome<Identity> identity(String accessToken) {
		Outcome<JsonNode> user = send(apiRequest("/users/@me", accessToken));
		if (user instanceof Outcome.Failed<JsonNode> failed) {
			return new Outcome.Failed<>(failed.reason());
		}
		JsonNode me = ((Outcome.Obtained<JsonNode>) user).value();
		String id = me.path("id").asString("");
		if (!id.matches("[0-9]{1,20}")) {
			return new Outcome.Failed<>("Discord answered without the user's id.");
		}
		// A user is in at most 200 servers: one page of 200 holds them all.
		Outcome<JsonNode> guilds = send(apiRequest("/users/@me/guilds?limit=200", accessToken));
		if (guilds instanceof Outcome.Failed<JsonNode> failed) {
			return new Outcome.Failed<>(failed.reason());
		}
		JsonNode list = ((Outcome.Obtained<JsonNode>) guilds).value();
		if (!list.isArray()) {
			return new Outcome.Failed<>("Discord answered the server list in an unexpected shape.");
		}
		List<Guild> servers = new ArrayList<>();
		for (JsonNode guild : list) {
			String guildId = guild.path("id").asString("");
			if (guildId.matches("[0-9]{1,20}")) {
				servers.add(new Guild(guildId, guild.path("name").asString(""), guild.path("owner").asBoolean(false),
						permissions(guild.path("permissions"))));
			}
		}
		String username = me.path("username").asString("").replaceAll("\\p{Cntrl}", "").strip();
		return new Outcome.Obtained<>(
				new Identity(id, username.isEmpty() ? id : username.substring(0, Math.min(username.length(), 64)),
						List.copyOf(servers)));
	}

	private HttpRequest apiRequest(String path, String accessToken) {
		return HttpRequest.newBuilder(URI.create(this.apiBase + path))
			.timeout(this.discord.requestTimeout())
			.header("User-Agent", USER_AGENT)
			.header("Accept", "application/json")
			.header("Authorization", "Bearer " + accessToken)
			.GET()
			.build();
	}

	private Outcome<JsonNode> send(HttpRequest request) {
		HttpResponse<byte[]> response;
		try {
			response = this.http.send(request, HttpResponse.BodyHandlers.ofByteArray());
		}
		catch (HttpTimeoutException ex) {
			return new Outcome.Failed<>("Discord did not answer in time.");
		}
		catch (IOException ex) {
			log.debug("Calling Discord at {} failed", request.uri(), ex);
			return new Outcome.Failed<>("Discord could not be reached.");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new Outcome.Failed<>("Interrupted while calling Discord.");
		}
		int status = response.statusCode();
		JsonNode body = readJson(response.body());
		if (status == 429) {
			return new Outcome.Failed<>("Discord is limiting requests right now; try again in a minute.");
		}
		if (status < 200 || status >= 300 || body == null) {
			// OAuth2 errors carry error and error_description; the API's carry message.
			String error = (body != null) ? body.path("error").asString(body.path("message").asString("")) : "";
			log.info("Discord answered HTTP {} to the portal's sign-in at {} ({})", status, request.uri().getPath(),
					error);
			return new Outcome.Failed<>("Discord refused the sign-in (HTTP " + status
					+ (error.isBlank() ? "" : ", " + error.substring(0, Math.min(error.length(), 100))) + ").");
		}
		return new Outcome.Obtained<>(body);
	}

	private @Nullable JsonNode readJson(byte[] body) {
		if (body.length == 0) {
			return null;
		}
		try {
			return this.json.readTree(body);
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	/** Discord's permission bit set: a string of a decimal number (API v8 and later). */
	private static BigInteger permissions(JsonNode value) {
		String text = value.isString() ? value.asString() : value.isIntegralNumber() ? value.asString() : "";
		return text.matches("[0-9]{1,40}") ? new BigInteger(text) : BigInteger.ZERO;
	}

	private static String encode(@Nullable String value) {
		return URLEncoder.encode((value != null) ? value : "", StandardCharsets.UTF_8);
	}

	/** The signed-in Discord user. */
	record Identity(String userId, String username, List<Guild> guilds) {
	}

	/**
	 * A server the user is in.
	 *
	 * @param permissions the user's permissions there (their roles'; Discord does not
	 * count channel overwrites here)
	 */
	record Guild(String id, String name, boolean owner, BigInteger permissions) {

		/**
		 * Whether the user may manage the server: its owner, an administrator, or
		 * MANAGE_GUILD.
		 */
		boolean managed() {
			return this.owner || this.permissions.testBit(MANAGE_GUILD_BIT)
					|| this.permissions.testBit(ADMINISTRATOR_BIT);
		}

	}

	/** What a call to Discord came to. */
	sealed interface Outcome<T> {

		record Obtained<T>(T value) implements Outcome<T> {
		}

		/** Why not, in words for the page. */
		record Failed<T>(String reason) implements Outcome<T> {
		}

	}

}
