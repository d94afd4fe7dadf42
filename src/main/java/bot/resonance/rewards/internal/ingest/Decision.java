package bot.resonance.rewards.internal.ingest;

import bot.resonance.rewards.PendingReason;
import bot.resonance.rewards.RejectionCode;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/** What the rules decided for one event. */
public sealed interface Decision {

	/** Reward {@code amount} now. */
	record Award(long amount) implements Decision {
	}

	/** Accept, but process at {@code processAfter}. */
	record Defer(Instant processAfter, PendingReason reason) implements Decision {
	}

	/** Do not reward. */
	record Reject(RejectionCode code, String message, @Nullable Long retryAfterSeconds) implements Decision {
	}

}
