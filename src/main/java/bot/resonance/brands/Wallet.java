package bot.resonance.brands;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import bot.resonance.ledger.CurrencyKind;
import bot.resonance.platform.web.JsonPatch;

/**
 * A brand's funding wallet, from which rewards are paid: its balances (the management
 * API's {@code GET /v1/wallet}, the portal, the bot) and credits from the currency's
 * issuance account (the operator's funding). The money itself lives in the ledger; this
 * is the brand's view of it. Refusals are
 * {@link bot.resonance.platform.web.ApiException}s with the API's codes.
 */
public interface Wallet {

	/** The wallet's balance in every currency of the brand. */
	WalletView balances(String brandId);

	/**
	 * Credits the brand's wallet from the currency's issuance account ({@code null}
	 * currency: the brand's default). With an idempotency key the credit happens once
	 * however often it is retried.
	 */
	Funding fund(String brandId, long amount, @Nullable String currencyCode, @Nullable String reference,
			@Nullable String idempotencyKey);

	/**
	 * Says which token one of the brand's on-chain currencies is: the {@code address} and
	 * {@code chain_id} fields of {@code patch} (absent: kept; {@code null}: cleared).
	 * Reward webhooks' {@code movement.currency} and the wallet show them from then on.
	 * @return the currency's balance, with its details as saved
	 */
	Balance describeToken(String brandId, String currencyCode, JsonPatch patch);

	/** The fields {@link #describeToken} accepts. */
	Set<String> TOKEN_FIELDS = Set.of("address", "chain_id");

	/**
	 * The latest credits to the wallet from the currencies' issuance accounts (the
	 * operator's funding), newest first, in every currency of the brand.
	 * @param limit at most this many
	 */
	List<Credit> credits(String brandId, int limit);

	/**
	 * The wallet's history in one currency ({@code null}: the brand's default), newest
	 * first: every transfer that moved it, or only its fundings ({@code fundingOnly});
	 * those before the transfer {@code before} (the last of the previous page) if given,
	 * at most {@code limit}.
	 */
	List<Movement> movements(String brandId, @Nullable String currencyCode, boolean fundingOnly, @Nullable Long before,
			int limit);

	/**
	 * The wallet.
	 *
	 * @param brandId the brand
	 * @param currency the brand's default currency
	 * @param balance the balance in the default currency
	 * @param balances the balance in every currency
	 */
	record WalletView(String brandId, String currency, long balance, List<Balance> balances) {
	}

	/**
	 * The balance in one currency, in its smallest unit.
	 *
	 * @param currency the currency's code
	 * @param kind point, on-chain currency or airdrop
	 * @param decimals the currency's decimals
	 * @param address an on-chain currency's token address, if the brand gave it
	 * @param chainId an on-chain currency's chain, if the brand gave it
	 * @param balance the wallet's balance, in the smallest unit
	 */
	record Balance(String currency, CurrencyKind kind, int decimals, @Nullable String address, @Nullable String chainId,
			long balance) {

		/** The balance in a currency without on-chain details. */
		public Balance(String currency, CurrencyKind kind, int decimals, long balance) {
			this(currency, kind, decimals, null, null, balance);
		}

	}

	/**
	 * A movement of the wallet: one ledger transfer that debited or credited it.
	 *
	 * @param transferId the ledger transfer
	 * @param kind what it was for, the transfer's code: {@code funding}, {@code award},
	 * {@code affiliate}, {@code reversal}, {@code incoming_webhook}, {@code escrow},
	 * {@code redemption} or {@code member_merge}
	 * @param phase {@code posted}, or for escrow {@code pending}, {@code post_pending} or
	 * {@code void_pending}
	 * @param currency the currency
	 * @param amount positive when it credited the wallet, negative when it debited it
	 * @param counterparty the other account: {@code issuance}, a member ({@code mem_…}),
	 * or {@code person} (someone's RSNC balance)
	 * @param reference what caused it (an event id, the operator's reference, …)
	 * @param createdAt when
	 */
	record Movement(long transferId, String kind, String phase, String currency, long amount, String counterparty,
			@Nullable String reference, Instant createdAt) {
	}

	/**
	 * A credit to the wallet.
	 *
	 * @param transferId the ledger transfer
	 * @param brandId the brand
	 * @param currency the currency credited
	 * @param amount the amount credited
	 * @param balance the wallet's balance after it
	 * @param alreadyPosted whether the idempotency key had already credited it
	 */
	record Funding(long transferId, String brandId, String currency, long amount, long balance, boolean alreadyPosted) {
	}

	/**
	 * A credit to the wallet, as its history shows it.
	 *
	 * @param transferId the ledger transfer
	 * @param currency the currency credited
	 * @param decimals the currency's decimals
	 * @param amount the amount credited, in the smallest unit
	 * @param reference what the operator noted with it, if anything
	 * @param createdAt when
	 */
	record Credit(long transferId, String currency, int decimals, long amount, @Nullable String reference,
			Instant createdAt) {
	}

}
