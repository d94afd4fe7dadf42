/**
 * Members as a brand sees them: one view that joins who they are (identity), what they
 * hold (ledger), how they stand with the rewards (today's counts, cooldowns, pending
 * events, history) and who referred them (affiliates), and the use cases on them —
 * lookup, status, linking identities (which may merge two members), referrers. The
 * management API ({@code /v1/members}), the portal and the bot all use
 * {@link bot.resonance.members.MemberProfiles}; this module owns no table.
 */
@ApplicationModule(displayName = "Members",
		allowedDependencies = { "affiliates", "rewards", "brands", "identity", "ledger", "network", "platform" })
@NullMarked
package bot.resonance.members;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
