package bot.resonance.ledger;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/** Brands with a funded currency, and the ledger's invariants read from the database. */
final class LedgerFixtures {

	static final String CURRENCY = "POINT";

	private static final AtomicLong MEMBERS = new AtomicLong(1_000);

	private LedgerFixtures() {
	}

	/** A brand no other test uses, with a currency whose wallet holds {@code funds}. */
	static String brand(Ledger ledger, long funds) {
		String brandId = "ledger-" + UUID.randomUUID();
		ledger.defineCurrency(new Currency(brandId, CURRENCY, CurrencyKind.POINT, 0));
		if (funds > 0) {
			TransferOutcome funded = ledger.transfer(TransferRequest.of(TransferCode.FUNDING, "initial",
					AccountKey.issuance(brandId, CURRENCY), wallet(brandId), funds));
			assertThat(funded).isInstanceOf(TransferOutcome.Posted.class);
		}
		return brandId;
	}

	static AccountKey wallet(String brandId) {
		return AccountKey.wallet(brandId, CURRENCY);
	}

	static AccountKey newMember(String brandId) {
		return AccountKey.member(brandId, CURRENCY, MEMBERS.incrementAndGet());
	}

	/** Pays a member from the wallet (an award) and returns the transfer. */
	static PostedTransfer award(Ledger ledger, AccountKey member, long amount) {
		String eventId = "evt_" + UUID.randomUUID();
		TransferOutcome outcome = ledger
			.transfer(TransferRequest.of(TransferCode.AWARD, eventId, wallet(member.brandId()), member, amount)
				.withReference(eventId));
		assertThat(outcome).isInstanceOf(TransferOutcome.Posted.class);
		return ((TransferOutcome.Posted) outcome).transfer();
	}

	/**
	 * Asserts what must hold whatever happened: balances of the currency add up to zero;
	 * no account that may not go negative holds less than its pending transfers reserve;
	 * every account's balance is exactly what its posted transfers moved, and its pending
	 * debits and credits exactly what its open pending transfers reserve; the open
	 * pending transfers are exactly those neither posted nor voided, each resolved at
	 * most once; no transfer is reversed beyond its amount.
	 */
	static void assertInvariants(JdbcClient jdbc, String brandId) {
		assertThat(
				single(jdbc, "select coalesce(sum(balance), 0) from ledger_accounts where brand_id = :brand", brandId))
			.as("sum of balances")
			.isZero();
		assertThat(single(jdbc, """
				select count(*) from ledger_accounts
				where brand_id = :brand and not allow_negative and balance < debits_pending
				""", brandId)).as("accounts that could pay less than zero").isZero();
		assertThat(single(jdbc,
				"""
						with moved as (
						    select debit_account_id as id, -amount as balance, 0 as debits, 0 as credits
						    from ledger_transfers where brand_id = :brand and phase in ('posted', 'post_pending')
						    union all
						    select credit_account_id, amount, 0, 0
						    from ledger_transfers where brand_id = :brand and phase in ('posted', 'post_pending')
						    union all
						    select t.debit_account_id, 0, t.amount, 0 from ledger_pending_transfers p
						    join ledger_transfers t on t.brand_id = p.brand_id and t.id = p.transfer_id where p.brand_id = :brand
						    union all
						    select t.credit_account_id, 0, 0, t.amount from ledger_pending_transfers p
						    join ledger_transfers t on t.brand_id = p.brand_id and t.id = p.transfer_id where p.brand_id = :brand
						), expected as (
						    select id, sum(balance) as balance, sum(debits) as debits, sum(credits) as credits from moved group by id
						)
						select count(*) from ledger_accounts a left join expected e on e.id = a.id
						where a.brand_id = :brand and (a.balance <> coalesce(e.balance, 0)
						    or a.debits_pending <> coalesce(e.debits, 0) or a.credits_pending <> coalesce(e.credits, 0))
						""",
				brandId))
			.as("accounts whose balances are not what their transfers say")
			.isZero();
		assertThat(single(jdbc, """
				select count(*) from ledger_transfers t
				where t.brand_id = :brand and t.phase = 'pending'
				  and exists (select 1 from ledger_transfers r where r.brand_id = t.brand_id and r.pending_id = t.id)
				      = exists (select 1 from ledger_pending_transfers p
				                where p.brand_id = t.brand_id and p.transfer_id = t.id)
				""", brandId)).as("pending transfers both resolved and open, or neither").isZero();
		assertThat(single(jdbc, """
				select count(*) from (select pending_id from ledger_transfers
				                      where brand_id = :brand and pending_id is not null
				                      group by pending_id having count(*) > 1) resolved_twice
				""", brandId)).as("pending transfers resolved twice").isZero();
		assertThat(single(jdbc, """
				select count(*) from ledger_transfers t
				where t.brand_id = :brand and t.amount < (select coalesce(sum(r.amount), 0) from ledger_transfers r
				                                          where r.brand_id = t.brand_id and r.reverses_id = t.id)
				""", brandId)).as("transfers reversed beyond their amount").isZero();
	}

	static Map<String, Long> counts(JdbcClient jdbc, String brandId) {
		return Map.of("transfers",
				single(jdbc, "select count(*) from ledger_transfers where brand_id = :brand", brandId), "open",
				single(jdbc, "select count(*) from ledger_pending_transfers where brand_id = :brand", brandId));
	}

	static long single(JdbcClient jdbc, String sql, String brandId) {
		return jdbc.sql(sql).param("brand", brandId).query(Long.class).single();
	}

}
