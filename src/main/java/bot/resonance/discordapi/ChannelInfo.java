package bot.resonance.discordapi;

import org.jspecify.annotations.Nullable;

/**
 * A channel as Discord describes it.
 *
 * @param id the channel's snowflake
 * @param guildId the guild (server) it is in; {@code null} for a DM or a group DM
 */
public record ChannelInfo(String id, @Nullable String guildId) {
}
