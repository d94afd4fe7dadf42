package bot.resonance.discord.internal;

import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;

import bot.resonance.discord.CommandRegistration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The operator registers the bot's slash commands with Discord (the same as
 * {@code java -jar resonance.jar register-commands}).
 */
@RestController
@RequestMapping("/admin/v1/discord/commands")
@Tag(name = "Operator: Discord commands",
		description = "The bot's slash commands as Discord gets them, and their registration (a bulk overwrite, globally or in one guild).")
@SecurityRequirement(name = "adminToken")
class CommandAdminController {

	private final CommandRegistration registration;

	CommandAdminController(CommandRegistration registration) {
		this.registration = registration;
	}

	@GetMapping
	@Operation(operationId = "getDiscordCommandDefinitions", summary = "The command definitions a registration sends",
			responses = @ApiResponse(responseCode = "200",
					description = "The slash command definitions, as a registration sends them"),
			description = "The bot's slash commands exactly as PUT sends them to Discord (names, options, permissions), "
					+ "to review before registering. Takes the admin token.")
	Definitions definitions() {
		return new Definitions(this.registration.definitions());
	}

	@PutMapping
	@Operation(operationId = "registerDiscordCommands", summary = "Register the commands with Discord",
			description = "Replaces the application's commands (DISCORD_APPLICATION_ID) with these definitions: in the guild given as guild_id (at once), or globally without one (Discord's clients may take a while to show them). Registering again changes nothing.")
	@ApiResponse(responseCode = "200", description = "The commands Discord now has")
	@ApiResponse(responseCode = "400", description = "invalid_guild_id")
	@ApiResponse(responseCode = "502", description = "discord_refused: Discord's message is in the detail")
	@ApiResponse(responseCode = "503",
			description = "discord_not_configured (DISCORD_APPLICATION_ID or DISCORD_BOT_TOKEN), discord_rate_limited (with Retry-After), discord_unavailable")
	CommandRegistration.Registered register(@RequestBody(required = false) @Nullable RegisterRequest request) {
		return this.registration.register((request != null) ? request.guildId() : null);
	}

	record Definitions(List<Map<String, Object>> commands) {
	}

	/**
	 * @param guildId the guild to register in, or absent for global commands
	 */
	@Schema(example = """
			{"guild_id": "123456789012345678"}""")
	record RegisterRequest(@Schema(
			description = "The guild to register in (at once); absent: global commands") @Nullable String guildId) {
	}

}
