/**
 * Rewards: the signed event API ({@code POST /v1/events}), event types and their rules
 * (amount, cooldown, daily limits), members' reward state, and pending events processed
 * after the UTC day turns.
 *
 * <p>
 * Events are processed in batches: concurrent requests for the same brand are grouped
 * into one transaction (group commit), each still gets its own answer, and a failing
 * event never fails its neighbours.
 */
@ApplicationModule(displayName = "Rewards", allowedDependencies = { "brands", "identity", "ledger", "platform" })
@NullMarked
package bot.resonance.rewards;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
