package bot.resonance.incoming;

import java.time.Instant;

/**
 * An incoming webhook call ({@code currency.add}) moved currency between the brand's
 * wallet and a member, published in the transaction that moved it.
 *
 * @param brandId the brand
 * @param callId the call ({@code call_…})
 * @param memberId the member
 * @param userId the member's Discord user id, as the call named them
 * @param currency the currency code
 * @param amount what the member got: positive for a credit from the wallet, negative for
 * a debit back into it
 * @param balanceAfter the member's balance right after
 * @param at when
 */
public record CurrencyAdded(String brandId, String callId, long memberId, String userId, String currency, long amount,
		long balanceAfter, Instant at) {
}
