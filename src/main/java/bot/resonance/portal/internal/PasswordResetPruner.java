package bot.resonance.portal.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import bot.resonance.platform.db.AgePruner;
import org.springframework.stereotype.Component;

/**
 * Forgets password-reset links once {@link PortalUserRepository#RESETS_KEPT_AFTER_EXPIRY}
 * past their expiry. A user's old links also go when they ask for a new one; this is for
 * users who never ask again. Daily across all nodes.
 */
@Component
class PasswordResetPruner extends AgePruner {

	private final PortalUserRepository repository;

	PasswordResetPruner(PortalUserRepository repository, Clock clock) {
		super("portal-password-reset-pruning", Duration.ofDays(1),
				"portal password-reset links 30 days past their expiry", PortalUserRepository.RESETS_KEPT_AFTER_EXPIRY,
				clock);
		this.repository = repository;
	}

	@Override
	protected int prune(Instant before, int limit) {
		return this.repository.pruneResets(before, limit);
	}

}
