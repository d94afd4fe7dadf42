package bot.resonance.discord.internal;

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
 * Forgets setup codes once {@link SetupCodeRepository#KEPT_AFTER_EXPIRY} past their
 * expiry. A brand's old codes also go when it asks for a new one; this is for brands that
 * never ask again. A recurring job: daily across all nodes.
 */
@Component
class SetupCodePruner implements JobHandler {

	private static final Logger log = LoggerFactory.getLogger(SetupCodePruner.class);

	private final SetupCodeRepository repository;

	private final Clock clock;

	SetupCodePruner(SetupCodeRepository repository, Clock clock) {
		this.repository = repository;
		this.clock = clock;
	}

	@Override
	public JobQueue queue() {
		return Pruning.queue("discord-setup-code-pruning", Duration.ofDays(1));
	}

	@Override
	public void handle(Job job) {
		Duration kept = SetupCodeRepository.KEPT_AFTER_EXPIRY;
		Pruning.run(log, "Discord setup codes expired " + kept.toDays() + " days ago", () -> Pruning
			.inSlices((slice) -> this.repository.pruneExpired(this.clock.instant().minus(kept), slice)));
	}

}
