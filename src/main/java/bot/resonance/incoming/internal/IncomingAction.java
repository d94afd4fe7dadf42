package bot.resonance.incoming.internal;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** What an incoming webhook can make the bot do. */
enum IncomingAction {

	/** Credit a member from the brand wallet, or debit them back to it. */
	CURRENCY_ADD("currency.add",
			"Credit a member from the brand wallet, or (a negative amount) debit them back to it."),

	/** Give a guild member a role. */
	ROLE_ASSIGN("role.assign", "Give a guild member a role."),

	/** Post a message in a channel. */
	MESSAGE_POST("message.post", "Post a message in a channel.");

	private final String wireName;

	private final String description;

	IncomingAction(String wireName, String description) {
		this.wireName = wireName;
		this.description = description;
	}

	String wireName() {
		return this.wireName;
	}

	/** What it does, in a sentence, for the lists people choose from. */
	String description() {
		return this.description;
	}

	static Optional<IncomingAction> fromWireName(String name) {
		return Arrays.stream(values()).filter((action) -> action.wireName.equals(name)).findFirst();
	}

	/** The wire names, for error messages: {@code currency.add, role.assign, ...}. */
	static String names() {
		return Arrays.stream(values()).map(IncomingAction::wireName).collect(Collectors.joining(", "));
	}

}
