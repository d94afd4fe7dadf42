package bot.resonance.discord;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import bot.resonance.discordapi.DiscordClient;
import bot.resonance.discordapi.DiscordError;
import bot.resonance.discordapi.DiscordResult;
import bot.resonance.platform.web.ApiException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Registers the bot's slash commands with Discord: every {@link SlashCommand}'s
 * definition in one bulk overwrite, globally or in one guild. Discord replaces the
 * application's commands in that scope with the list, so registering again changes
 * nothing and a command removed from Resonance disappears from Discord. Admins' commands
 * carry {@code default_member_permissions} (Manage Server), so Discord hides them from
 * other members; the router checks the permission again on every call.
 *
 * <p>
 * The operator API ({@code PUT /admin/v1/discord/commands}) and the command line
 * ({@code java -jar resonance.jar register-commands}) both register through here.
 */
@Service
public class CommandRegistration {

	/** Discord's snowflakes: a positive 64-bit number in decimal. */
	private static final Pattern SNOWFLAKE = Pattern.compile("[1-9][0-9]{0,19}");

	private static final String NO_BOT_TOKEN = "DISCORD_BOT_TOKEN (resonance.discord.bot-token) is not set: "
			+ "Resonance needs the bot's token to register its commands.";

	private final List<SlashCommand> commands;

	private final DiscordClient discord;

	private final InteractionsProperties properties;

	private final JsonMapper json;

	public CommandRegistration(List<SlashCommand> commands, DiscordClient discord, InteractionsProperties properties,
			JsonMapper json) {
		this.commands = List.copyOf(commands);
		this.discord = discord;
		this.properties = properties;
		this.json = json;
	}

	/** The definitions a registration sends, by command name. */
	public List<Map<String, Object>> definitions() {
		return this.commands.stream()
			.map(SlashCommand::spec)
			.sorted(Comparator.comparing(CommandSpec::name))
			.map(CommandSpec::definition)
			.toList();
	}

	/**
	 * Replaces the application's commands with {@link #definitions()}: globally
	 * ({@code guildId} null), which Discord's clients may take a while to show, or in one
	 * guild, at once.
	 * @return the commands as Discord now has them
	 * @throws ApiException {@code 400 invalid_guild_id} for a guild id that is not a
	 * snowflake; {@code 503 discord_not_configured} without
	 * {@code DISCORD_APPLICATION_ID} or {@code DISCORD_BOT_TOKEN};
	 * {@code 502 discord_refused} with Discord's message when Discord refuses;
	 * {@code 503 discord_rate_limited} (with {@code Retry-After}) or
	 * {@code 503 discord_unavailable} when it cannot be done now
	 */
	public Registered register(@Nullable String guildId) {
		if (guildId != null && !SNOWFLAKE.matcher(guildId).matches()) {
			throw ApiException.badRequest("invalid_guild_id",
					"guild_id must be a Discord guild id (a snowflake: up to 20 digits), or absent to register the commands globally.");
		}
		String applicationId = applicationId();
		if (!this.discord.isConfigured()) {
			throw notConfigured(NO_BOT_TOKEN);
		}
		DiscordResult<JsonNode> result = this.discord.overwriteCommands(applicationId, guildId,
				this.json.valueToTree(definitions()));
		return switch (result) {
			case DiscordResult.Success<JsonNode> success ->
				new Registered(applicationId, guildId, registered(success.value()));
			case DiscordResult.NotConfigured<JsonNode> none -> throw notConfigured(NO_BOT_TOKEN);
			case DiscordResult.Refused<JsonNode> refused -> throw refused(refused.error(), guildId);
			case DiscordResult.RateLimited<JsonNode> limited -> {
				long seconds = Math.max(1, (long) Math.ceil(limited.retryAfter().toMillis() / 1000.0));
				throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "discord_rate_limited",
						"Discord is rate-limiting the bot" + (limited.global() ? " (global limit)" : "")
								+ ". Register the commands again in " + seconds + " seconds.")
					.with("retry_after_seconds", seconds)
					.withHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
			}
			case DiscordResult.Unavailable<JsonNode> down -> throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE,
					"discord_unavailable", "Discord did not register the commands: " + down.reason() + " Try again.");
		};
	}

	private String applicationId() {
		String applicationId = this.properties.applicationId();
		if (applicationId == null || applicationId.isBlank()) {
			throw notConfigured("DISCORD_APPLICATION_ID (resonance.discord.interactions.application-id) is not set: "
					+ "commands are registered for the application with that id (Discord's Developer Portal, "
					+ "General Information).");
		}
		if (!SNOWFLAKE.matcher(applicationId.strip()).matches()) {
			throw notConfigured("DISCORD_APPLICATION_ID (resonance.discord.interactions.application-id) is not an "
					+ "application id: it is a number of up to 20 digits (Discord's Developer Portal, General Information).");
		}
		return applicationId.strip();
	}

	private static ApiException notConfigured(String detail) {
		return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "discord_not_configured", detail);
	}

	private static ApiException refused(DiscordError error, @Nullable String guildId) {
		String hint = switch (error.reason()) {
			case UNAUTHORIZED -> " Check DISCORD_BOT_TOKEN (resonance.discord.bot-token).";
			case NOT_FOUND, UNKNOWN_GUILD,
					MISSING_ACCESS ->
				(guildId != null)
						? " Check DISCORD_APPLICATION_ID, and that the bot is in guild " + guildId
								+ " with the applications.commands scope."
						: " Check DISCORD_APPLICATION_ID: it must be the application of DISCORD_BOT_TOKEN's bot.";
			default -> "";
		};
		return new ApiException(HttpStatus.BAD_GATEWAY, "discord_refused",
				"Discord refused the commands: " + error.message() + " (HTTP " + error.status() + ", code "
						+ error.code() + ")." + hint)
			.with("discord_status", error.status())
			.with("discord_code", error.code())
			.with("discord_message", error.message());
	}

	private static List<Command> registered(JsonNode saved) {
		List<Command> commands = new ArrayList<>();
		for (JsonNode command : saved) {
			commands.add(new Command(command.path("name").asString(""), command.path("id").asString("")));
		}
		return commands;
	}

	/**
	 * The commands Discord has after a registration.
	 *
	 * @param applicationId the application they belong to
	 * @param guildId the guild they were registered in, or {@code null} for global ones
	 * @param commands each command's name and the id Discord gave it
	 */
	public record Registered(String applicationId, @Nullable String guildId, List<Command> commands) {
	}

	/** A command as Discord has it: its name and id. */
	public record Command(String name, String id) {
	}

}
