package bot.resonance.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import static bot.resonance.support.ResonanceClient.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Plays Discord against {@code POST /discord/interactions}: builds real interaction
 * payloads (a guild's {@code member} with permissions, or a DM's {@code user}; options,
 * components, form submits, a token and application id for deferred answers), signs them
 * as Discord does, and binds guilds to brands.
 */
public final class DiscordBot {

	/** The test application's id: deferred answers are finished through it. */
	public static final String APPLICATION_ID = "1100000000000000042";

	/** Manage Server: what admins' commands need. */
	public static final String ADMIN = Long.toString(1L << 5);

	/** No permissions worth naming: an ordinary member. */
	public static final String MEMBER = "0";

	private static final AtomicLong IDS = new AtomicLong(1_400_000_000_000_000_000L);

	private static final AtomicLong GUILDS = new AtomicLong(1_250_000_000_000_000_000L);

	private final ResonanceClient client;

	public DiscordBot(ResonanceClient client) {
		this.client = client;
	}

	/** A guild id no other test uses, bound to the brand by the operator. */
	public String bind(TestBrand brand) {
		String guild = newGuildId();
		ApiResponse bound = this.client.admin("POST", "/admin/v1/brands/" + brand.brandId() + "/guilds",
				json(Map.of("guild_id", guild)));
		assertThat(bound.status()).as(bound.toString()).isEqualTo(201);
		return guild;
	}

	public static String newGuildId() {
		return Long.toString(GUILDS.incrementAndGet());
	}

	/** A fresh interaction id, also usable as its token. */
	public static String newInteractionId() {
		return Long.toString(IDS.incrementAndGet());
	}

	/**
	 * A command in a guild: {@code options} are the command's (or the subcommand's, if
	 * {@code sub} is given); values that are strings are sent as string options, numbers
	 * as integer options.
	 */
	public ApiResponse command(String guild, String user, String permissions, String name, @Nullable String sub,
			Map<String, Object> options) {
		return send(commandBody(newInteractionId(), guild, user, permissions, name, sub, options));
	}

	/** A command in DMs with the bot. */
	public ApiResponse dmCommand(String user, String name, @Nullable String sub, Map<String, Object> options) {
		return send(commandBody(newInteractionId(), null, user, null, name, sub, options));
	}

	/** The body of a command interaction. */
	public static String commandBody(String id, @Nullable String guild, String user, @Nullable String permissions,
			String name, @Nullable String sub, Map<String, Object> options) {
		List<Map<String, Object>> values = new ArrayList<>();
		options
			.forEach((option, value) -> values.add(Map.of("name", option, "type", optionType(value), "value", value)));
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("id", "1100000000000000100");
		data.put("name", name);
		data.put("type", 1);
		data.put("options", (sub != null) ? List.of(Map.of("name", sub, "type", 1, "options", values)) : values);
		return interaction(2, id, guild, user, permissions, data);
	}

	/** A button press (or a select menu choice, with {@code values}) in a guild. */
	public ApiResponse component(String guild, String user, String permissions, String customId, List<String> values) {
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("custom_id", customId);
		data.put("component_type", values.isEmpty() ? 2 : 3);
		if (!values.isEmpty()) {
			data.put("values", values);
		}
		return send(interaction(3, newInteractionId(), guild, user, permissions, data));
	}

	/** A form submitted in a guild: text inputs by custom id. */
	public ApiResponse modal(String guild, String user, String permissions, String customId,
			Map<String, String> fields) {
		List<Map<String, Object>> rows = new ArrayList<>();
		fields.forEach((input, value) -> rows
			.add(Map.of("type", 1, "components", List.of(Map.of("type", 4, "custom_id", input, "value", value)))));
		return send(interaction(5, newInteractionId(), guild, user, permissions,
				Map.of("custom_id", customId, "components", rows)));
	}

	/** Signs and posts a body. */
	public ApiResponse send(String body) {
		return this.client.send("POST", "/discord/interactions", body, DiscordInteractions.headers(body));
	}

	/**
	 * An interaction as Discord sends it: in a guild with {@code member} (user,
	 * permissions, roles), in DMs with {@code user}; its id doubles as its token.
	 */
	public static String interaction(int type, String id, @Nullable String guild, String user,
			@Nullable String permissions, Map<String, Object> data) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("id", id);
		body.put("application_id", APPLICATION_ID);
		body.put("type", type);
		body.put("token", "tok-" + id);
		body.put("version", 1);
		Map<String, Object> account = Map.of("id", user, "username", "user" + user.substring(user.length() - 4),
				"global_name", "User " + user.substring(user.length() - 4));
		if (guild != null) {
			body.put("guild_id", guild);
			body.put("channel_id", Long.toString(Long.parseLong(guild) + 1));
			body.put("member", Map.of("user", account, "roles", List.of(), "permissions",
					(permissions != null) ? permissions : MEMBER));
		}
		else {
			body.put("channel_id", Long.toString(Long.parseLong(user) + 7));
			body.put("user", account);
		}
		body.put("data", data);
		return json(body);
	}

	/** The token the fake Discord sees deferred answers finished with. */
	public static String token(String interactionId) {
		return "tok-" + interactionId;
	}

	/** The response's message content. */
	public static String content(ApiResponse response) {
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		return response.json().path("data").path("content").asString("");
	}

	/** The response's message data. */
	public static JsonNode data(ApiResponse response) {
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		return response.json().path("data");
	}

	private static int optionType(Object value) {
		return (value instanceof Number) ? 4 : 3;
	}

}
