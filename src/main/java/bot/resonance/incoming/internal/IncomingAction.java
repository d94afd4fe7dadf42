package bot.resonance.incoming.internal;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** What an incoming webhook can make the bot do. */
enum IncomingAction {

	/** Credit a member from the brand wallet, or debit them back to it. */
	CURRENCY_ADD("currency.add"),

	/** Give a guild member a role. */
	ROLE_ASSIGN("role.assign"),

	/** Post a message in a channel. */
	MESSAGE_POST("message.post");

	private final String wireName;

	IncomingAction(String wireName) {
		this.wireName = wireName;
	}

	String wireName() {
		return this.wireName;
	}

	static Optional<IncomingAction> fromWireName(String name) {
		return Arrays.stream(values()).filter((action) -> action.wireName.equals(name)).findFirst();
	}

	/** The wire names, for error messages: {@code currency.add, role.assign, ...}. */
	static String names() {
		return Arrays.stream(values()).map(IncomingAction::wireName).collect(Collectors.joining(", "));
	}

}
