package bot.resonance.rewards;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/** What became of one submission. */
public sealed interface IngestOutcome {

	/** Rewarded now. */
	record Awarded(String eventId, String userId, long amount, long newBalance,
			String currency) implements IngestOutcome {
	}

	/** Accepted, to be processed at {@code processAfter}. */
	record Pending(String eventId, String userId, long balance, Instant processAfter,
			PendingReason reason) implements IngestOutcome {
	}

	/** Not rewarded; recorded under {@code eventId} unless it is null. */
	record Rejected(@Nullable String eventId, RejectionCode code, String message,
			@Nullable Long retryAfterSeconds) implements IngestOutcome {
	}

	/**
	 * The same Idempotency-Key and body were seen before: the stored response, verbatim.
	 */
	record Replayed(int status, String body, @Nullable Long retryAfterSeconds) implements IngestOutcome {
	}

	/** The Idempotency-Key was used before with a different body. */
	record KeyReused() implements IngestOutcome {
	}

	/** Not processed: the server is overloaded or shutting down. Nothing was recorded. */
	record Unavailable(String message) implements IngestOutcome {
	}

	/** Processing failed unexpectedly. Nothing was recorded. */
	record Failed() implements IngestOutcome {
	}

	/** A pending event that was already processed elsewhere, or no longer exists. */
	record Skipped() implements IngestOutcome {
	}

}
