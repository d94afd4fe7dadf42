package bot.resonance.platform;

import org.springframework.transaction.IllegalTransactionStateException;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Checks for methods that must run inside the caller's transaction. Cheaper on hot paths
 * than {@code @Transactional(propagation = MANDATORY)}, which costs a proxy interception
 * per call.
 */
public final class Transactions {

	private Transactions() {
	}

	/** Fails unless a transaction is active on this thread. */
	public static void requireActive(String operation) {
		if (!TransactionSynchronizationManager.isActualTransactionActive()) {
			throw new IllegalTransactionStateException(operation + " must run inside a transaction");
		}
	}

}
