package bot.resonance.ledger.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import bot.resonance.identity.MembersMerged;
import bot.resonance.ledger.AccountKey;
import bot.resonance.ledger.Currency;
import bot.resonance.ledger.Ledger;
import bot.resonance.ledger.TransferRequest;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * When two members merge, what the absorbed member held moves to the survivor: one
 * transfer per currency, in the merge's transaction.
 */
@Component
class MergedMemberBalances {

	private final Ledger ledger;

	MergedMemberBalances(Ledger ledger) {
		this.ledger = ledger;
	}

	@EventListener
	void on(MembersMerged merged) {
		String brandId = merged.brandId();
		long absorbed = merged.absorbed().id();
		long survivor = merged.survivor().id();
		List<Currency> currencies = this.ledger.currencies(brandId);
		Map<AccountKey, Long> balances = this.ledger
			.lockBalances(currencies.stream().map((c) -> AccountKey.member(brandId, c.code(), absorbed)).toList());
		List<TransferRequest> transfers = new ArrayList<>();
		balances.forEach((account, balance) -> {
			if (balance > 0) {
				transfers.add(new TransferRequest(account, AccountKey.member(brandId, account.currency(), survivor),
						balance, "merge:" + absorbed + ":" + survivor + ":" + account.currency(), "member_merge",
						"mem_" + absorbed));
			}
		});
		this.ledger.post(transfers);
	}

}
