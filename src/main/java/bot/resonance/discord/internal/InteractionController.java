package bot.resonance.discord.internal;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

import bot.resonance.platform.db.KeyedPlans;
import bot.resonance.brands.Brand;
import bot.resonance.brands.Brands;
import bot.resonance.discord.Answer;
import bot.resonance.discord.CommandCall;
import bot.resonance.discord.InteractionsProperties;
import bot.resonance.discord.Ui;
import bot.resonance.discordapi.DiscordClient;
import bot.resonance.discordapi.DiscordProperties;
import bot.resonance.identity.Identity;
import bot.resonance.identity.Member;
import bot.resonance.identity.Members;
import bot.resonance.platform.web.ApiException;
import bot.resonance.platform.web.JsonLimits;
import bot.resonance.platform.web.TextChecks;
import bot.resonance.platform.web.Utf8;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /discord/interactions}, as seed 002 describes it: the Ed25519 signature
 * first (every bad one is a {@code 401}), the ping, then for commands, buttons and modals
 * the five steps in order: the interaction's lock, the tenant, the user's registration,
 * the interaction log, the router.
 */
@RestController
@Tag(name = "Discord",
		description = "Discord's interactions endpoint (seed 002). Discord calls it; set its URL as the application's Interactions Endpoint URL.")
class InteractionController {

	private static final Logger log = LoggerFactory.getLogger(InteractionController.class);

	private final InteractionsProperties properties;

	private final @Nullable InteractionSignature signature;

	private final DiscordRepository repository;

	private final CommandRouter router;

	private final DeferredAnswers deferred;

	private final SetupCommand setup;

	private final Brands brands;

	private final Members members;

	private final TransactionTemplate transactions;

	private final JsonMapper json;

	/**
	 * Reads interactions with fractions exact, so that a number jsonb cannot hold is seen
	 * as it is (1e-200000 is no 0.0).
	 */
	private final ObjectReader reader;

	private final Clock clock;

	private final KeyedPlans keyedPlans;

	InteractionController(InteractionsProperties properties, DiscordProperties discord, DiscordRepository repository,
			CommandRouter router, DeferredAnswers deferred, SetupCommand setup, Brands brands, Members members,
			TransactionTemplate transactions, JsonMapper json, Clock clock, KeyedPlans keyedPlans) {
		this.properties = properties;
		this.signature = properties.verifying() ? InteractionSignature.of(properties.publicKey()) : null;
		if (this.signature == null) {
			// A warning when the bot is being set up (a token or application id given), a
			// note otherwise: a server not used with Discord warns about nothing at
			// start.
			String notice = "DISCORD_INTERACTIONS_PUBLIC_KEY is not set: POST /discord/interactions accepts requests "
					+ "without checking Discord's signature. Set it before exposing the endpoint.";
			if (discord.configured() || (properties.applicationId() != null && !properties.applicationId().isBlank())) {
				log.warn(notice);
			}
			else {
				log.info(notice);
			}
		}
		this.repository = repository;
		this.router = router;
		this.deferred = deferred;
		this.setup = setup;
		this.brands = brands;
		this.members = members;
		this.transactions = transactions;
		this.json = json;
		this.reader = json.reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
		this.clock = clock;
		this.keyedPlans = keyedPlans;
	}

	@PostMapping(path = "/discord/interactions", produces = MediaType.APPLICATION_JSON_VALUE)
	@Operation(operationId = "receiveDiscordInteraction", summary = "Receive a Discord interaction",
			requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
					content = @Content(schema = @Schema(implementation = InteractionSchema.class),
							examples = { @ExampleObject(name = "ping", value = """
									{"id": "1300000000000000001", "type": 1}"""),
									@ExampleObject(name = "command", value = """
											{"id": "1300000000000000002", "type": 2, "guild_id": "987654321098765432", \
											"channel_id": "1200000000000000003", \
											"member": {"user": {"id": "123456789012345678"}, "roles": []}, \
											"data": {"name": "checkin"}}""") })),
			responses = {
					@ApiResponse(responseCode = "200",
							description = "A Discord interaction response: type 1 (pong), 4 (a message; flags 64: "
									+ "ephemeral) or 9 (a modal)",
							content = @Content(schema = @Schema(type = "object"),
									examples = @ExampleObject(name = "message", value = """
											{"type": 4, "data": {"content": "Command result message", "embeds": [], \
											"components": [], "flags": 64}}"""))),
					@ApiResponse(responseCode = "400", description = "invalid_request: a malformed interaction"),
					@ApiResponse(responseCode = "401", description = "invalid_signature") },
			parameters = {
					@Parameter(name = "X-Signature-Ed25519", in = ParameterIn.HEADER,
							description = "Discord's Ed25519 signature of X-Signature-Timestamp + body (hex); required "
									+ "when DISCORD_INTERACTIONS_PUBLIC_KEY is set"),
					@Parameter(name = "X-Signature-Timestamp", in = ParameterIn.HEADER,
							description = "The timestamp Discord signed with the body") },
			description = "Verified with X-Signature-Ed25519 over X-Signature-Timestamp + body (DISCORD_INTERACTIONS_PUBLIC_KEY). Ping (type 1) answers {\"type\":1}; commands (2), buttons (3) and modals (5) answer with Discord interaction responses.")
	Map<String, Object> interact(@RequestHeader(name = "X-Signature-Ed25519", required = false) @Nullable String sig,
			@RequestHeader(name = "X-Signature-Timestamp", required = false) @Nullable String timestamp,
			@RequestBody(required = false) byte @Nullable [] body, HttpServletRequest request) {
		String contentType = request.getContentType();
		// Discord sends JSON; a form's body is read as its parameters before the
		// signature
		// could be checked over its bytes, so a form is refused as one, not as a bad
		// signature.
		if (contentType != null && (contentType.regionMatches(true, 0, MediaType.APPLICATION_FORM_URLENCODED_VALUE, 0,
				MediaType.APPLICATION_FORM_URLENCODED_VALUE.length())
				|| contentType.regionMatches(true, 0, "multipart/", 0, "multipart/".length()))) {
			throw new ApiException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
					"Send the interaction as application/json, as Discord does.");
		}
		byte[] raw = (body != null) ? body : new byte[0];
		if (this.signature != null && !this.signature.verifies(sig, timestamp, raw)) {
			throw new ApiException(HttpStatus.UNAUTHORIZED, "invalid_signature",
					"Invalid Discord request signature (X-Signature-Ed25519 over X-Signature-Timestamp + body).");
		}
		// Discord's time against this machine's, not the application clock (which tests
		// move): a request signed long ago is a replay, however well it verifies.
		Instant wallClock = Instant.now();
		if (this.signature != null
				&& !InteractionSignature.isFresh(timestamp, wallClock, this.properties.signatureTolerance())) {
			throw new ApiException(HttpStatus.UNAUTHORIZED, "invalid_signature",
					"X-Signature-Timestamp is more than " + this.properties.signatureTolerance().toSeconds()
							+ " seconds from this server's time (" + wallClock.getEpochSecond()
							+ "): a request signed that long ago is refused as a replay. Check the server's clock.");
		}
		JsonNode interaction = parse(raw);
		int type = interaction.path("type").asInt(-1);
		if (type == 1) {
			return Map.of("type", 1);
		}
		// A NUL character or an unpaired surrogate cannot be stored (the interaction is
		// logged, and its values become members' and events' text): said to the user, in
		// Discord, naming where it is, and nothing is done.
		String unstorable = firstUnstorable(interaction, "");
		if (unstorable != null) {
			return Responses.ephemeral("This interaction holds a character Resonance cannot store (a NUL or a lone "
					+ "UTF-16 surrogate) in " + Ui.clip(unstorable, 100) + ": nothing was done.");
		}
		String id = text(interaction.path("id"));
		JsonNode user = interaction.path("member").path("user");
		String userField = "member.user.id";
		if (user.isMissingNode() || user.isNull()) {
			user = interaction.path("user");
			userField = "user.id";
		}
		String userId = text(user.path("id"));
		String guildId = text(interaction.path("guild_id"));
		String channelId = text(interaction.path("channel_id"));
		if (id == null) {
			throw ApiException.invalidRequest("A command, component or modal interaction needs an id.");
		}
		if (userId == null) {
			throw ApiException.invalidRequest(
					"A command, component or modal interaction needs member.user.id (in a guild) or user.id.");
		}
		snowflake("id", id);
		// One spelling per user and guild (snowflakes have no leading zeros), whatever
		// keys them below: the registration, the lock, the limits of /setup.
		userId = snowflake(userField, userId);
		guildId = (guildId != null) ? snowflake("guild_id", guildId) : null;
		if (channelId != null) {
			snowflake("channel_id", channelId);
		}
		if (type == 2 && text(interaction.path("data").path("name")) == null
				|| type != 2 && text(interaction.path("data").path("custom_id")) == null) {
			throw ApiException.invalidRequest((type == 2) ? "A command interaction needs data.name."
					: "A component or modal interaction needs data.custom_id.");
		}
		Instant now = this.clock.instant();
		// 1. The interaction's lock: another delivery of it is being processed; 2. the
		// tenant: the guild's brand, or in DMs the user's registration; 3. the user's
		// registration with the tenant, in a guild; 4. the interaction log: a duplicate
		// delivery is acknowledged, not processed. One statement, committed before the
		// command runs.
		String name = (type == 2) ? text(interaction.path("data").path("name"))
				: text(interaction.path("data").path("custom_id"));
		String payload = new String(raw, StandardCharsets.UTF_8);
		if (payload.startsWith("\uFEFF")) {
			// A byte order mark: JSON may start with one, jsonb refuses it.
			payload = payload.substring(1);
		}
		DiscordRepository.Claimed claimed = this.repository.claim(id, now, this.properties.lockTtl(), guildId, userId,
				type, name, payload);
		if (!claimed.locked()) {
			return Responses.ephemeral("This interaction is already being processed.");
		}
		String brandId = claimed.brandId();
		Brand brand = (brandId != null) ? this.brands.find(brandId).orElse(null) : null;
		if (brand == null && guildId != null && type == 2 && SetupCommand.NAME.equals(name)) {
			// /setup connects a server no brand has yet: without a tenant, it is answered
			// here, and logged under the brand it connects the server to.
			return Responses.render(this.setup.connect(id, guildId, userId,
					permissions(interaction.path("member").path("permissions")), interaction, payload));
		}
		if (brand == null) {
			return Responses.ephemeral((guildId != null)
					? "This server is not connected to Resonance yet: an admin connects it with /setup and the code from the brand's dashboard."
					: "Run /register in a server that uses Resonance first, then try again here.");
		}
		if (!claimed.logged()) {
			return Responses.ephemeral("Already handled.");
		}
		String invoker = userId;
		// The user as the brand's member: usually known already (one read); made one on
		// first sight. Commands that move balances hold the member or person themselves.
		// Read in one statement, the member names the person it belongs to now: a merge
		// of people moves their members in the transaction that records it.
		Identity identity = Identity.discord(brand.brandId(), userId).orElseThrow();
		Member member = this.members.find(identity).orElseGet(() -> this.transactions.execute((status) -> {
			// Planned once, not at each first sight (see KeyedPlans).
			this.keyedPlans.inThisTransaction();
			return this.members.resolveOrCreate(List.of(identity)).get(identity);
		}));
		// 5. The router, once the registration and the log are committed: commands
		// run in transactions of their own, and some wait on other work.
		long permissions = permissions(interaction.path("member").path("permissions"));
		CommandCall call = new CommandCall(type, brand, guildId, channelId, invoker, member, permissions, interaction);
		Answer answer = this.router.route(call);
		if (answer instanceof Answer.Deferred deferred) {
			String token = text(interaction.path("token"));
			String application = text(interaction.path("application_id"));
			if (application == null || !Identity.discord("", application).isPresent()) {
				application = this.properties.applicationId();
			}
			if (token == null || !DiscordClient.isInteractionToken(token) || application == null
					|| application.isBlank()) {
				// Nothing to finish it through: answer when the work is done.
				return Responses.render(this.deferred.runNow(deferred));
			}
			this.deferred.finish(application, token, deferred);
		}
		return Responses.render(answer);
	}

	/**
	 * {@code value} as one spelling of a Discord id (no leading zeros).
	 * @throws ApiException {@code 400} naming {@code field} if it is no snowflake
	 */
	private static String snowflake(String field, String value) {
		return Identity.discord("", value)
			.orElseThrow(
					() -> ApiException.invalidRequest(field + " is not a Discord id (a snowflake: up to 20 digits)."))
			.value();
	}

	/** {@code member.permissions}: a bit set as a decimal string; 0 if absent. */
	private static long permissions(JsonNode value) {
		if (!value.isString()) {
			return 0;
		}
		String digits = value.asString();
		if (digits.isEmpty() || !digits.chars().allMatch((c) -> c >= '0' && c <= '9')) {
			return 0; // Discord writes a bit set in decimal digits, nothing else
		}
		try {
			return Long.parseUnsignedLong(digits);
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

	/** The path of the first number in {@code node} that jsonb cannot keep, or null. */
	static @Nullable String firstUnstorableNumber(JsonNode node, String path) {
		return first(node, path, (value) -> value.isNumber() && !TextChecks.isStorableNumber(value.decimalValue()),
				(name) -> true);
	}

	/**
	 * The path of the first name or string in {@code node} that cannot be stored, or
	 * null.
	 */
	static @Nullable String firstUnstorable(JsonNode node, String path) {
		return first(node, path, (value) -> value.isString() && !TextChecks.isStorable(value.stringValue()),
				TextChecks::isStorable);
	}

	/**
	 * The path of the first value in {@code node} that is {@code bad}, or of the first
	 * field name that is not {@code goodName}; null if there is none.
	 */
	private static @Nullable String first(JsonNode node, String path, Predicate<JsonNode> bad,
			Predicate<String> goodName) {
		if (bad.test(node)) {
			return path.isEmpty() ? "the body" : path;
		}
		if (node.isArray()) {
			for (int i = 0; i < node.size(); i++) {
				String found = first(node.get(i), path + "[" + i + "]", bad, goodName);
				if (found != null) {
					return found;
				}
			}
		}
		if (node.isObject()) {
			for (String name : node.propertyNames()) {
				if (!goodName.test(name)) {
					return (path.isEmpty() ? "a field name" : "a field name in " + path);
				}
				String found = first(node.get(name), path.isEmpty() ? name : path + "." + name, bad, goodName);
				if (found != null) {
					return found;
				}
			}
		}
		return null;
	}

	private JsonNode parse(byte[] raw) {
		Utf8.require(raw);
		JsonNode interaction;
		try {
			interaction = this.reader.readTree(raw);
		}
		catch (JacksonException ex) {
			String limits = JsonLimits.problem(ex);
			throw ApiException
				.invalidRequest((limits != null) ? limits : "The body must be a Discord interaction: a JSON object.");
		}
		if (interaction == null || !interaction.isObject()) {
			throw ApiException.invalidRequest("The body must be a Discord interaction: a JSON object.");
		}
		String number = firstUnstorableNumber(interaction, "");
		if (number != null) {
			throw ApiException.invalidRequest("The number in " + Ui.clip(number, 100) + " is more than "
					+ TextChecks.MAX_NUMBER_DIGITS + " digits long written out in full, which no interaction has.");
		}
		JsonNode type = interaction.path("type");
		if (!type.isInt() || !List.of(1, 2, 3, 5).contains(type.asInt())) {
			throw ApiException.invalidRequest(
					"type must be 1 (ping), 2 (application command), 3 (message component) or 5 (modal submit).");
		}
		for (String field : List.of("id", "guild_id", "channel_id", "token", "application_id")) {
			if (!interaction.path(field).isMissingNode() && !interaction.path(field).isNull()
					&& !interaction.path(field).isString()) {
				throw ApiException.invalidRequest(field + " must be a string.");
			}
		}
		for (String field : List.of("member", "user", "data")) {
			if (!interaction.path(field).isMissingNode() && !interaction.path(field).isNull()
					&& !interaction.path(field).isObject()) {
				throw ApiException.invalidRequest(field + " must be an object.");
			}
		}
		return interaction;
	}

	private static @Nullable String text(JsonNode node) {
		return (node.isString() && !node.asString().isBlank()) ? node.asString() : null;
	}

	/**
	 * An interaction, as the Discord interactions document (seed 002) lists its fields.
	 */
	@Schema(name = "DiscordInteraction", description = "Discord's interaction payload; other fields are ignored")
	record InteractionSchema(@Schema(description = "Interaction ID") @Nullable String id,
			@Schema(description = "1 = Ping, 2 = Application Command, 3 = Message Component, 5 = Modal Submit",
					allowableValues = {
							"1", "2", "3", "5" },
					requiredMode = Schema.RequiredMode.REQUIRED) int type,
			@Schema(description = "Discord guild/server ID") @Nullable String guildId,
			@Schema(description = "Channel where the command was invoked") @Nullable String channelId,
			@Schema(description = "Guild member object containing user.id and roles") java.util.@Nullable Map<String, Object> member,
			@Schema(description = "DM user object containing id") java.util.@Nullable Map<String, Object> user,
			@Schema(description = "Command data: name and options (type 2), custom_id and values (type 3), custom_id "
					+ "and components (type 5)") java.util.@Nullable Map<String, Object> data){
	}

}
