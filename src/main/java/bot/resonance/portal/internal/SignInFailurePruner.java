package bot.resonance.portal.internal;

import java.time.Clock;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import bot.resonance.platform.db.Pruning;
import bot.resonance.platform.jobs.Job;
import bot.resonance.platform.jobs.JobHandler;
import bot.resonance.platform.jobs.JobQueue;
import bot.resonance.portal.PortalProperties;
import org.springframework.stereotype.Component;

/**
 * Forgets failed sign-ins, failed two-factor codes and "forgot your password" requests
 * once they are older than {@code resonance.portal.sign-in-failure-window}: past it they
 * no longer count. A failure is otherwise forgotten only when its key (an email, a client
 * address) fails again, so sign-in attempts with ever new emails or from ever new
 * addresses would leave a row each for good. A recurring job: hourly across all nodes.
 */
@Component
class SignInFailurePruner implements JobHandler {

	private static final Logger log = LoggerFactory.getLogger(SignInFailurePruner.class);

	private final PortalUserRepository repository;

	private final PortalProperties properties;

	private final Clock clock;

	SignInFailurePruner(PortalUserRepository repository, PortalProperties properties, Clock clock) {
		this.repository = repository;
		this.properties = properties;
		this.clock = clock;
	}

	@Override
	public JobQueue queue() {
		return Pruning.queue("portal-sign-in-failure-pruning", Duration.ofHours(1));
	}

	@Override
	public void handle(Job job) {
		Duration window = this.properties.signInFailureWindow();
		Pruning.run(log, "portal sign-in failures older than " + window, () -> Pruning
			.inSlices((slice) -> this.repository.pruneFailures(this.clock.instant().minus(window), slice)));
	}

}
