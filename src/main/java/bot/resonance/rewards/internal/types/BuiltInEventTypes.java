package bot.resonance.rewards.internal.types;

import java.util.List;
import java.util.Optional;

/**
 * The seven event types of the event API that exist for every brand. They start disabled:
 * a brand enables the ones it uses.
 */
public final class BuiltInEventTypes {

	/** The default reward of a built-in type until the brand sets one. */
	public static final long DEFAULT_AMOUNT = 10;

	public static final List<String> NAMES = List.of("daily_checkin", "channel_message", "message_quality",
			"reaction_threshold", "boost_event", "voice_participation", "custom_event");

	private BuiltInEventTypes() {
	}

	public static boolean isBuiltIn(String name) {
		return NAMES.contains(name);
	}

	public static Optional<EventType> defaults(String name) {
		return isBuiltIn(name)
				? Optional.of(new EventType(name, false, DEFAULT_AMOUNT, 0, null, null, null, true, null))
				: Optional.empty();
	}

}
