/**
 * Affiliates: who referred whom (set once, never a cycle), referral codes, and affiliate
 * payouts — when a member is rewarded for an event type with an {@code affiliate_amount},
 * their referrer earns it from the same wallet, in the reward's transaction.
 *
 * <p>
 * Use {@link bot.resonance.affiliates.Referrals}; payouts are announced as
 * {@link bot.resonance.affiliates.AffiliatePayoutsRecorded}.
 */
@ApplicationModule(displayName = "Affiliates", allowedDependencies = { "rewards", "identity", "ledger", "platform" })
@NullMarked
package bot.resonance.affiliates;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
