/**
 * Discord's REST API, as the bot: assigning roles and posting messages for other modules.
 * The client follows Discord's protocol (bot token, user agent, audit-log reasons, rate
 * limit headers and {@code 429} retries, JSON error codes) and reports every result as a
 * {@link bot.resonance.discord.DiscordResult} value, never as an exception.
 *
 * <p>
 * Use {@link bot.resonance.discord.DiscordClient}; configure it with
 * {@code resonance.discord.*} ({@link bot.resonance.discord.DiscordProperties}).
 */
@ApplicationModule(displayName = "Discord")
@NullMarked
package bot.resonance.discord;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
