/**
 * Analytics: what a brand's events came to over a range of UTC hours or days, and the
 * members awarded the most ({@code /v1/analytics}), for every adapter (management API,
 * portal, Discord bot).
 *
 * <p>
 * Use {@link bot.resonance.analytics.Analytics}. The figures come from the rewards
 * module's {@link bot.resonance.rewards.EventStatistics}, which keeps them in the
 * transaction that records the events; this module reads no table of another module.
 */
@ApplicationModule(displayName = "Analytics",
		allowedDependencies = { "rewards", "brands", "identity", "ledger", "platform" })
@NullMarked
package bot.resonance.analytics;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
