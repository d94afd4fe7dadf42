package bot.resonance.portal.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import bot.resonance.platform.db.AgePruner;
import bot.resonance.portal.PortalProperties;
import org.springframework.stereotype.Component;

/**
 * Forgets failed sign-ins, failed two-factor codes and "forgot your password" requests
 * once they are older than {@code resonance.portal.sign-in-failure-window}: past it they
 * no longer count. A failure is otherwise forgotten only when its key (an email, a client
 * address) fails again, so sign-in attempts with ever new emails or from ever new
 * addresses would leave a row each for good. Hourly across all nodes.
 */
@Component
class SignInFailurePruner extends AgePruner {

	private final PortalUserRepository repository;

	SignInFailurePruner(PortalUserRepository repository, PortalProperties properties, Clock clock) {
		super("portal-sign-in-failure-pruning", Duration.ofHours(1),
				"portal sign-in failures older than " + properties.signInFailureWindow(),
				properties.signInFailureWindow(), clock);
		this.repository = repository;
	}

	@Override
	protected int prune(Instant before, int limit) {
		return this.repository.pruneFailures(before, limit);
	}

}
