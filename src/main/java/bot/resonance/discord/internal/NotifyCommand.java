package bot.resonance.discord.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import bot.resonance.discord.Answer;
import bot.resonance.discord.CommandCall;
import bot.resonance.discord.CommandSpec;
import bot.resonance.discord.SlashCommand;
import bot.resonance.discord.Ui;
import bot.resonance.discordapi.DiscordClient;
import bot.resonance.discordapi.DiscordError;
import bot.resonance.discordapi.DiscordResult;
import bot.resonance.discordapi.NewMessage;
import bot.resonance.discordapi.PostedMessage;
import org.springframework.stereotype.Component;

/**
 * {@code /notify} (admins): the bot sends a message in the brand's voice, to a member by
 * DM or to the channel the command was used in. It calls Discord with the bot token
 * ({@code DISCORD_BOT_TOKEN}), so the answer is deferred and tells what became of the
 * message: sent, the member does not accept DMs, the bot may not post in the channel,
 * Discord's rate limit, or Discord unavailable.
 */
@Component
class NotifyCommand implements SlashCommand {

	static final int MAX_MESSAGE = 2000;

	/** Discord's "Cannot send messages to this user": they do not accept DMs. */
	static final int CANNOT_MESSAGE_USER = 50007;

	private static final Pattern SNOWFLAKE = Pattern.compile("[1-9][0-9]{0,19}");

	private static final CommandSpec SPEC;

	static {
		Map<String, Object> message = CommandSpec.option(CommandSpec.STRING, "message",
				"What to say (up to 2000 " + "characters)", true);
		message.put("max_length", MAX_MESSAGE);
		SPEC = CommandSpec.forAdmins("notify", "Send a message from the bot to a member (DM) or to this channel",
				List.of(CommandSpec.choice("target", "Where the message goes", true, "user", "channel"), message,
						CommandSpec.option(CommandSpec.USER, "user", "The member to message (target: user)", false)));
	}

	private final DiscordClient discord;

	private final JsonMapper json;

	private final Clock clock;

	NotifyCommand(DiscordClient discord, JsonMapper json, Clock clock) {
		this.discord = discord;
		this.json = json;
		this.clock = clock;
	}

	@Override
	public CommandSpec spec() {
		return SPEC;
	}

	@Override
	public Answer execute(CommandCall call) {
		if (!this.discord.isConfigured()) {
			return Answer.ephemeral("Resonance cannot send messages: it has no bot token. The operator sets "
					+ "DISCORD_BOT_TOKEN (the bot's token from the Discord developer portal) and restarts it.");
		}
		String text = call.text("message").orElse("");
		if (text.isEmpty()) {
			return Answer.ephemeral("Give the message to send: /notify target:… message:…");
		}
		if (text.length() > MAX_MESSAGE) {
			return Answer.ephemeral("The message has " + text.length() + " characters; Discord takes at most "
					+ MAX_MESSAGE + ". Shorten it and try again.");
		}
		String target = call.text("target").orElse("");
		List<JsonNode> embeds = List
			.of(this.json.valueToTree(Ui.embed(call.brand(), "Message from " + call.brand().name(), text, List.of())));
		return switch (target) {
			case "user" -> {
				String user = call.text("user").orElse("");
				if (!SNOWFLAKE.matcher(user).matches()) {
					yield Answer.ephemeral("Choose the member to message: /notify target:user user:@someone message:…");
				}
				yield new Answer.Deferred(true, () -> dmOutcome(user, this.discord.directMessage(user, null, embeds)));
			}
			case "channel" -> {
				String channel = call.channelId();
				if (channel == null || !SNOWFLAKE.matcher(channel).matches()) {
					yield Answer.ephemeral("Discord did not say which channel this is (the interaction has no "
							+ "channel_id), so there is nowhere to post. Run /notify target:channel in the channel "
							+ "itself.");
				}
				String nonce = call.interaction().path("id").asString("");
				NewMessage posted = new NewMessage(channel, null, embeds,
						(nonce.isEmpty() || nonce.length() > 25) ? null : nonce);
				yield new Answer.Deferred(true, () -> channelOutcome(channel, this.discord.createMessage(posted)));
			}
			default -> Answer
				.ephemeral("Choose where the message goes: target:user (a DM) or target:channel (this " + "channel).");
		};
	}

	private Answer.Message dmOutcome(String user, DiscordResult<PostedMessage> result) {
		String who = "<@" + user + ">";
		if (result instanceof DiscordResult.Refused<PostedMessage> refused
				&& refused.error().code() == CANNOT_MESSAGE_USER) {
			return Answer.ephemeral(who + " does not accept direct messages from the bot, so nothing was sent. "
					+ "They can allow DMs from this server's members in their privacy settings, or post it with "
					+ "/notify target:channel.");
		}
		if (result instanceof DiscordResult.Refused<PostedMessage> refused
				&& refused.error().reason() == DiscordError.Reason.UNKNOWN_USER) {
			return Answer.ephemeral("Discord does not know that user, so nothing was sent.");
		}
		return common(result, "Sent to " + who + " by DM.", "message " + who);
	}

	private Answer.Message channelOutcome(String channel, DiscordResult<PostedMessage> result) {
		String where = "<#" + channel + ">";
		if (result instanceof DiscordResult.Refused<PostedMessage> refused) {
			switch (refused.error().reason()) {
				case MISSING_PERMISSIONS, MISSING_ACCESS, UNKNOWN_CHANNEL -> {
					return Answer.ephemeral("The bot may not post in " + where + ", so nothing was sent. Give it the "
							+ "View Channel, Send Messages and Embed Links permissions there, or use another channel.");
				}
				default -> {
				}
			}
		}
		return common(result, "Posted in " + where + ".", "post in " + where);
	}

	private Answer.Message common(DiscordResult<PostedMessage> result, String sent, String what) {
		return switch (result) {
			case DiscordResult.Success<PostedMessage> success -> Answer.ephemeral(sent);
			case DiscordResult.NotConfigured<PostedMessage> none -> Answer.ephemeral("Resonance cannot send "
					+ "messages: it has no bot token. The operator sets DISCORD_BOT_TOKEN and restarts it.");
			case DiscordResult.RateLimited<PostedMessage> limited ->
				Answer.ephemeral("Discord is holding the bot " + "back (rate limit), so nothing was sent. Try again "
						+ relative(this.clock.instant().plus(limited.retryAfter())) + ".");
			case DiscordResult.Unavailable<PostedMessage> down ->
				Answer.ephemeral("Discord could not be reached, so nothing was sent. Try again in a moment.");
			case DiscordResult.Refused<PostedMessage> refused when refused.error()
				.reason() == DiscordError.Reason.UNAUTHORIZED ->
				Answer.ephemeral("Discord refused the bot's token, so nothing was sent. The operator checks "
						+ "DISCORD_BOT_TOKEN.");
			case DiscordResult.Refused<PostedMessage> refused -> Answer.ephemeral("Discord refused to " + what + " ("
					+ Ui.clip(refused.error().message(), 200) + "), so nothing was sent.");
		};
	}

	private static String relative(Instant at) {
		return "<t:" + (at.getEpochSecond() + 1) + ":R>";
	}

}
