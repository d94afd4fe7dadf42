package bot.resonance.ledger.internal;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import bot.resonance.identity.PeopleMerged;
import bot.resonance.identity.PersonHoldings;
import bot.resonance.ledger.AccountKey;
import bot.resonance.ledger.Ledger;
import bot.resonance.ledger.NetworkCurrency;
import bot.resonance.ledger.TransferCode;
import bot.resonance.ledger.TransferRequest;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * People's RSNC: when two people merge, what the absorbed person can pay moves to the
 * survivor in the merge's transaction (as {@link MergedMemberBalances} does for a brand's
 * members), and the absorbed account remembers where its value went. Also tells the
 * identity module whether a person holds anything, so that nobody's RSNC moves on a
 * brand's word alone.
 */
@Component
class MergedPersonBalances implements PersonHoldings {

	private final Ledger ledger;

	private final LedgerRepository repository;

	private final Clock clock;

	MergedPersonBalances(Ledger ledger, LedgerRepository repository, Clock clock) {
		this.ledger = ledger;
		this.repository = repository;
		this.clock = clock;
	}

	@Override
	public boolean holdsAnything(long personId) {
		AccountRow row = this.repository.accounts(List.of(NetworkCurrency.person(personId)), false)
			.get(NetworkCurrency.person(personId));
		return row != null && (row.balance() != 0 || row.debitsPending() != 0 || row.creditsPending() != 0);
	}

	@EventListener
	void on(PeopleMerged merged) {
		AccountKey absorbed = NetworkCurrency.person(merged.absorbed());
		AccountKey survivor = NetworkCurrency.person(merged.survivor());
		AccountRow row = this.repository.accounts(List.of(absorbed), true).get(absorbed);
		if (row == null) {
			return;
		}
		if (row.available() > 0) {
			this.ledger
				.post(List.of(TransferRequest
					.of(TransferCode.MEMBER_MERGE, "person:" + merged.absorbed() + ":" + merged.survivor(), absorbed,
							survivor, row.available())
					.withReference("person_merge")));
		}
		Map<AccountKey, Long> survivorIds = this.repository.openAccounts(List.of(survivor), this.clock.instant());
		this.repository.markMerged(NetworkCurrency.PARTITION, Map.of(row.id(), survivorIds.get(survivor)));
	}

}
