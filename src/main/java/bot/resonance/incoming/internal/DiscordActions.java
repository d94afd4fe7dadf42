package bot.resonance.incoming.internal;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import bot.resonance.discord.GuildBindings;
import bot.resonance.discordapi.ChannelInfo;
import bot.resonance.discordapi.DiscordClient;
import bot.resonance.discordapi.DiscordError;
import bot.resonance.discordapi.DiscordResult;
import bot.resonance.discordapi.NewMessage;
import bot.resonance.discordapi.PostedMessage;
import bot.resonance.discordapi.RoleAssignment;
import bot.resonance.platform.crypto.Hashing;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * {@code role.assign} and {@code message.post} through the Discord client, with Discord's
 * answers turned into clear ones: what Discord refused is a {@code 422} naming the reason
 * ({@code discord_missing_permissions}, {@code discord_unknown_member}, ...), what it
 * could not do now a {@code 502}/{@code 503} worth retrying.
 *
 * <p>
 * A hook acts only in its brand's own Discord servers (the guilds bound to the brand):
 * one bot serves every brand, so a guild or a channel id in a call could otherwise name
 * another brand's server. The guild of a channel is asked of Discord once and remembered
 * (a channel never moves to another guild); whether that guild is the brand's is looked
 * up at every call, so unbinding it takes effect at once.
 */
@Component
class DiscordActions {

	/** Channels whose guild is remembered, at most. */
	static final int REMEMBERED_CHANNELS = 10_000;

	private final DiscordClient discord;

	private final GuildBindings guilds;

	private final CallResults results;

	private final Map<String, String> channelGuilds = Collections
		.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {

			@Override
			protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
				return size() > REMEMBERED_CHANNELS;
			}

		});

	DiscordActions(DiscordClient discord, GuildBindings guilds, CallResults results) {
		this.discord = discord;
		this.guilds = guilds;
		this.results = results;
	}

	/**
	 * Refuses, before anything is claimed or done, a call that would act outside the
	 * hook's brand: a role in a guild not bound to it, a message in a channel of such a
	 * guild or in a DM. {@code null} if the call may act. Finding a channel's guild asks
	 * Discord, whose refusals and failures are answered as the action's would be.
	 */
	@Nullable CallResult refuseOutsideBrand(IncomingWebhook hook, String callId, IncomingCall call) {
		return switch (call) {
			case IncomingCall.CurrencyAdd add -> null;
			case IncomingCall.RoleAssign assign -> isBrands(hook, assign.guildId()) ? null : notBound(hook, callId,
					IncomingAction.ROLE_ASSIGN, "Guild " + assign.guildId() + " is not connected to this brand");
			case IncomingCall.MessagePost post -> refuseChannel(hook, callId, post.channelId());
		};
	}

	private @Nullable CallResult refuseChannel(IncomingWebhook hook, String callId, String channelId) {
		String guildId = this.channelGuilds.get(channelId);
		if (guildId == null) {
			DiscordResult<ChannelInfo> channel = this.discord.channel(channelId);
			if (!(channel instanceof DiscordResult.Success<ChannelInfo> found)) {
				return failure(callId, IncomingAction.MESSAGE_POST, channel);
			}
			guildId = found.value().guildId();
			if (guildId == null) {
				return this.results.problem(HttpStatus.FORBIDDEN, "guild_not_bound", "Channel " + channelId
						+ " is not in a Discord server (it is a DM): message.post posts in the brand's own servers "
						+ "only.", callId, IncomingAction.MESSAGE_POST);
			}
			this.channelGuilds.put(channelId, guildId);
		}
		return isBrands(hook, guildId) ? null : notBound(hook, callId, IncomingAction.MESSAGE_POST,
				"Channel " + channelId + " is in guild " + guildId + ", which is not connected to this brand");
	}

	private boolean isBrands(IncomingWebhook hook, String guildId) {
		return this.guilds.brandOf(guildId).filter(hook.brandId()::equals).isPresent();
	}

	private CallResult notBound(IncomingWebhook hook, String callId, IncomingAction action, String what) {
		return this.results.problem(HttpStatus.FORBIDDEN, "guild_not_bound",
				what + ": an incoming webhook acts only in the brand's own Discord servers. Connect the server with "
						+ "/setup and a code from POST /v1/discord/setup-codes, or have the operator bind it to brand "
						+ hook.brandId() + ".",
				callId, action);
	}

	CallResult assignRole(IncomingWebhook hook, String callId, IncomingCall.RoleAssign call) {
		String reason = (call.reason() != null) ? call.reason() : "Resonance incoming webhook: " + hook.name();
		DiscordResult<RoleAssignment> result = this.discord.addMemberRole(call.guildId(), call.userId(), call.roleId(),
				reason);
		if (result instanceof DiscordResult.Success<RoleAssignment> success) {
			Map<String, Object> body = new LinkedHashMap<>();
			body.put("guild_id", success.value().guildId());
			body.put("user_id", success.value().userId());
			body.put("role_id", success.value().roleId());
			return this.results.success(callId, IncomingAction.ROLE_ASSIGN, body);
		}
		return failure(callId, IncomingAction.ROLE_ASSIGN, result);
	}

	/**
	 * Posts the message. With an idempotency key (the call's X-Idempotency-Key, else its
	 * webhook-id), the message carries a nonce derived from it, so that Discord itself
	 * creates it once even if a retry follows a lost answer.
	 */
	CallResult postMessage(IncomingWebhook hook, String callId, IncomingCall.MessagePost call,
			@Nullable String idempotencyKey) {
		String nonce = (idempotencyKey != null) ? nonce(hook, idempotencyKey) : null;
		DiscordResult<PostedMessage> result = this.discord
			.createMessage(new NewMessage(call.channelId(), call.content(), call.embeds(), nonce));
		if (result instanceof DiscordResult.Success<PostedMessage> success) {
			Map<String, Object> body = new LinkedHashMap<>();
			body.put("channel_id", success.value().channelId());
			body.put("message_id", success.value().id());
			return this.results.success(callId, IncomingAction.MESSAGE_POST, body);
		}
		return failure(callId, IncomingAction.MESSAGE_POST, result);
	}

	private CallResult failure(String callId, IncomingAction action, DiscordResult<?> result) {
		return switch (result) {
			case DiscordResult.Success<?> success -> throw new IllegalArgumentException("Not a failure");
			case DiscordResult.NotConfigured<?> notConfigured ->
				this.results.problem(HttpStatus.SERVICE_UNAVAILABLE, "discord_not_configured",
						"The Discord bot is not configured on this server (resonance.discord.bot-token), so "
								+ action.wireName() + " cannot run.",
						callId, action);
			case DiscordResult.RateLimited<?> limited -> {
				long seconds = Math.max(1, (long) Math.ceil(limited.retryAfter().toMillis() / 1000.0));
				yield this.results.problem(HttpStatus.SERVICE_UNAVAILABLE, "discord_rate_limited",
						"Discord is rate-limiting the bot" + (limited.global() ? " (global limit)" : "")
								+ ". Retry after " + seconds + " seconds.",
						callId, action, Map.of(), seconds);
			}
			case DiscordResult.Unavailable<?> unavailable ->
				this.results.problem(HttpStatus.BAD_GATEWAY, "discord_unavailable",
						"Discord did not complete the request: " + unavailable.reason(), callId, action);
			case DiscordResult.Refused<?> refused -> refused(callId, action, refused.error());
		};
	}

	private CallResult refused(String callId, IncomingAction action, DiscordError error) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("discord_status", error.status());
		details.put("discord_code", error.code());
		details.put("discord_message", error.message());
		String discordSays = " Discord: " + error.message() + " (code " + error.code() + ").";
		return switch (error.reason()) {
			case UNAUTHORIZED -> this.results.problem(HttpStatus.BAD_GATEWAY, "discord_unauthorized",
					"Discord refused the bot's token; the server's operator must check resonance.discord.bot-token."
							+ discordSays,
					callId, action, details, null);
			case MISSING_PERMISSIONS -> refusal("discord_missing_permissions",
					"The bot lacks a permission for this (for a role: Manage Roles, and the role must be below the "
							+ "bot's highest role; for a message: View Channel and Send Messages)." + discordSays,
					callId, action, details);
			case MISSING_ACCESS -> refusal("discord_missing_access",
					"The bot cannot see this guild or channel." + discordSays, callId, action, details);
			case UNKNOWN_GUILD -> refusal("discord_unknown_guild",
					"No such guild, or the bot is not in it." + discordSays, callId, action, details);
			case UNKNOWN_CHANNEL -> refusal("discord_unknown_channel",
					"No such channel, or the bot cannot see it." + discordSays, callId, action, details);
			case UNKNOWN_MEMBER -> refusal("discord_unknown_member",
					"The user is not a member of the guild." + discordSays, callId, action, details);
			case UNKNOWN_ROLE ->
				refusal("discord_unknown_role", "No such role in the guild." + discordSays, callId, action, details);
			case UNKNOWN_USER ->
				refusal("discord_unknown_user", "No such Discord user." + discordSays, callId, action, details);
			case NOT_FOUND ->
				refusal("discord_not_found", "Discord found no such resource." + discordSays, callId, action, details);
			case INVALID_REQUEST -> refusal("discord_invalid_request", "Discord refused the content." + discordSays,
					callId, action, details);
			case OTHER ->
				refusal("discord_refused", "Discord refused the request." + discordSays, callId, action, details);
		};
	}

	private CallResult refusal(String code, String detail, String callId, IncomingAction action,
			Map<String, Object> details) {
		return this.results.problem(HttpStatus.UNPROCESSABLE_CONTENT, code, detail, callId, action, details, null);
	}

	/**
	 * 25 characters (Discord's longest nonce) derived from the hook and the key: one
	 * message per key, whichever node sends it.
	 */
	static String nonce(IncomingWebhook hook, String idempotencyKey) {
		byte[] digest = Hashing.sha256((hook.id() + ":" + idempotencyKey).getBytes(StandardCharsets.UTF_8));
		return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 25);
	}

}
