package bot.resonance.discordapi;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import bot.resonance.discordapi.internal.Pacer;
import bot.resonance.discordapi.internal.RouteLimits;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Service;

/**
 * Discord's REST API as the bot ({@code Authorization: Bot <token>}).
 *
 * <p>
 * Rate limits are honoured the way Discord asks: the {@code X-RateLimit-*} headers of
 * each answer hold back later requests on an exhausted route, and a {@code 429} is sent
 * again after its {@code retry_after}, a bounded number of times and never waiting longer
 * than {@code resonance.discord.max-rate-limit-wait} in all; past that the call reports
 * {@link DiscordResult.RateLimited}. Discord's JSON errors come back as
 * {@link DiscordResult.Refused}; {@code 5xx}, timeouts and network failures as
 * {@link DiscordResult.Unavailable}.
 */
@Service
public class DiscordClient {

	/** What Discord asks bots to send: {@code DiscordBot ($url, $versionNumber)}. */
	static final String USER_AGENT = "DiscordBot (https://resonance.bot, 1.0)";

	/** Audit log reasons are 1 to 512 characters. */
	static final int MAX_AUDIT_REASON = 512;

	private static final Logger log = LoggerFactory.getLogger(DiscordClient.class);

	private static final Pattern SNOWFLAKE = Pattern.compile("[0-9]{1,20}");

	/** Interaction tokens: URL-safe, no path separators. */
	private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._-]{1,1000}");

	private final DiscordProperties properties;

	private final JsonMapper json;

	private final Pacer pacer;

	private final RouteLimits limits;

	private final HttpClient http;

	private final String base;

	private final Timer rateLimitWaits;

	private final Counter rateLimitedRoute;

	private final Counter rateLimitedGlobal;

	private final Counter rateLimitGiveUps;

	/**
	 * With the application's meter registry, or a private one where there is none (the
	 * {@code register-commands} command line starts no metrics).
	 */
	@Autowired
	DiscordClient(DiscordProperties properties, JsonMapper json, ObjectProvider<MeterRegistry> meters) {
		this(properties, json, Pacer.SYSTEM, meters.getIfAvailable(SimpleMeterRegistry::new));
	}

	DiscordClient(DiscordProperties properties, JsonMapper json, Pacer pacer) {
		this(properties, json, pacer, new SimpleMeterRegistry());
	}

	DiscordClient(DiscordProperties properties, JsonMapper json, Pacer pacer, MeterRegistry meters) {
		this.rateLimitWaits = Timer.builder("resonance.discord.rate.limit.waits")
			.description("Waits before calling Discord for a route or the bot to be out of its rate limit")
			.register(meters);
		this.rateLimitedRoute = rateLimited(meters, "route");
		this.rateLimitedGlobal = rateLimited(meters, "global");
		this.rateLimitGiveUps = Counter.builder("resonance.discord.rate.limit.give.ups")
			.description("Discord calls answered as rate-limited without being sent (the wait would be too long)")
			.register(meters);
		this.properties = properties;
		this.json = json;
		this.pacer = pacer;
		this.limits = new RouteLimits(pacer);
		this.http = HttpClient.newBuilder()
			.connectTimeout(properties.connectTimeout())
			.version(HttpClient.Version.HTTP_1_1)
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
		String url = properties.apiBaseUrl().toString();
		this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
	}

	private static Counter rateLimited(MeterRegistry meters, String scope) {
		return Counter.builder("resonance.discord.rate.limited")
			.description("429 answers from Discord, by scope (route or global)")
			.tag("scope", scope)
			.register(meters);
	}

	/**
	 * Whether {@code token} has the shape of an interaction token, which goes into the
	 * path of the follow-up calls.
	 */
	public static boolean isInteractionToken(String token) {
		return TOKEN.matcher(token).matches();
	}

	/** Whether a bot token is configured. */
	public boolean isConfigured() {
		return this.properties.configured();
	}

	/**
	 * Gives a guild member a role: {@code PUT
	 * /guilds/{guild.id}/members/{user.id}/roles/{role.id}}. Giving a role the member
	 * already has succeeds too.
	 * @param auditReason shown in the guild's audit log, if given (cut to 512 characters)
	 */
	public DiscordResult<RoleAssignment> addMemberRole(String guildId, String userId, String roleId,
			@Nullable String auditReason) {
		checkSnowflakes(guildId, userId, roleId);
		Map<String, String> headers = new LinkedHashMap<>();
		if (auditReason != null && !auditReason.isBlank()) {
			headers.put("X-Audit-Log-Reason", auditLogReason(auditReason));
		}
		return execute("PUT", "PUT /guilds/" + guildId + "/members/:id/roles/:id",
				"/guilds/" + guildId + "/members/" + userId + "/roles/" + roleId, null, headers,
				(response) -> new RoleAssignment(guildId, userId, roleId));
	}

	/**
	 * Posts a message: {@code POST /channels/{channel.id}/messages}. Mentions of users
	 * and roles in the content notify them; {@code @everyone} and {@code @here} never do.
	 */
	public DiscordResult<PostedMessage> createMessage(NewMessage message) {
		checkSnowflakes(message.channelId());
		ObjectNode body = this.json.createObjectNode();
		if (message.content() != null) {
			body.put("content", message.content());
		}
		if (!message.embeds().isEmpty()) {
			ArrayNode embeds = body.putArray("embeds");
			message.embeds().forEach(embeds::add);
		}
		if (message.nonce() != null) {
			body.put("nonce", message.nonce());
			body.put("enforce_nonce", true);
		}
		body.putObject("allowed_mentions").putArray("parse").add("users").add("roles");
		return execute("POST", "POST /channels/" + message.channelId() + "/messages",
				"/channels/" + message.channelId() + "/messages", this.json.writeValueAsBytes(body), Map.of(),
				(response) -> {
					JsonNode created = readJson(response.body());
					String id = (created != null) ? created.path("id").asString("") : "";
					return new PostedMessage(id, message.channelId());
				});
	}

	/**
	 * Describes a channel: {@code GET /channels/{channel.id}}. A channel the bot cannot
	 * see is {@link DiscordResult.Refused} (Missing Access, or Unknown Channel).
	 */
	public DiscordResult<ChannelInfo> channel(String channelId) {
		checkSnowflakes(channelId);
		return execute("GET", "GET /channels/" + channelId, "/channels/" + channelId, null, Map.of(), (response) -> {
			JsonNode channel = readJson(response.body());
			String guildId = (channel != null) ? channel.path("guild_id").asString("") : "";
			return new ChannelInfo(channelId, SNOWFLAKE.matcher(guildId).matches() ? guildId : null);
		});
	}

	/**
	 * Sends a user a direct message: opens (or finds) the DM channel with {@code POST
	 * /users/@me/channels}, then posts in it. A user who does not accept DMs from the bot
	 * is {@link DiscordResult.Refused} with Discord's code {@code 50007}.
	 */
	public DiscordResult<PostedMessage> directMessage(String userId, @Nullable String content, List<JsonNode> embeds) {
		checkSnowflakes(userId);
		ObjectNode open = this.json.createObjectNode().put("recipient_id", userId);
		DiscordResult<String> channel = execute("POST", "POST /users/@me/channels", "/users/@me/channels",
				this.json.writeValueAsBytes(open), Map.of(), true, (response) -> {
					JsonNode created = readJson(response.body());
					return (created != null) ? created.path("id").asString("") : "";
				});
		return switch (channel) {
			case DiscordResult.Success<String> opened when SNOWFLAKE.matcher(opened.value()).matches() ->
				createMessage(new NewMessage(opened.value(), content, embeds, null));
			case DiscordResult.Success<String> opened ->
				new DiscordResult.Unavailable<>("Discord opened a DM channel without an id.");
			case DiscordResult.NotConfigured<String> none -> new DiscordResult.NotConfigured<>();
			case DiscordResult.Refused<String> refused -> new DiscordResult.Refused<>(refused.error());
			case DiscordResult.RateLimited<String> limited ->
				new DiscordResult.RateLimited<>(limited.retryAfter(), limited.global());
			case DiscordResult.Unavailable<String> down -> new DiscordResult.Unavailable<>(down.reason());
		};
	}

	/**
	 * Replaces the application's slash commands, globally ({@code guildId} null) or in
	 * one guild: {@code PUT /applications/{application.id}/commands} (or
	 * {@code .../guilds/{guild.id}/commands}). Discord's bulk overwrite: commands not in
	 * the list are deleted, the same list again changes nothing.
	 * @return the commands as Discord now has them
	 */
	public DiscordResult<JsonNode> overwriteCommands(String applicationId, @Nullable String guildId,
			JsonNode commands) {
		checkSnowflakes(applicationId);
		if (guildId != null) {
			checkSnowflakes(guildId);
		}
		String path = "/applications/" + applicationId
				+ ((guildId != null) ? "/guilds/" + guildId + "/commands" : "/commands");
		return execute("PUT", "PUT " + path, path, this.json.writeValueAsBytes(commands), Map.of(), true,
				(response) -> {
					JsonNode saved = readJson(response.body());
					return (saved != null) ? saved : this.json.createArrayNode();
				});
	}

	/**
	 * Finishes a deferred interaction response: {@code PATCH
	 * /webhooks/{application.id}/{interaction.token}/messages/@original}. Interaction
	 * webhooks take the interaction's token, not the bot's: this works without a bot
	 * token, for 15 minutes after the interaction.
	 * @param message Discord's message fields ({@code content}, {@code embeds},
	 * {@code components})
	 */
	public DiscordResult<PostedMessage> editOriginalResponse(String applicationId, String interactionToken,
			JsonNode message) {
		checkSnowflakes(applicationId);
		if (!TOKEN.matcher(interactionToken).matches()) {
			throw new IllegalArgumentException("Not an interaction token");
		}
		String path = "/webhooks/" + applicationId + "/" + interactionToken + "/messages/@original";
		return execute("PATCH", "PATCH /webhooks/" + applicationId + "/:token/messages/@original", path,
				this.json.writeValueAsBytes(message), Map.of(), false, (response) -> {
					JsonNode edited = readJson(response.body());
					return new PostedMessage((edited != null) ? edited.path("id").asString("") : "",
							(edited != null) ? edited.path("channel_id").asString("") : "");
				});
	}

	private <T> DiscordResult<T> execute(String method, String route, String path, byte @Nullable [] body,
			Map<String, String> headers, Function<HttpResponse<byte[]>, T> success) {
		return execute(method, route, path, body, headers, true, success);
	}

	private <T> DiscordResult<T> execute(String method, String route, String path, byte @Nullable [] body,
			Map<String, String> headers, boolean asBot, Function<HttpResponse<byte[]>, T> success) {
		if (asBot && !this.properties.configured()) {
			return new DiscordResult.NotConfigured<>();
		}
		long budget = this.properties.maxRateLimitWait().toNanos();
		long waited = 0;
		for (int attempt = 0;; attempt++) {
			Duration pause = this.limits.waitBefore(route);
			if (!pause.isZero()) {
				if (waited + pause.toNanos() > budget) {
					this.rateLimitGiveUps.increment();
					return new DiscordResult.RateLimited<>(pause, this.limits.globalHolds());
				}
				try {
					this.pacer.sleep(pause);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return new DiscordResult.Unavailable<>("Interrupted while waiting for Discord's rate limit.");
				}
				waited += pause.toNanos();
				this.rateLimitWaits.record(pause);
			}
			HttpResponse<byte[]> response;
			try {
				response = this.http.send(request(method, path, body, headers, asBot),
						HttpResponse.BodyHandlers.ofByteArray());
			}
			catch (HttpTimeoutException ex) {
				return new DiscordResult.Unavailable<>(
						"Discord did not answer within " + this.properties.requestTimeout().toMillis() + " ms.");
			}
			catch (IOException ex) {
				log.debug("Calling Discord {} {} failed", method, route, ex);
				return new DiscordResult.Unavailable<>("Discord could not be reached: " + ex.getClass().getSimpleName()
						+ ((ex.getMessage() != null) ? " (" + ex.getMessage() + ")" : "") + ".");
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return new DiscordResult.Unavailable<>("Interrupted while calling Discord.");
			}
			this.limits.observe(route, response.headers());
			int status = response.statusCode();
			if (status == 429) {
				RateLimit limit = rateLimit(response);
				this.limits.block(route, limit.retryAfter(), limit.global());
				((limit.global()) ? this.rateLimitedGlobal : this.rateLimitedRoute).increment();
				log.debug("Discord rate-limited {} (global: {}) for {}", route, limit.global(), limit.retryAfter());
				if (attempt >= this.properties.maxRateLimitRetries()
						|| waited + limit.retryAfter().toNanos() > budget) {
					this.rateLimitGiveUps.increment();
					return new DiscordResult.RateLimited<>(limit.retryAfter(), limit.global());
				}
				continue;
			}
			if (status >= 200 && status < 300) {
				return new DiscordResult.Success<>(success.apply(response));
			}
			if (status >= 500 || status < 200) {
				return new DiscordResult.Unavailable<>("Discord answered HTTP " + status + ".");
			}
			if (status >= 300 && status < 400) {
				return new DiscordResult.Unavailable<>("Discord answered with a redirect (HTTP " + status + ").");
			}
			DiscordError error = error(response);
			if (error.reason() == DiscordError.Reason.UNAUTHORIZED) {
				log.warn("Discord refused the bot token (HTTP {}); check resonance.discord.bot-token", status);
			}
			return new DiscordResult.Refused<>(error);
		}
	}

	private HttpRequest request(String method, String path, byte @Nullable [] body, Map<String, String> headers,
			boolean asBot) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.base + path))
			.timeout(this.properties.requestTimeout())
			.header("User-Agent", USER_AGENT)
			.method(method, (body != null) ? HttpRequest.BodyPublishers.ofByteArray(body)
					: HttpRequest.BodyPublishers.noBody());
		if (asBot) {
			request.header("Authorization", "Bot " + this.properties.botToken());
		}
		if (body != null) {
			request.header("Content-Type", "application/json");
		}
		headers.forEach(request::header);
		return request.build();
	}

	/**
	 * The wait a {@code 429} asks for: {@code retry_after} of its JSON body (seconds,
	 * fractional), else the {@code Retry-After} header, else
	 * {@code X-RateLimit-Reset-After}, else one second.
	 */
	private RateLimit rateLimit(HttpResponse<byte[]> response) {
		JsonNode body = readJson(response.body());
		Duration retryAfter = null;
		boolean global = response.headers()
			.firstValue("X-RateLimit-Global")
			.map((value) -> value.trim().equalsIgnoreCase("true"))
			.orElse(false)
				|| response.headers()
					.firstValue("X-RateLimit-Scope")
					.map((value) -> value.trim().equalsIgnoreCase("global"))
					.orElse(false);
		if (body != null && body.isObject()) {
			JsonNode value = body.get("retry_after");
			if (value != null && value.isNumber()) {
				retryAfter = RouteLimits.seconds(value.decimalValue().toPlainString()).orElse(null);
			}
			global = global || body.path("global").asBoolean(false);
		}
		if (retryAfter == null) {
			retryAfter = RouteLimits.seconds(response.headers().firstValue("Retry-After").orElse(null))
				.or(() -> RouteLimits.seconds(response.headers().firstValue("X-RateLimit-Reset-After").orElse(null)))
				.orElse(Duration.ofSeconds(1));
		}
		return new RateLimit(retryAfter, global);
	}

	private DiscordError error(HttpResponse<byte[]> response) {
		JsonNode body = readJson(response.body());
		int code = 0;
		String message = "HTTP " + response.statusCode();
		if (body != null && body.isObject()) {
			if (body.path("code").canConvertToInt()) {
				code = body.path("code").intValue();
			}
			if (body.path("message").isString() && !body.path("message").asString().isBlank()) {
				message = body.path("message").asString();
			}
		}
		return new DiscordError(response.statusCode(), code, message);
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

	/**
	 * The {@code X-Audit-Log-Reason} header: at most 512 characters, URL-encoded (UTF-8,
	 * spaces as {@code %20}) as Discord requires.
	 */
	static String auditLogReason(String reason) {
		String text = reason.strip();
		if (text.length() > MAX_AUDIT_REASON) {
			int end = MAX_AUDIT_REASON;
			if (Character.isHighSurrogate(text.charAt(end - 1))) {
				end--;
			}
			text = text.substring(0, end);
		}
		return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
	}

	private static void checkSnowflakes(String... ids) {
		for (String id : ids) {
			if (!SNOWFLAKE.matcher(id).matches()) {
				throw new IllegalArgumentException("Not a Discord snowflake: " + id);
			}
		}
	}

	private record RateLimit(Duration retryAfter, boolean global) {
	}

}
