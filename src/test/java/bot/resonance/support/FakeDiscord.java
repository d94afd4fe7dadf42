package bot.resonance.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A local stand-in for Discord's REST API (v10), speaking its paths, headers, status
 * codes and JSON error bodies: {@code PUT
 * /guilds/{guild.id}/members/{user.id}/roles/{role.id}} and {@code POST
 * /channels/{channel.id}/messages}. Tests declare the guilds, members, roles and channels
 * they use (with ids no other test uses), and can make the next requests to a path answer
 * {@code 429}. One instance serves the whole test run; the application under test is
 * pointed at it by {@link FakeDiscordConfiguration}.
 *
 * <p>
 * It also plays Discord's OAuth2 side for "Sign in with Discord": the authorization page
 * ({@link #approve}, {@link #deny}: what Discord redirects the person back with), the
 * token endpoint ({@code POST /api/oauth2/token}: a form with
 * {@code grant_type=authorization_code}, {@code code}, {@code redirect_uri} and
 * {@code code_verifier}, the client authenticated with HTTP Basic; Discord's
 * {@code {"error": …}} answers), and {@code GET /users/@me} and
 * {@code GET /users/@me/guilds} with the user's bearer token.
 */
public final class FakeDiscord {

	public static final String TOKEN = "test-bot-token";

	/**
	 * The OAuth2 client secret of the test application (its client id is its application
	 * id).
	 */
	public static final String CLIENT_SECRET = "test-client-secret";

	/** MANAGE_GUILD, as Discord writes permissions: a decimal string. */
	public static final String MANAGE_GUILD = Long.toString(1L << 5);

	/** ADMINISTRATOR. */
	public static final String ADMINISTRATOR = Long.toString(1L << 3);

	/** SEND_MESSAGES and VIEW_CHANNEL: an ordinary member. */
	public static final String MEMBER = Long.toString((1L << 11) | (1L << 10));

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Pattern ROLE_PATH = Pattern
		.compile("/api/v10/guilds/([0-9]+)/members/([0-9]+)/roles/([0-9]+)");

	private static final Pattern MESSAGE_PATH = Pattern.compile("/api/v10/channels/([0-9]+)/messages");

	private static final Pattern CHANNEL_PATH = Pattern.compile("/api/v10/channels/([0-9]+)");

	private static final Pattern COMMANDS_PATH = Pattern
		.compile("/api/v10/applications/([0-9]+)(?:/guilds/([0-9]+))?/commands");

	private static final Pattern ORIGINAL_PATH = Pattern
		.compile("/api/v10/webhooks/([0-9]+)/([A-Za-z0-9._-]+)/messages/@original");

	private static final FakeDiscord INSTANCE = new FakeDiscord();

	private final Map<String, String> dmChannels = new ConcurrentHashMap<>();

	private final Set<String> closedDms = ConcurrentHashMap.newKeySet();

	private final Map<String, JsonNode> commands = new ConcurrentHashMap<>();

	private final Map<String, List<JsonNode>> originals = new ConcurrentHashMap<>();

	private final Set<String> expiredTokens = ConcurrentHashMap.newKeySet();

	private final HttpServer server;

	private final Map<String, Guild> guilds = new ConcurrentHashMap<>();

	private final Map<String, Channel> channels = new ConcurrentHashMap<>();

	private final List<Request> requests = new CopyOnWriteArrayList<>();

	private final Map<String, Deque<Double>> rateLimits = new ConcurrentHashMap<>();

	private final AtomicLong messageIds = new AtomicLong(1_300_000_000_000_000_000L);

	private final Map<String, Grant> codes = new ConcurrentHashMap<>();

	private final Map<String, OAuthUser> accessTokens = new ConcurrentHashMap<>();

	private final Deque<Integer> tokenFailures = new ArrayDeque<>();

	private FakeDiscord() {
		try {
			this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
		this.server.createContext("/", this::handle);
		this.server.start();
	}

	public static FakeDiscord instance() {
		return INSTANCE;
	}

	/** The API base URL, as {@code resonance.discord.api-base-url} takes it. */
	public String baseUrl() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/api/v10";
	}

	public Guild guild(String guildId) {
		return this.guilds.computeIfAbsent(guildId, (id) -> new Guild());
	}

	public Channel channel(String channelId) {
		return this.channels.computeIfAbsent(channelId, (id) -> new Channel());
	}

	/**
	 * The next {@code times} requests whose path contains {@code pathPart} answer
	 * {@code 429} with {@code retry_after} seconds, as Discord does.
	 */
	public void rateLimitNext(String pathPart, double retryAfterSeconds, int times) {
		Deque<Double> queue = this.rateLimits.computeIfAbsent(pathPart, (part) -> new ArrayDeque<>());
		synchronized (queue) {
			for (int i = 0; i < times; i++) {
				queue.add(retryAfterSeconds);
			}
		}
	}

	/** Requests received whose path contains {@code pathPart}, oldest first. */
	public List<Request> requestsTo(String pathPart) {
		return this.requests.stream().filter((request) -> request.path().contains(pathPart)).toList();
	}

	/** The DM channel the bot opened with a user, if it did. */
	public java.util.Optional<Channel> dmWith(String userId) {
		return java.util.Optional.ofNullable(this.dmChannels.get(userId)).map(this.channels::get);
	}

	/** The user does not accept DMs from the bot: Discord's 50007. */
	public void closeDms(String userId) {
		this.closedDms.add(userId);
	}

	/**
	 * The commands the application has, globally ({@code guildId} null) or in a guild, as
	 * the last bulk overwrite left them; null if it never had any.
	 */
	public JsonNode commands(String applicationId, String guildId) {
		return this.commands.get(applicationId + "/" + guildId);
	}

	/** The edits of an interaction's original response, oldest first. */
	public List<JsonNode> originalEdits(String interactionToken) {
		return List.copyOf(this.originals.getOrDefault(interactionToken, List.of()));
	}

	/** The interaction's token is past Discord's 15 minutes: Unknown Webhook. */
	public void expireToken(String interactionToken) {
		this.expiredTokens.add(interactionToken);
	}

	/**
	 * Discord's authorization page, as {@code resonance.portal.discord.authorize-url}
	 * takes it.
	 */
	public String authorizeUrl() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/oauth2/authorize";
	}

	/**
	 * Discord's token endpoint, as {@code resonance.portal.discord.token-url} takes it.
	 */
	public String tokenUrl() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/api/oauth2/token";
	}

	/**
	 * A Discord user who can sign in with OAuth2; declare the servers they are in with
	 * {@link OAuthUser#guild}.
	 */
	public OAuthUser oauthUser(String userId, String username) {
		return new OAuthUser(userId, username);
	}

	/**
	 * The person allows the application at {@code authorization} (the address the
	 * application sent them to): where Discord sends them back, with a one-time code and
	 * the application's state. Refuses, as Discord's page does, an authorization address
	 * for another client, response type or challenge method.
	 */
	public URI approve(String authorization, OAuthUser user) {
		Map<String, String> query = query(URI.create(authorization).getRawQuery());
		if (!"code".equals(query.get("response_type")) || !DiscordBot.APPLICATION_ID.equals(query.get("client_id"))
				|| query.get("redirect_uri") == null || !"S256".equals(query.get("code_challenge_method"))
				|| query.get("code_challenge") == null) {
			throw new IllegalArgumentException("Discord would show an error page for " + authorization);
		}
		List<String> scopes = List.of(query.getOrDefault("scope", "").split(" "));
		String code = "code" + this.messageIds.incrementAndGet();
		this.codes.put(code, new Grant(user, query.get("redirect_uri"), query.get("code_challenge"), scopes));
		return URI.create(query.get("redirect_uri") + "?code=" + code
				+ ((query.get("state") != null) ? "&state=" + encode(query.get("state")) : ""));
	}

	/** The person cancels at Discord: back with {@code error=access_denied}. */
	public URI deny(String authorization) {
		Map<String, String> query = query(URI.create(authorization).getRawQuery());
		return URI.create(query.get("redirect_uri")
				+ "?error=access_denied&error_description=The+resource+owner+or+authorization+server+denied+the+request"
				+ ((query.get("state") != null) ? "&state=" + encode(query.get("state")) : ""));
	}

	/** The next {@code times} requests to the token endpoint answer this HTTP status. */
	public void failTokenEndpoint(int status, int times) {
		synchronized (this.tokenFailures) {
			for (int i = 0; i < times; i++) {
				this.tokenFailures.add(status);
			}
		}
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			byte[] body = exchange.getRequestBody().readAllBytes();
			String path = exchange.getRequestURI().getPath();
			Map<String, String> headers = new LinkedHashMap<>();
			exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.getFirst()));
			this.requests
				.add(new Request(exchange.getRequestMethod(), path, headers, new String(body, StandardCharsets.UTF_8)));
			Matcher original = ORIGINAL_PATH.matcher(path);
			if (original.matches() && exchange.getRequestMethod().equals("PATCH")) {
				editOriginal(exchange, original.group(2), headers, body);
				return;
			}
			if (path.equals("/api/oauth2/token") || path.equals("/api/v10/oauth2/token")) {
				token(exchange, headers, new String(body, StandardCharsets.UTF_8));
				return;
			}
			String authorization = headers.getOrDefault("authorization", "");
			if (authorization.startsWith("Bearer ") && exchange.getRequestMethod().equals("GET")) {
				asUser(exchange, path, authorization.substring("Bearer ".length()));
				return;
			}
			if (!("Bot " + TOKEN).equals(headers.get("authorization"))) {
				error(exchange, 401, 0, "401: Unauthorized");
				return;
			}
			Double retryAfter = nextRateLimit(path);
			if (retryAfter != null) {
				exchange.getResponseHeaders().set("Retry-After", Long.toString((long) Math.ceil(retryAfter)));
				exchange.getResponseHeaders().set("X-RateLimit-Limit", "5");
				exchange.getResponseHeaders().set("X-RateLimit-Remaining", "0");
				exchange.getResponseHeaders().set("X-RateLimit-Reset-After", Double.toString(retryAfter));
				exchange.getResponseHeaders().set("X-RateLimit-Bucket", "fake-bucket");
				exchange.getResponseHeaders().set("X-RateLimit-Scope", "user");
				send(exchange, 429,
						Map.of("message", "You are being rate limited.", "retry_after", retryAfter, "global", false));
				return;
			}
			Matcher role = ROLE_PATH.matcher(path);
			Matcher message = MESSAGE_PATH.matcher(path);
			if (role.matches() && exchange.getRequestMethod().equals("PUT")) {
				addRole(exchange, role.group(1), role.group(2), role.group(3));
			}
			else if (message.matches() && exchange.getRequestMethod().equals("POST")) {
				createMessage(exchange, message.group(1), body);
			}
			else if (CHANNEL_PATH.matcher(path).matches() && exchange.getRequestMethod().equals("GET")) {
				describeChannel(exchange, path.substring("/api/v10/channels/".length()));
			}
			else if (path.equals("/api/v10/users/@me/channels") && exchange.getRequestMethod().equals("POST")) {
				openDm(exchange, body);
			}
			else if (COMMANDS_PATH.matcher(path).matches() && exchange.getRequestMethod().equals("PUT")) {
				Matcher commands = COMMANDS_PATH.matcher(path);
				commands.matches();
				overwriteCommands(exchange, commands.group(1), commands.group(2), body);
			}
			else {
				error(exchange, 404, 0, "404: Not Found");
			}
		}
	}

	private void token(HttpExchange exchange, Map<String, String> headers, String body) throws IOException {
		Integer failure;
		synchronized (this.tokenFailures) {
			failure = this.tokenFailures.poll();
		}
		if (failure != null) {
			send(exchange, failure, Map.of("message", "500: Internal Server Error", "code", 0));
			return;
		}
		if (!exchange.getRequestMethod().equals("POST")
				|| !headers.getOrDefault("content-type", "").startsWith("application/x-www-form-urlencoded")) {
			oauthError(exchange, 400, "invalid_request", "Use POST with a form body");
			return;
		}
		Map<String, String> form = query(body);
		String expected = "Basic " + java.util.Base64.getEncoder()
			.encodeToString((DiscordBot.APPLICATION_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
		boolean basic = expected.equals(headers.get("authorization"));
		boolean inForm = DiscordBot.APPLICATION_ID.equals(form.get("client_id"))
				&& CLIENT_SECRET.equals(form.get("client_secret"));
		if (!basic && !inForm) {
			oauthError(exchange, 401, "invalid_client", null);
			return;
		}
		if (!"authorization_code".equals(form.get("grant_type"))) {
			oauthError(exchange, 400, "unsupported_grant_type", null);
			return;
		}
		Grant grant = (form.get("code") != null) ? this.codes.remove(form.get("code")) : null;
		if (grant == null) {
			oauthError(exchange, 400, "invalid_grant", "Invalid \"code\" in request.");
			return;
		}
		if (!grant.redirectUri().equals(form.get("redirect_uri"))) {
			oauthError(exchange, 400, "invalid_grant", "Invalid \"redirect_uri\" in request.");
			return;
		}
		String verifier = form.getOrDefault("code_verifier", "");
		String challenge = java.util.Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString(sha256(verifier.getBytes(StandardCharsets.US_ASCII)));
		if (verifier.length() < 43 || !challenge.equals(grant.codeChallenge())) {
			oauthError(exchange, 400, "invalid_request", "Invalid \"code_verifier\"");
			return;
		}
		String accessToken = "access" + this.messageIds.incrementAndGet();
		this.accessTokens.put(accessToken, grant.user());
		grant.user().scopes.put(accessToken, grant.scopes());
		send(exchange, 200, Map.of("access_token", accessToken, "token_type", "Bearer", "expires_in", 604800,
				"refresh_token", "refresh" + accessToken, "scope", String.join(" ", grant.scopes())));
	}

	private void asUser(HttpExchange exchange, String path, String accessToken) throws IOException {
		OAuthUser user = this.accessTokens.get(accessToken);
		if (user == null) {
			error(exchange, 401, 0, "401: Unauthorized");
			return;
		}
		List<String> scopes = user.scopes.getOrDefault(accessToken, List.of());
		if (path.equals("/api/v10/users/@me") && scopes.contains("identify")) {
			send(exchange, 200, Map.of("id", user.id, "username", user.username, "global_name", user.username,
					"discriminator", "0", "avatar", "0"));
		}
		else if (path.equals("/api/v10/users/@me/guilds") && scopes.contains("guilds")) {
			send(exchange, 200, user.guilds);
		}
		else if (path.startsWith("/api/v10/users/@me")) {
			error(exchange, 403, 50001, "Missing Access");
		}
		else {
			error(exchange, 404, 0, "404: Not Found");
		}
	}

	private static void oauthError(HttpExchange exchange, int status, String error, String description)
			throws IOException {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("error", error);
		if (description != null) {
			body.put("error_description", description);
		}
		send(exchange, status, body);
	}

	private static Map<String, String> query(String raw) {
		Map<String, String> fields = new LinkedHashMap<>();
		if (raw == null || raw.isEmpty()) {
			return fields;
		}
		for (String pair : raw.split("&")) {
			int equals = pair.indexOf('=');
			String name = (equals < 0) ? pair : pair.substring(0, equals);
			String value = (equals < 0) ? "" : pair.substring(equals + 1);
			fields.put(URLDecoder.decode(name, StandardCharsets.UTF_8),
					URLDecoder.decode(value, StandardCharsets.UTF_8));
		}
		return fields;
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	private static byte[] sha256(byte[] data) {
		try {
			return java.security.MessageDigest.getInstance("SHA-256").digest(data);
		}
		catch (java.security.NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private Double nextRateLimit(String path) {
		for (Map.Entry<String, Deque<Double>> entry : this.rateLimits.entrySet()) {
			if (path.contains(entry.getKey())) {
				synchronized (entry.getValue()) {
					Double next = entry.getValue().poll();
					if (next != null) {
						return next;
					}
				}
			}
		}
		return null;
	}

	private void addRole(HttpExchange exchange, String guildId, String userId, String roleId) throws IOException {
		Guild guild = this.guilds.get(guildId);
		if (guild == null) {
			error(exchange, 404, 10004, "Unknown Guild");
		}
		else if (!guild.roles.contains(roleId)) {
			error(exchange, 404, 10011, "Unknown Role");
		}
		else if (!guild.members.containsKey(userId)) {
			error(exchange, 404, 10007, "Unknown Member");
		}
		else if (guild.rolesAboveBot.contains(roleId)) {
			error(exchange, 403, 50013, "Missing Permissions");
		}
		else {
			guild.members.get(userId).add(roleId);
			rateLimitHeaders(exchange);
			exchange.sendResponseHeaders(204, -1);
		}
	}

	/**
	 * Discord's channel object, as much of it as a bot reads: a guild text channel (type
	 * 0) with its {@code guild_id}, or a DM (type 1) without one.
	 */
	private void describeChannel(HttpExchange exchange, String channelId) throws IOException {
		Channel channel = this.channels.get(channelId);
		if (channel == null) {
			error(exchange, 404, 10003, "Unknown Channel");
			return;
		}
		Map<String, Object> described = new LinkedHashMap<>();
		described.put("id", channelId);
		described.put("type", (channel.guildId != null) ? 0 : 1);
		if (channel.guildId != null) {
			described.put("guild_id", channel.guildId);
			described.put("name", "general");
		}
		send(exchange, 200, described);
	}

	private void createMessage(HttpExchange exchange, String channelId, byte[] body) throws IOException {
		Channel channel = this.channels.get(channelId);
		if (channel == null) {
			error(exchange, 404, 10003, "Unknown Channel");
			return;
		}
		if (!channel.canSend) {
			error(exchange, 403, channel.refusal, channel.refusalMessage);
			return;
		}
		JsonNode request = JSON.readTree(body);
		boolean hasContent = request.path("content").isString() && !request.path("content").asString().isBlank();
		boolean hasEmbeds = request.path("embeds").isArray() && !request.path("embeds").isEmpty();
		if (!hasContent && !hasEmbeds) {
			error(exchange, 400, 50006, "Cannot send an empty message");
			return;
		}
		Message created;
		synchronized (channel) {
			String nonce = request.path("nonce").isString() ? request.path("nonce").asString() : null;
			Message earlier = (nonce != null && request.path("enforce_nonce").asBoolean(false))
					? channel.messages.stream().filter((m) -> nonce.equals(m.nonce())).findFirst().orElse(null) : null;
			if (earlier != null) {
				created = earlier;
			}
			else {
				created = new Message(Long.toString(this.messageIds.incrementAndGet()), channelId,
						request.path("content").asString(""), request.path("embeds"), nonce, request);
				channel.messages.add(created);
			}
		}
		Map<String, Object> answer = new LinkedHashMap<>();
		answer.put("id", created.id());
		answer.put("type", 0);
		answer.put("channel_id", channelId);
		answer.put("content", created.content());
		answer.put("embeds", created.embeds());
		answer.put("author", Map.of("id", "1100000000000000001", "username", "Resonance", "bot", true));
		answer.put("timestamp", "2026-04-14T19:00:00.000000+00:00");
		if (created.nonce() != null) {
			answer.put("nonce", created.nonce());
		}
		rateLimitHeaders(exchange);
		send(exchange, 200, answer);
	}

	private void openDm(HttpExchange exchange, byte[] body) throws IOException {
		String user = JSON.readTree(body).path("recipient_id").asString("");
		if (!user.matches("[0-9]{1,20}")) {
			error(exchange, 400, 50035, "Invalid Form Body");
			return;
		}
		String channelId = this.dmChannels.computeIfAbsent(user,
				(u) -> Long.toString(this.messageIds.incrementAndGet()));
		Channel channel = channel(channelId);
		if (this.closedDms.contains(user)) {
			channel.forbidden(50007, "Cannot send messages to this user");
		}
		rateLimitHeaders(exchange);
		send(exchange, 200, Map.of("id", channelId, "type", 1, "recipients", List.of(Map.of("id", user))));
	}

	private void overwriteCommands(HttpExchange exchange, String applicationId, String guildId, byte[] body)
			throws IOException {
		JsonNode list = JSON.readTree(body);
		if (!list.isArray()) {
			error(exchange, 400, 50035, "Invalid Form Body");
			return;
		}
		tools.jackson.databind.node.ArrayNode saved = JSON.createArrayNode();
		for (JsonNode command : list) {
			String name = command.path("name").asString("");
			if (!name.matches("[-_\\p{L}\\p{N}]{1,32}") || !name.equals(name.toLowerCase())
					|| command.path("description").asString("").isEmpty()
					|| command.path("description").asString("").length() > 100) {
				error(exchange, 400, 50035, "Invalid Form Body");
				return;
			}
			tools.jackson.databind.node.ObjectNode copy = ((tools.jackson.databind.node.ObjectNode) command).deepCopy();
			copy.put("id", Long.toString(this.messageIds.incrementAndGet()));
			copy.put("application_id", applicationId);
			if (guildId != null) {
				copy.put("guild_id", guildId);
			}
			copy.put("version", "1");
			saved.add(copy);
		}
		this.commands.put(applicationId + "/" + guildId, saved);
		rateLimitHeaders(exchange);
		send(exchange, 200, saved);
	}

	private void editOriginal(HttpExchange exchange, String token, Map<String, String> headers, byte[] body)
			throws IOException {
		if (headers.containsKey("authorization")) {
			// Interaction webhooks take the interaction's token; sending the bot's is a
			// mistake Discord forgives, the fake does not.
			error(exchange, 400, 0, "Interaction webhooks do not take an Authorization header");
			return;
		}
		if (this.expiredTokens.contains(token)) {
			error(exchange, 404, 10015, "Unknown Webhook");
			return;
		}
		JsonNode edit = JSON.readTree(body);
		this.originals.computeIfAbsent(token, (t) -> new CopyOnWriteArrayList<>()).add(edit);
		rateLimitHeaders(exchange);
		send(exchange, 200, Map.of("id", Long.toString(this.messageIds.incrementAndGet()), "channel_id", "1", "content",
				edit.path("content").asString("")));
	}

	private static void rateLimitHeaders(HttpExchange exchange) {
		exchange.getResponseHeaders().set("X-RateLimit-Limit", "5");
		exchange.getResponseHeaders().set("X-RateLimit-Remaining", "4");
		exchange.getResponseHeaders().set("X-RateLimit-Reset-After", "1.0");
		exchange.getResponseHeaders().set("X-RateLimit-Bucket", "fake-bucket");
	}

	private static void error(HttpExchange exchange, int status, int code, String message) throws IOException {
		send(exchange, status, Map.of("message", message, "code", code));
	}

	private static void send(HttpExchange exchange, int status, Object body) throws IOException {
		byte[] bytes = JSON.writeValueAsBytes(body);
		exchange.getResponseHeaders().set("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, bytes.length);
		exchange.getResponseBody().write(bytes);
	}

	/** A request Discord received. Header names are lower case. */
	public record Request(String method, String path, Map<String, String> headers, String body) {

		public JsonNode json() {
			return JSON.readTree(this.body);
		}

	}

	/** A message posted in a channel. */
	public record Message(String id, String channelId, String content, JsonNode embeds, String nonce,
			JsonNode request) {
	}

	/** A Discord user who signs in with OAuth2, and the servers they are in. */
	public static final class OAuthUser {

		private final String id;

		private final String username;

		private final List<Map<String, Object>> guilds = new CopyOnWriteArrayList<>();

		private final Map<String, List<String>> scopes = new ConcurrentHashMap<>();

		OAuthUser(String id, String username) {
			this.id = id;
			this.username = username;
		}

		/**
		 * The user is in a server, with these permissions there (as Discord lists a
		 * partial guild: {@code permissions} a decimal string).
		 */
		public OAuthUser guild(String guildId, String name, boolean owner, String permissions) {
			Map<String, Object> guild = new LinkedHashMap<>();
			guild.put("id", guildId);
			guild.put("name", name);
			guild.put("icon", null);
			guild.put("banner", null);
			guild.put("owner", owner);
			guild.put("permissions", permissions);
			guild.put("features", List.of());
			this.guilds.add(guild);
			return this;
		}

	}

	private record Grant(OAuthUser user, String redirectUri, String codeChallenge, List<String> scopes) {
	}

	public static final class Guild {

		private final Map<String, Set<String>> members = new ConcurrentHashMap<>();

		private final Set<String> roles = ConcurrentHashMap.newKeySet();

		private final Set<String> rolesAboveBot = ConcurrentHashMap.newKeySet();

		public Guild member(String userId) {
			this.members.computeIfAbsent(userId, (id) -> ConcurrentHashMap.newKeySet());
			return this;
		}

		public Guild role(String roleId) {
			this.roles.add(roleId);
			return this;
		}

		/** A role above the bot's highest role: assigning it is Missing Permissions. */
		public Guild roleAboveBot(String roleId) {
			this.roles.add(roleId);
			this.rolesAboveBot.add(roleId);
			return this;
		}

		public Set<String> rolesOf(String userId) {
			return Set.copyOf(this.members.getOrDefault(userId, Set.of()));
		}

	}

	public static final class Channel {

		private final List<Message> messages = new ArrayList<>();

		private volatile boolean canSend = true;

		private volatile int refusal = 50013;

		private volatile String refusalMessage = "Missing Permissions";

		private volatile String guildId;

		/** The channel is in this guild (without one it is a DM channel). */
		public Channel inGuild(String guildId) {
			this.guildId = guildId;
			return this;
		}

		/** The bot may not send messages here: Missing Permissions. */
		public Channel forbidden() {
			return forbidden(50013, "Missing Permissions");
		}

		Channel forbidden(int code, String message) {
			this.refusal = code;
			this.refusalMessage = message;
			this.canSend = false;
			return this;
		}

		public synchronized List<Message> messages() {
			return List.copyOf(this.messages);
		}

	}

}
