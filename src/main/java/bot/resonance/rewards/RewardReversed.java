package bot.resonance.rewards;

import java.time.Instant;

/**
 * Part of a reward taken back from a member (a refunded order), published in the
 * transaction that moved it, so other modules can tell of it (webhooks:
 * {@code balance.change} with a negative delta).
 *
 * @param brandId the brand
 * @param eventId the rewarded event the reversal belongs to
 * @param memberId the member it was taken from
 * @param userId the member as the brand knows them (an email, a Discord user id)
 * @param currency the currency code
 * @param amount how much was taken back
 * @param balanceAfter the member's balance right after
 * @param reason why ({@code REFUND})
 * @param at when
 */
public record RewardReversed(String brandId, String eventId, long memberId, String userId, String currency, long amount,
		long balanceAfter, String reason, Instant at) {
}
