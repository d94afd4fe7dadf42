package bot.resonance.identity;

import java.time.Instant;

/**
 * Two members of a brand turned out to be one person and were merged: {@code absorbed}
 * gave its identities to {@code survivor} and is gone. Published inside the transaction
 * that merges them, which holds the brand's lock and both members' locks: every module
 * that keeps something per member moves it to the survivor in that same transaction
 * (balances, rule state, history, referrals), so nothing is ever seen half merged.
 *
 * @param brandId the brand
 * @param survivor the member that remains
 * @param absorbed the member merged into it
 * @param at when
 */
public record MembersMerged(String brandId, Member survivor, Member absorbed, Instant at) {
}
