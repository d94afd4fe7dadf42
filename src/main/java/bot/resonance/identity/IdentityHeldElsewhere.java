package bot.resonance.identity;

/**
 * Linking an identity to a member needs the confirmation of the person who holds it: the
 * identity belongs to another person in the network, one that other brands know or that
 * holds RSNC. Says nothing about that person beyond this.
 */
public class IdentityHeldElsewhere extends RuntimeException {

	private final Identity member;

	private final Identity added;

	private final long holder;

	public IdentityHeldElsewhere(Identity member, Identity added, long holder) {
		super("The identity belongs to another person in the Resonance network; linking it needs their confirmation.");
		this.member = member;
		this.added = added;
		this.holder = holder;
	}

	/** An identity of the member the link was asked for. */
	public Identity member() {
		return this.member;
	}

	/** The identity asked to be linked. */
	public Identity added() {
		return this.added;
	}

	/** The person who holds it (never shown to the brand). */
	public long holder() {
		return this.holder;
	}

}
