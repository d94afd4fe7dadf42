package bot.resonance.platform.db;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.function.IntSupplier;
import java.util.function.IntUnaryOperator;

import org.slf4j.Logger;

import bot.resonance.platform.jobs.JobQueue;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Background pruning of old rows: a recurring job per kind of rows ({@link #queue}), so
 * one node prunes them once per interval, and a pass that fails is retried; the rows are
 * deleted a slice at a time, so no single statement holds locks or bloats the WAL for
 * long.
 */
public final class Pruning {

	/** Rows deleted per statement. */
	public static final int SLICE = 5_000;

	/**
	 * How long a node holds a pruning job it runs: another node takes over only if this
	 * one died (or a pass took longer than this).
	 */
	public static final Duration LEASE = Duration.ofHours(1);

	private Pruning() {
	}

	/**
	 * The queue of a pruner: one job that runs every {@code interval} across all nodes,
	 * outside a transaction (each slice commits on its own); a failed pass is retried
	 * with backoff.
	 */
	public static JobQueue queue(String name, Duration interval) {
		return JobQueue.named(name).recurring(interval).nonTransactional().withLease(LEASE);
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
	 * Deletes up to {@code limit} rows of {@code table} whose {@code column} is before
	 * {@code before} (a row changed meanwhile to a later time stays); returns how many.
	 * Table and column are the caller's constants, never input.
	 */
	public static int deleteBefore(JdbcClient jdbc, String table, String column, Instant before, int limit) {
		return jdbc.sql("""
				delete from %1$s where ctid = any(array(
				    select ctid from %1$s where %2$s < :before limit :limit))
				  and %2$s < :before
				""".formatted(table, column))
			.param("before", before.atOffset(ZoneOffset.UTC))
			.param("limit", limit)
			.update();
	}

	/**
	 * Runs one pruning pass and logs what it removed ({@code what}: "Shopify webhook ids
	 * older than 30d"); a failure is thrown, for the job to be retried.
	 */
	public static int run(Logger log, String what, IntSupplier pass) {
		int pruned = pass.getAsInt();
		if (pruned > 0) {
			log.info("Pruned {} {}", pruned, what);
		}
		return pruned;
	}

}
