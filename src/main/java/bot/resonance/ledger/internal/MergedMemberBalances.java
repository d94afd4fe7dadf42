package bot.resonance.ledger.internal;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import bot.resonance.identity.MembersMerged;
import bot.resonance.ledger.AccountKey;
import bot.resonance.ledger.Currency;
import bot.resonance.ledger.Ledger;
import bot.resonance.ledger.TransferCode;
import bot.resonance.ledger.TransferRequest;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * When two members merge, what the absorbed member can pay moves to the survivor: one
 * transfer per currency, in the merge's transaction. What pending transfers reserve on
 * the absorbed member's accounts stays there until they are resolved; whatever they give
 * back then follows to the survivor (see {@link Ledger}). The absorbed accounts remember
 * where their value went, so a later reversal of a transfer they received takes it back
 * from the survivor.
 */
@Component
class MergedMemberBalances {

	private final Ledger ledger;

	private final LedgerRepository repository;

	private final Clock clock;

	MergedMemberBalances(Ledger ledger, LedgerRepository repository, Clock clock) {
		this.ledger = ledger;
		this.repository = repository;
		this.clock = clock;
	}

	@EventListener
	void on(MembersMerged merged) {
		String brandId = merged.brandId();
		long absorbed = merged.absorbed().id();
		long survivor = merged.survivor().id();
		List<Currency> currencies = this.ledger.currencies(brandId);
		Map<AccountKey, AccountRow> accounts = this.repository
			.accounts(currencies.stream().map((c) -> AccountKey.member(brandId, c.code(), absorbed)).toList(), true);
		if (accounts.isEmpty()) {
			return;
		}
		List<TransferRequest> transfers = new ArrayList<>();
		Map<AccountKey, AccountKey> successors = new HashMap<>();
		accounts.forEach((account, row) -> {
			AccountKey to = AccountKey.member(brandId, account.currency(), survivor);
			successors.put(account, to);
			if (row.available() > 0) {
				transfers
					.add(TransferRequest
						.of(TransferCode.MEMBER_MERGE, absorbed + ":" + survivor + ":" + account.currency(), account,
								to, row.available())
						.withReference("mem_" + absorbed));
			}
		});
		this.ledger.post(transfers);
		Map<AccountKey, Long> survivorIds = this.repository.openAccounts(successors.values(), this.clock.instant());
		Map<Long, Long> mergedInto = new HashMap<>();
		successors.forEach((account, to) -> mergedInto.put(accounts.get(account).id(), survivorIds.get(to)));
		this.repository.markMerged(brandId, mergedInto);
	}

}
