package bot.resonance.discord.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import bot.resonance.platform.db.AgePruner;
import org.springframework.stereotype.Component;

/**
 * Forgets setup codes once {@link SetupCodeRepository#KEPT_AFTER_EXPIRY} past their
 * expiry. A brand's old codes also go when it asks for a new one; this is for brands that
 * never ask again. Daily across all nodes.
 */
@Component
class SetupCodePruner extends AgePruner {

	private final SetupCodeRepository repository;

	SetupCodePruner(SetupCodeRepository repository, Clock clock) {
		super("discord-setup-code-pruning", Duration.ofDays(1), "Discord setup codes 30 days past their expiry",
				SetupCodeRepository.KEPT_AFTER_EXPIRY, clock);
		this.repository = repository;
	}

	@Override
	protected int prune(Instant before, int limit) {
		return this.repository.pruneExpired(before, limit);
	}

}
