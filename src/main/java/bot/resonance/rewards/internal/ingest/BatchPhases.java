package bot.resonance.rewards.internal.ingest;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Where an ingest batch's time goes: one timer per phase of its transaction
 * ({@code resonance.ingest.batch.phase}, tagged {@code phase}), in the order the
 * {@link IngestBatchProcessor} works. A phase's time is wall time, so it counts the
 * database's work on the phase's statements, the round trips to it, the node's own work
 * and any wait for a lock or a core: a slow {@code lock} is brands contended between
 * nodes (or with background jobs), a slow {@code commit} a slow disk, a slow
 * {@code members} a burst of people seen for the first time.
 */
final class BatchPhases {

	/** The phases of a batch, in order. */
	enum Phase {

		/**
		 * A connection taken from the pool and the brands' rate-limit rows locked (a
		 * brand's batches run one at a time, on every node).
		 */
		LOCK("lock"),

		/**
		 * Due pending events taken off the queue, replays answered, rate limits applied,
		 * requests and event types checked.
		 */
		SCREEN("screen"),

		/** Members found, or created for people seen for the first time. */
		MEMBERS("members"),

		/** The members' rule state read, and their due pending events taken. */
		STATE("state"),

		/**
		 * The paying wallets locked and the payees' accounts found (ids reserved for
		 * those the posting opens).
		 */
		WALLETS("wallets"),

		/** Every event decided (no database work). */
		DECIDE("decide"),

		/** The awards posted to the ledger. */
		POST("post"),

		/** Events, answers, rule state and deferrals written. */
		RECORD("record"),

		/** The transaction committed (the write-ahead log flushed to disk). */
		COMMIT("commit");

		private final String tag;

		Phase(String tag) {
			this.tag = tag;
		}

	}

	/** One batch's stopwatch: each call ends a phase and starts the next. */
	interface Laps {

		/** Ends {@code phase}: the time since the last phase ended (or the start). */
		void end(Phase phase);

	}

	private final Map<Phase, Timer> timers = new EnumMap<>(Phase.class);

	BatchPhases(MeterRegistry meters) {
		for (Phase phase : Phase.values()) {
			this.timers.put(phase,
					Timer.builder("resonance.ingest.batch.phase")
						.description("Time an ingest batch spends in each phase of its transaction")
						.tag("phase", phase.tag)
						.register(meters));
		}
	}

	/** A stopwatch for a batch that starts now. */
	Laps start() {
		long[] last = { System.nanoTime() };
		return (phase) -> {
			long now = System.nanoTime();
			this.timers.get(phase).record(now - last[0], TimeUnit.NANOSECONDS);
			last[0] = now;
		};
	}

}
