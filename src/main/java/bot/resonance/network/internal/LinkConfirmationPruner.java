package bot.resonance.network.internal;

import java.time.Clock;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import bot.resonance.platform.db.Pruning;
import bot.resonance.platform.jobs.Job;
import bot.resonance.platform.jobs.JobHandler;
import bot.resonance.platform.jobs.JobQueue;
import org.springframework.stereotype.Component;

/**
 * Forgets link confirmations once
 * {@link NetworkRepository#CONFIRMATIONS_KEPT_AFTER_EXPIRY} past their expiry. A member's
 * old confirmations also go when a new one is asked for; this is for members who never
 * link again. A recurring job: daily across all nodes.
 */
@Component
class LinkConfirmationPruner implements JobHandler {

	private static final Logger log = LoggerFactory.getLogger(LinkConfirmationPruner.class);

	private final NetworkRepository repository;

	private final Clock clock;

	LinkConfirmationPruner(NetworkRepository repository, Clock clock) {
		this.repository = repository;
		this.clock = clock;
	}

	@Override
	public JobQueue queue() {
		return Pruning.queue("network-link-confirmation-pruning", Duration.ofDays(1));
	}

	@Override
	public void handle(Job job) {
		Duration kept = NetworkRepository.CONFIRMATIONS_KEPT_AFTER_EXPIRY;
		Pruning.run(log, "network link confirmations expired " + kept.toDays() + " days ago", () -> Pruning
			.inSlices((slice) -> this.repository.pruneConfirmations(this.clock.instant().minus(kept), slice)));
	}

}
