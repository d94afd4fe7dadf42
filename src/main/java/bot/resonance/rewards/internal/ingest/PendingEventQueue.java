package bot.resonance.rewards.internal.ingest;

import java.time.Instant;
import java.util.List;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** The queue of pending events, as seen by the poller. */
@Component
public class PendingEventQueue {

	private final IngestRepository repository;

	PendingEventQueue(IngestRepository repository) {
		this.repository = repository;
	}

	/** Claims up to {@code limit} due events until {@code claimedUntil}. */
	@Transactional
	public List<DueEvent> claimDue(Instant now, Instant claimedUntil, int limit) {
		return this.repository.claimDue(now, claimedUntil, limit)
			.stream()
			.map((key) -> new DueEvent(key.brandId(), key.key()))
			.toList();
	}

	public record DueEvent(String brandId, String eventId) {
	}

}
