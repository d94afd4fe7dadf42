package bot.resonance.incoming.internal;

import java.util.List;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/** A call's action with its checked data. */
sealed interface IncomingCall {

	IncomingAction action();

	/**
	 * Credits ({@code amount > 0}) or debits ({@code amount < 0}) a member.
	 *
	 * @param userId the member's Discord user id
	 * @param amount a non-zero whole number in the currency's smallest unit
	 * @param reason why, for the record
	 * @param currency the currency code, if the call names one
	 */
	record CurrencyAdd(String userId, long amount, @Nullable String reason,
			@Nullable String currency) implements IncomingCall {

		@Override
		public IncomingAction action() {
			return IncomingAction.CURRENCY_ADD;
		}

	}

	/** Gives a guild member a role; {@code reason} goes to the guild's audit log. */
	record RoleAssign(String guildId, String userId, String roleId, @Nullable String reason) implements IncomingCall {

		@Override
		public IncomingAction action() {
			return IncomingAction.ROLE_ASSIGN;
		}

	}

	/** Posts a message with content, embeds or both. */
	record MessagePost(String channelId, @Nullable String content, List<JsonNode> embeds) implements IncomingCall {

		@Override
		public IncomingAction action() {
			return IncomingAction.MESSAGE_POST;
		}

	}

}
