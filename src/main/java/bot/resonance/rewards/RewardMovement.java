package bot.resonance.rewards;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A reward toward a member, as it was decided: paid, pending, or refused although due.
 *
 * @param brandId the brand
 * @param eventId the event that caused it
 * @param memberId the member
 * @param userId the member's Discord user id
 * @param guildId the Discord guild the event came from
 * @param eventType the event type (the conversion that triggered it)
 * @param status {@code accepted}, {@code pending} or {@code rejected}
 * @param statusDetails why it is pending or was rejected ({@code null} when accepted)
 * @param amount the amount in the currency's smallest unit
 * @param currency the currency code
 * @param balanceAfter the member's balance right after (unchanged unless accepted)
 * @param at when it was decided
 * @param reason {@code end_user_payout}, or {@code affiliate_payout} for what a referrer
 * earns when the member they referred is rewarded
 * @param affiliateAmount what the member's referrer earns with this reward (the event
 * type's {@code affiliate_amount}), if anything
 * @param amountCap the most the event may move in all, the referrer's payout included (an
 * unsigned manual event's cap), if it is capped
 */
public record RewardMovement(String brandId, String eventId, long memberId, String userId, @Nullable String guildId,
		String eventType, Status status, @Nullable String statusDetails, long amount, String currency,
		long balanceAfter, Instant at, String reason, @Nullable Long affiliateAmount, @Nullable Long amountCap) {

	/** The reason of a member's own reward. */
	public static final String END_USER_PAYOUT = "end_user_payout";

	/** The reason of a referrer's reward. */
	public static final String AFFILIATE_PAYOUT = "affiliate_payout";

	/** A member's own reward, that pays no referrer. */
	public RewardMovement(String brandId, String eventId, long memberId, String userId, @Nullable String guildId,
			String eventType, Status status, @Nullable String statusDetails, long amount, String currency,
			long balanceAfter, Instant at) {
		this(brandId, eventId, memberId, userId, guildId, eventType, status, statusDetails, amount, currency,
				balanceAfter, at, END_USER_PAYOUT, null, null);
	}

	/** The movement statuses of the reward webhook. */
	public enum Status {

		ACCEPTED, PENDING, REJECTED;

		public String wireName() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}

	}

}
