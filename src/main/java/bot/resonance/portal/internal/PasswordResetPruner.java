package bot.resonance.portal.internal;

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
 * Forgets password-reset links once {@link PortalUserRepository#RESETS_KEPT_AFTER_EXPIRY}
 * past their expiry. A user's old links also go when they ask for a new one; this is for
 * users who never ask again. A recurring job: daily across all nodes.
 */
@Component
class PasswordResetPruner implements JobHandler {

	private static final Logger log = LoggerFactory.getLogger(PasswordResetPruner.class);

	private final PortalUserRepository repository;

	private final Clock clock;

	PasswordResetPruner(PortalUserRepository repository, Clock clock) {
		this.repository = repository;
		this.clock = clock;
	}

	@Override
	public JobQueue queue() {
		return Pruning.queue("portal-password-reset-pruning", Duration.ofDays(1));
	}

	@Override
	public void handle(Job job) {
		Duration kept = PortalUserRepository.RESETS_KEPT_AFTER_EXPIRY;
		Pruning.run(log, "portal password-reset links expired " + kept.toDays() + " days ago", () -> Pruning
			.inSlices((slice) -> this.repository.pruneResets(this.clock.instant().minus(kept), slice)));
	}

}
