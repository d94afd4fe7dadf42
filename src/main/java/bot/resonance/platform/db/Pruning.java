package bot.resonance.platform.db;

import java.util.function.IntSupplier;
import java.util.function.IntUnaryOperator;

import org.slf4j.Logger;

/**
 * Background pruning of old rows: deleted a slice at a time, so no single statement holds
 * locks or bloats the WAL for long, and never failing the scheduler (the next pass
 * retries).
 */
public final class Pruning {

	/** Rows deleted per statement. */
	public static final int SLICE = 5_000;

	private Pruning() {
	}

	/**
	 * Calls {@code deleteSlice} with the slice size until it deletes fewer rows than
	 * that; returns how many it deleted in all.
	 */
	public static int inSlices(IntUnaryOperator deleteSlice) {
		int total = 0;
		int deleted;
		do {
			deleted = deleteSlice.applyAsInt(SLICE);
			total += deleted;
		}
		while (deleted == SLICE);
		return total;
	}

	/**
	 * Runs one pruning pass, logs what it removed ({@code what}: "Shopify webhook ids
	 * older than 30d"), and logs rather than throws if it fails.
	 */
	public static void run(Logger log, String what, IntSupplier pass) {
		try {
			int pruned = pass.getAsInt();
			if (pruned > 0) {
				log.info("Pruned {} {}", pruned, what);
			}
		}
		catch (RuntimeException ex) {
			log.warn("Pruning {} failed; will retry", what, ex);
		}
	}

}
