package bot.resonance.discordapi;

/**
 * A message Discord created.
 *
 * @param id the message's snowflake
 * @param channelId the channel it is in
 */
public record PostedMessage(String id, String channelId) {
}
