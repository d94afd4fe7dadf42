package bot.resonance.affiliates;

import java.util.List;

import bot.resonance.rewards.RewardMovement;

/**
 * Published inside the transaction that rewarded members whose referrers earn a share:
 * each referrer's payout as a movement (reason {@code affiliate_payout}), paid or
 * rejected (the wallet could not pay it, the referrer is disabled, or an unsigned event's
 * cap would be passed).
 *
 * @param movements the payouts, in the order of the rewards that caused them
 */
public record AffiliatePayoutsRecorded(List<RewardMovement> movements) {
}
