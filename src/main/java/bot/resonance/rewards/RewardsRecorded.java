package bot.resonance.rewards;

import java.util.List;

/**
 * Published inside the transaction that recorded a batch of events, with every reward
 * movement it decided. A listener that writes in the same transaction (an outbox) commits
 * or rolls back with the movements themselves.
 *
 * @param movements the movements, in the order they were decided
 */
public record RewardsRecorded(List<RewardMovement> movements) {
}
