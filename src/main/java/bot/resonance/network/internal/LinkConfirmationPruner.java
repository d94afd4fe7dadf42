package bot.resonance.network.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import bot.resonance.platform.db.AgePruner;
import org.springframework.stereotype.Component;

/**
 * Forgets link confirmations once
 * {@link NetworkRepository#CONFIRMATIONS_KEPT_AFTER_EXPIRY} past their expiry. A member's
 * old confirmations also go when a new one is asked for; this is for members who never
 * link again. Daily across all nodes.
 */
@Component
class LinkConfirmationPruner extends AgePruner {

	private final NetworkRepository repository;

	LinkConfirmationPruner(NetworkRepository repository, Clock clock) {
		super("network-link-confirmation-pruning", Duration.ofDays(1),
				"network link confirmations 30 days past their expiry",
				NetworkRepository.CONFIRMATIONS_KEPT_AFTER_EXPIRY, clock);
		this.repository = repository;
	}

	@Override
	protected int prune(Instant before, int limit) {
		return this.repository.pruneConfirmations(before, limit);
	}

}
