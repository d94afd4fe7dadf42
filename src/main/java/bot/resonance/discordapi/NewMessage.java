package bot.resonance.discordapi;

import java.util.List;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A message to post in a channel.
 *
 * @param channelId the channel's snowflake
 * @param content the text (up to 2000 characters), if any
 * @param embeds rich embeds (Discord's embed objects, up to 10), if any
 * @param nonce if given, Discord creates at most one message per nonce within a few
 * minutes ({@code enforce_nonce}) and returns the first one to a repeated request; up to
 * 25 characters
 */
public record NewMessage(String channelId, @Nullable String content, List<JsonNode> embeds, @Nullable String nonce) {

	public NewMessage {
		embeds = List.copyOf(embeds);
		if (nonce != null && (nonce.isEmpty() || nonce.length() > 25)) {
			throw new IllegalArgumentException("A Discord nonce has 1 to 25 characters");
		}
	}

}
