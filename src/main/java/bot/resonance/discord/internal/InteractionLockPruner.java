package bot.resonance.discord.internal;

import java.time.Clock;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import bot.resonance.discord.InteractionsProperties;
import bot.resonance.platform.db.Pruning;
import bot.resonance.platform.jobs.Job;
import bot.resonance.platform.jobs.JobHandler;
import bot.resonance.platform.jobs.JobQueue;
import org.springframework.stereotype.Component;

/**
 * Forgets interaction locks that expired (the interaction log, not the locks, is what
 * keeps an interaction from being processed twice), and interactions logged longer ago
 * than {@code resonance.discord.interactions.log-retention}. A recurring job: hourly
 * across all nodes.
 */
@Component
class InteractionLockPruner implements JobHandler {

	private static final Logger log = LoggerFactory.getLogger(InteractionLockPruner.class);

	private final DiscordRepository repository;

	private final InteractionsProperties properties;

	private final Clock clock;

	InteractionLockPruner(DiscordRepository repository, InteractionsProperties properties, Clock clock) {
		this.repository = repository;
		this.properties = properties;
		this.clock = clock;
	}

	@Override
	public JobQueue queue() {
		return Pruning.queue("discord-interaction-lock-pruning", Duration.ofHours(1));
	}

	@Override
	public void handle(Job job) {
		Pruning.run(log, "expired Discord interaction locks",
				() -> Pruning.inSlices((slice) -> this.repository.pruneLocks(this.clock.instant(), slice)));
		Pruning.run(log, "Discord interactions past their retention", () -> Pruning.inSlices((slice) -> this.repository
			.pruneLog(this.clock.instant().minus(this.properties.logRetention()), slice)));
	}

}
