package bot.resonance.incoming.internal;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import bot.resonance.brands.Brand;
import bot.resonance.brands.Brands;
import bot.resonance.identity.Identity;
import bot.resonance.incoming.CurrencyAdded;
import bot.resonance.identity.Member;
import bot.resonance.identity.Members;
import bot.resonance.ledger.AccountKey;
import bot.resonance.ledger.NetworkCurrency;
import bot.resonance.ledger.Ledger;
import bot.resonance.ledger.PostedTransfer;
import bot.resonance.ledger.TransferCode;
import bot.resonance.ledger.TransferContext;
import bot.resonance.ledger.TransferOutcome;
import bot.resonance.ledger.TransferRequest;
import bot.resonance.platform.Transactions;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * {@code currency.add}: one balanced ledger transfer between the brand wallet and the
 * member, checked under lock in the call's transaction. A positive amount pays the member
 * from the wallet; a negative amount takes it back into the wallet. Either is announced
 * as {@link CurrencyAdded}.
 */
@Component
class CurrencyAddAction {

	private final Brands brands;

	private final Members members;

	private final Ledger ledger;

	private final NetworkCurrency network;

	private final ApplicationEventPublisher events;

	private final CallResults results;

	CurrencyAddAction(Brands brands, Members members, Ledger ledger, NetworkCurrency network,
			ApplicationEventPublisher events, CallResults results) {
		this.brands = brands;
		this.members = members;
		this.ledger = ledger;
		this.network = network;
		this.events = events;
		this.results = results;
	}

	/**
	 * The currency a call moves: the one it names, else the hook's, else the brand's
	 * default.
	 * @throws IncomingCallParser.Refusal if the brand has no such currency
	 */
	String currency(IncomingWebhook hook, IncomingCall.CurrencyAdd call) {
		String code = (call.currency() != null) ? call.currency() : hook.currency();
		if (code == null) {
			code = this.brands.find(hook.brandId()).map(Brand::defaultCurrency).orElse("POINT");
		}
		if (NetworkCurrency.isNetwork(code)) {
			if (call.amount() < 0) {
				throw new IncomingCallParser.Refusal("network_currency_debit",
						NetworkCurrency.CODE + " belongs to the person who holds it: a brand cannot take it back with"
								+ " currency.add. A person spends it with a redemption code (POST /v1/redemptions).",
						IncomingAction.CURRENCY_ADD);
			}
			return code;
		}
		if (this.ledger.currency(hook.brandId(), code).isEmpty()) {
			throw new IncomingCallParser.Refusal("unknown_currency",
					"The brand has no currency '" + code + "'. See GET /v1/wallet for its currencies.",
					IncomingAction.CURRENCY_ADD);
		}
		return code;
	}

	/** Moves the amount, in the caller's transaction. */
	CallResult apply(IncomingWebhook hook, String callId, IncomingCall.CurrencyAdd call, String currency, Instant now) {
		Transactions.requireActive("currency.add");
		String brandId = hook.brandId();
		Identity identity = Identity.discord(brandId, call.userId())
			.orElseThrow(() -> new IllegalArgumentException("Not a Discord user id: " + call.userId()));
		boolean credit = call.amount() > 0;
		long amount = Math.abs(call.amount());
		// A debit of someone never seen cannot be paid: no need to create them.
		Member member = credit ? this.members.resolveOrCreate(List.of(identity)).get(identity)
				: this.members.find(identity).orElse(null);
		if (member == null) {
			return insufficient(callId, call, currency, 0);
		}
		// Hold the member, so that a merge cannot move its balance away meanwhile: if it
		// was merged into another member, that one is the member now.
		member = this.members.hold(member);
		if (!member.isActive()) {
			return this.results.problem(HttpStatus.UNPROCESSABLE_CONTENT, "user_disabled",
					"Member " + call.userId() + " is disabled for this brand.", callId, IncomingAction.CURRENCY_ADD);
		}
		AccountKey wallet = this.network.wallet(brandId, currency);
		AccountKey balance = this.network.heldHolder(currency, member);
		TransferOutcome outcome = this.ledger.transfer(TransferRequest
			.of(TransferCode.INCOMING_WEBHOOK, callId, credit ? wallet : balance, credit ? balance : wallet, amount)
			.withReference(callId)
			.about(new TransferContext(identity.value(), null, "INCOMING_WEBHOOK")));
		PostedTransfer transfer;
		switch (outcome) {
			case TransferOutcome.Posted posted -> transfer = posted.transfer();
			case TransferOutcome.InsufficientFunds insufficient -> {
				return insufficient(callId, call, currency, insufficient.available());
			}
			case TransferOutcome.OutOfRange outOfRange -> {
				return this.results.problem(HttpStatus.UNPROCESSABLE_CONTENT, "amount_out_of_range",
						"The receiving balance would exceed the largest amount that can be held.", callId,
						IncomingAction.CURRENCY_ADD);
			}
			case TransferOutcome.AlreadyPosted already ->
				throw new IllegalStateException("Call " + callId + " moved money before");
			case TransferOutcome.Refused refused ->
				throw new IllegalStateException("currency.add was refused: " + refused);
		}
		long memberBalance = credit ? transfer.creditBalanceAfter() : transfer.debitBalanceAfter();
		long walletBalance = credit ? transfer.debitBalanceAfter() : transfer.creditBalanceAfter();
		this.events.publishEvent(new CurrencyAdded(brandId, callId, member.id(), identity.value(), currency,
				call.amount(), memberBalance, now));
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("user_id", identity.value());
		result.put("amount", call.amount());
		result.put("currency", currency);
		result.put("balance", memberBalance);
		result.put("wallet_balance", walletBalance);
		result.put("transfer_id", Long.toString(transfer.id()));
		if (call.reason() != null) {
			result.put("reason", call.reason());
		}
		return this.results.success(callId, IncomingAction.CURRENCY_ADD, result);
	}

	private CallResult insufficient(String callId, IncomingCall.CurrencyAdd call, String currency, long available) {
		String detail = (call.amount() > 0)
				? "The brand wallet holds " + available + " " + currency + ", less than " + call.amount() + "."
				: "Member " + call.userId() + " holds " + available + " " + currency + ", less than "
						+ Math.abs(call.amount()) + ".";
		return this.results.problem(HttpStatus.UNPROCESSABLE_CONTENT, "insufficient_balance", detail, callId,
				IncomingAction.CURRENCY_ADD, Map.of("available", available, "currency", currency), null);
	}

}
