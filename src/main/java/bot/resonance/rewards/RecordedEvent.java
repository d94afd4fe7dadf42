package bot.resonance.rewards;

import org.jspecify.annotations.Nullable;

/**
 * What became of a recorded event.
 *
 * @param eventId the event
 * @param memberId the member it concerns, if it named a valid member
 * @param amountAwarded what it paid (0 unless awarded)
 * @param currency the currency it paid or would pay, if known
 * @param outcome {@code awarded}, {@code pending} or {@code rejected}
 */
public record RecordedEvent(String eventId, @Nullable Long memberId, long amountAwarded, @Nullable String currency,
		String outcome) {

	public boolean isPending() {
		return "pending".equals(this.outcome);
	}

}
