package bot.resonance.ledger.internal;

import java.time.Clock;
import java.time.Instant;

import bot.resonance.ledger.Ledger;
import bot.resonance.platform.jobs.Job;
import bot.resonance.platform.jobs.JobHandler;
import bot.resonance.platform.jobs.JobQueue;
import org.springframework.stereotype.Component;

/**
 * Voids the pending transfers that expired, releasing what they reserve: a recurring job
 * ({@value #QUEUE}, every {@code resonance.ledger.pending-expiry-interval}), run by one
 * node at a time, a slice per transaction. Each pending transfer is resolved once however
 * the job and a late post race (the ledger locks it), so a run cut short by a dying node
 * is simply finished by the next.
 */
@Component
class PendingTransferExpiry implements JobHandler {

	/** The queue of the recurring job. */
	static final String QUEUE = "ledger-pending-expiry";

	/** Expired transfers voided per transaction. */
	static final int SLICE = 500;

	private final Ledger ledger;

	private final Clock clock;

	private final LedgerProperties properties;

	PendingTransferExpiry(Ledger ledger, Clock clock, LedgerProperties properties) {
		this.ledger = ledger;
		this.clock = clock;
		this.properties = properties;
	}

	@Override
	public JobQueue queue() {
		return JobQueue.named(QUEUE).recurring(this.properties.pendingExpiryInterval()).nonTransactional();
	}

	@Override
	public void handle(Job job) {
		Instant now = this.clock.instant();
		while (this.ledger.voidExpired(now, SLICE) == SLICE) {
			// more may have expired: another slice
		}
	}

}
