package bot.resonance.support;

import java.util.Map;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ledger's invariants for one brand, read straight from the database: value is
 * conserved (members plus wallet hold exactly what was funded, issuance is its mirror
 * image), no account that may not go negative is negative, and what members hold is
 * exactly what the recorded events say was awarded, less what reward reversals (refunds)
 * took back, transfer by transfer.
 */
public final class LedgerChecks {

	private LedgerChecks() {
	}

	/** Asserts the invariants and returns the total held by members. */
	public static long assertBalanced(JdbcClient jdbc, TestBrand brand, long funded) {
		long members = assertConserved(jdbc, brand, funded);
		long awardedByEvents = sum(jdbc,
				"select coalesce(sum(amount_awarded), 0) from reward_events where brand_id = :brand", brand);
		long awardedByTransfers = sum(jdbc,
				"select coalesce(sum(amount), 0) from ledger_transfers where brand_id = :brand and kind = 'award'",
				brand);
		long reversedByRecords = sum(jdbc,
				"select coalesce(sum(reversed), 0) from reward_reversals where brand_id = :brand", brand);
		long reversedByTransfers = sum(jdbc,
				"select coalesce(sum(amount), 0) from ledger_transfers where brand_id = :brand and kind = 'reversal'",
				brand);
		assertThat(awardedByEvents).as("awarded by events = award transfers").isEqualTo(awardedByTransfers);
		assertThat(reversedByRecords).as("reversed by reversal records = reversal transfers")
			.isEqualTo(reversedByTransfers);
		assertThat(awardedByEvents - reversedByRecords).as("awarded - reversed = held by members").isEqualTo(members);
		return members;
	}

	/**
	 * Asserts that value is conserved and nothing is overdrawn, whatever moved it
	 * (events, incoming webhooks, ...), and returns the total held by members.
	 */
	public static long assertConserved(JdbcClient jdbc, TestBrand brand, long funded) {
		Map<String, Long> byKind = jdbc
			.sql("select kind, sum(balance) from ledger_accounts where brand_id = :brand group by kind")
			.param("brand", brand.brandId())
			.query((rs, row) -> Map.entry(rs.getString(1), rs.getLong(2)))
			.list()
			.stream()
			.collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
		long members = byKind.getOrDefault("member", 0L);
		long wallet = byKind.getOrDefault("brand_wallet", 0L);
		assertThat(members + wallet).as("members + wallet = funded").isEqualTo(funded);
		assertThat(byKind.get("issuance")).as("issuance = -funded").isEqualTo(-funded);
		assertThat(wallet).isGreaterThanOrEqualTo(0);
		assertThat(sum(jdbc,
				"select count(*) from ledger_accounts where brand_id = :brand and balance < 0 and not allow_negative",
				brand))
			.as("overdrawn accounts")
			.isZero();
		return members;
	}

	private static long sum(JdbcClient jdbc, String sql, TestBrand brand) {
		return jdbc.sql(sql).param("brand", brand.brandId()).query(Long.class).single();
	}

}
