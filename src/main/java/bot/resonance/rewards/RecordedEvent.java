package bot.resonance.rewards;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * What became of a recorded event.
 *
 * @param eventId the event
 * @param memberId the member it concerns, if it named a valid member
 * @param amountAwarded what it paid (0 unless awarded)
 * @param currency the currency it paid or would pay, if known
 * @param outcome {@code awarded}, {@code pending} or {@code rejected}
 * @param processAfter for a pending event, when it is processed (at the first chance
 * after that)
 */
public record RecordedEvent(String eventId, @Nullable Long memberId, long amountAwarded, @Nullable String currency,
		String outcome, @Nullable Instant processAfter) {

	public boolean isPending() {
		return "pending".equals(this.outcome);
	}

}
