/**
 * Discord's REST API, as the bot: a low-level client that assigns roles and posts
 * messages for other modules (the bot itself, answering interactions, sits above it). The
 * client follows Discord's protocol (bot token, user agent, audit-log reasons, rate limit
 * headers and {@code 429} retries, JSON error codes) and reports every result as a
 * {@link bot.resonance.discordapi.DiscordResult} value, never as an exception.
 *
 * <p>
 * Use {@link bot.resonance.discordapi.DiscordClient}; configure it with
 * {@code resonance.discord.*} ({@link bot.resonance.discordapi.DiscordProperties}).
 */
@ApplicationModule(displayName = "Discord API", allowedDependencies = { "platform" })
@NullMarked
package bot.resonance.discordapi;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
