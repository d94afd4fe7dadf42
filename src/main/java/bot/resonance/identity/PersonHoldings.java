package bot.resonance.identity;

/**
 * Whether a person holds anything of the network's (an RSNC balance, or RSNC reserved by
 * a pending transfer). Implemented by the module that keeps the balances; a person who
 * holds something is never merged on a brand's word alone.
 */
public interface PersonHoldings {

	/** Whether the person holds anything, read under the person's lock. */
	boolean holdsAnything(long personId);

}
