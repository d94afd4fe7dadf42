/**
 * Integrations: bridges from the platforms brands already run to the reward pipeline.
 * Manual events ({@code /resonance-api/manual-event}): backends and web pages that know
 * their customers by email send events, signed or (if the brand allows it, from its
 * domains) unsigned and capped. Shopify, native ({@code /v1/integrations/shopify}): paid
 * orders become events of the brand's configured type, refunds reverse the order's reward
 * in proportion. An integration owns its settings and its record of what it received; it
 * submits events through {@link bot.resonance.rewards.RewardEvents} like every other door
 * (HTTP doors answer like the event API, through
 * {@link bot.resonance.rewards.EventRequests}), and moves money only through the ledger.
 */
@ApplicationModule(displayName = "Integrations",
		allowedDependencies = { "rewards", "brands", "identity", "ledger", "platform" })
@NullMarked
package bot.resonance.integrations;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
