/**
 * Resonance inside Discord: {@code POST /discord/interactions} (seed 002), guilds bound
 * to brands, the users registered with them, the interaction log, and the commands
 * members use. Members are the identity module's Discord identities: the same person as
 * on the event API.
 *
 * <p>
 * Use {@link bot.resonance.discord.GuildBindings}.
 */
@ApplicationModule(displayName = "Discord bot",
		allowedDependencies = { "platform", "identity", "brands", "ledger", "network", "discordapi", "rewards" })
@NullMarked
package bot.resonance.discord;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
