package bot.resonance.ledger;

import org.jspecify.annotations.Nullable;

/**
 * A balanced movement to post: {@code amount} leaves {@code debit} and arrives in
 * {@code credit}.
 *
 * @param debit the account that pays
 * @param credit the account that receives
 * @param amount a positive whole number in the currency's smallest unit
 * @param idempotencyKey unique per brand; posting the same key twice is refused
 * @param kind what the transfer is for ({@code award}, {@code funding}, ...)
 * @param reference what caused it (an event id, an order id), if anything
 */
public record TransferRequest(AccountKey debit, AccountKey credit, long amount, String idempotencyKey, String kind,
		@Nullable String reference) {

	public TransferRequest {
		if (amount <= 0) {
			throw new IllegalArgumentException("A transfer amount must be positive, was " + amount);
		}
		if (!debit.brandId().equals(credit.brandId()) || !debit.currency().equals(credit.currency())) {
			throw new IllegalArgumentException("A transfer moves one currency within one brand");
		}
		if (debit.equals(credit)) {
			throw new IllegalArgumentException("A transfer needs two different accounts");
		}
	}

}
