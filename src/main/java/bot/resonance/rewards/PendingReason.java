package bot.resonance.rewards;

/** Why an accepted event waits. */
public enum PendingReason {

	/** The member reached the event type's daily limit; processed after 00:00 UTC. */
	DAILY_LIMIT_REACHED,

	/**
	 * The member reached the brand's daily limit across types; processed after 00:00 UTC.
	 */
	USER_DAILY_LIMIT_REACHED,

	/** A pending event came due while the type's cooldown ran; processed when it ends. */
	COOLDOWN_ACTIVE

}
