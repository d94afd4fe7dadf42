package bot.resonance.ledger.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import bot.resonance.ledger.AccountKey;
import bot.resonance.ledger.AccountKind;
import bot.resonance.ledger.Currency;
import bot.resonance.ledger.CurrencyKind;
import bot.resonance.ledger.TransferRequest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The ledger's SQL. Statements take whole batches as arrays, so posting a hundred
 * transfers costs the same few round trips as posting one.
 */
@Component
public class LedgerRepository {

	private final JdbcClient jdbc;

	LedgerRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	public void insertCurrency(Currency currency, Instant now) {
		this.jdbc.sql("""
				insert into ledger_currencies (brand_id, code, kind, decimals, created_at)
				values (:brand, :code, :kind, :decimals, :now)
				on conflict (brand_id, code) do nothing
				""")
			.param("brand", currency.brandId())
			.param("code", currency.code())
			.param("kind", currency.kind().wireName())
			.param("decimals", currency.decimals())
			.param("now", utc(now))
			.update();
	}

	public void openAccount(AccountKey key, boolean allowNegative, Instant now) {
		this.jdbc.sql("""
				insert into ledger_accounts (brand_id, currency, kind, owner_id, balance, allow_negative, created_at)
				values (:brand, :currency, :kind, :owner, 0, :allowNegative, :now)
				on conflict (brand_id, currency, kind, owner_id) do nothing
				""")
			.param("brand", key.brandId())
			.param("currency", key.currency())
			.param("kind", key.kindName())
			.param("owner", key.ownerId())
			.param("allowNegative", allowNegative)
			.param("now", utc(now))
			.update();
	}

	public List<Currency> currencies(String brandId) {
		return this.jdbc
			.sql("select brand_id, code, kind, decimals from ledger_currencies where brand_id = :brand order by code")
			.param("brand", brandId)
			.query(LedgerRepository::currency)
			.list();
	}

	public Optional<Currency> currency(String brandId, String code) {
		return this.jdbc.sql(
				"select brand_id, code, kind, decimals from ledger_currencies where brand_id = :brand and code = :code")
			.param("brand", brandId)
			.param("code", code)
			.query(LedgerRepository::currency)
			.optional();
	}

	/**
	 * The ids of the given accounts, opening those of members that do not exist yet
	 * (other kinds are opened with their currency). Accounts that do not exist and are
	 * not member accounts are absent from the answer.
	 */
	public Map<AccountKey, Long> openAccounts(Collection<AccountKey> keys, Instant now) {
		Map<AccountKey, Long> ids = new HashMap<>();
		if (keys.isEmpty()) {
			return ids;
		}
		Columns columns = Columns.of(keys);
		this.jdbc
			.sql("""
					with input as (
					    select * from unnest(:brands::text[], :currencies::text[], :kinds::text[], :owners::bigint[])
					         as t(brand_id, currency, kind, owner_id)
					), opened as (
					    insert into ledger_accounts (brand_id, currency, kind, owner_id, balance, allow_negative, created_at)
					    select brand_id, currency, kind, owner_id, 0, false, :now from input where kind = 'member'
					    order by 1, 2, 3, 4
					    on conflict (brand_id, currency, kind, owner_id) do nothing
					    returning id, brand_id, currency, kind, owner_id
					)
					select id, brand_id, currency, kind, owner_id from opened
					union all
					select a.id, a.brand_id, a.currency, a.kind, a.owner_id
					from input t
					join ledger_accounts a
					  on a.brand_id = t.brand_id and a.currency = t.currency and a.kind = t.kind and a.owner_id = t.owner_id
					""")
			.param("brands", columns.brands)
			.param("currencies", columns.currencies)
			.param("kinds", columns.kinds)
			.param("owners", columns.owners)
			.param("now", utc(now))
			.query((rs, row) -> ids.put(new AccountKey(rs.getString("brand_id"), rs.getString("currency"),
					AccountKind.fromDbName(rs.getString("kind")), rs.getLong("owner_id")), rs.getLong("id")))
			.list();
		if (ids.size() < keys.size()) {
			// Opened meanwhile by a transaction that committed while this statement ran.
			List<AccountKey> missing = keys.stream().filter((key) -> !ids.containsKey(key)).toList();
			accounts(missing, false).forEach((key, row) -> ids.put(key, row.id()));
		}
		return ids;
	}

	/** Reads accounts, locking them (in id order) when {@code lock} is set. */
	public Map<AccountKey, AccountRow> accounts(Collection<AccountKey> keys, boolean lock) {
		if (keys.isEmpty()) {
			return Map.of();
		}
		Columns columns = Columns.of(keys);
		String sql = """
				select a.id, a.brand_id, a.currency, a.kind, a.owner_id, a.balance, a.allow_negative
				from ledger_accounts a
				join unnest(:brands::text[], :currencies::text[], :kinds::text[], :owners::bigint[])
				     as t(brand_id, currency, kind, owner_id)
				  on a.brand_id = t.brand_id and a.currency = t.currency and a.kind = t.kind and a.owner_id = t.owner_id
				order by a.id
				""" + (lock ? " for update of a" : "");
		Map<AccountKey, AccountRow> rows = new HashMap<>();
		this.jdbc.sql(sql)
			.param("brands", columns.brands)
			.param("currencies", columns.currencies)
			.param("kinds", columns.kinds)
			.param("owners", columns.owners)
			.query(LedgerRepository::accountRow)
			.list()
			.forEach((row) -> rows.put(row.key(), row));
		return rows;
	}

	/**
	 * Moves the balances and records the transfers in one statement. {@code deltas} maps
	 * account ids to what they gain (negative: lose); a balance that would go negative on
	 * an account that does not allow it violates {@code ledger_accounts_no_overdraft} and
	 * fails the statement. Returns the new balance of every account and the transfer ids
	 * in the order given.
	 */
	public Posting post(String[] deltaBrands, long[] deltaIds, long[] deltas, List<TransferRequest> transfers,
			Map<AccountKey, Long> accountIds, Instant now) {
		int n = transfers.size();
		String[] brands = new String[n];
		String[] keys = new String[n];
		String[] currencies = new String[n];
		long[] debits = new long[n];
		long[] credits = new long[n];
		long[] amounts = new long[n];
		String[] kinds = new String[n];
		String[] references = new String[n];
		for (int i = 0; i < n; i++) {
			TransferRequest transfer = transfers.get(i);
			brands[i] = transfer.debit().brandId();
			keys[i] = transfer.idempotencyKey();
			currencies[i] = transfer.debit().currency();
			debits[i] = accountIds.get(transfer.debit());
			credits[i] = accountIds.get(transfer.credit());
			amounts[i] = transfer.amount();
			kinds[i] = transfer.kind();
			references[i] = transfer.reference();
		}
		Map<Long, Long> balances = new HashMap<>();
		Map<String, Long> idsByKey = new HashMap<>();
		this.jdbc
			.sql("""
					with moved as (
					    update ledger_accounts a set balance = a.balance + d.delta
					    from unnest(:deltaBrands::text[], :deltaIds::bigint[], :deltas::bigint[]) as d(brand_id, id, delta)
					    where a.brand_id = d.brand_id and a.id = d.id
					    returning a.id, a.balance
					), recorded as (
					    insert into ledger_transfers
					        (brand_id, idempotency_key, currency, debit_account_id, credit_account_id, amount, kind, reference,
					         created_at)
					    select t.brand_id, t.idempotency_key, t.currency, t.debit, t.credit, t.amount, t.kind, t.reference, :now
					    from unnest(:brands::text[], :keys::text[], :currencies::text[], :debits::bigint[], :credits::bigint[],
					                :amounts::bigint[], :kinds::text[], :references::text[])
					         with ordinality as t(brand_id, idempotency_key, currency, debit, credit, amount, kind, reference, n)
					    order by t.n
					    returning id, brand_id, idempotency_key
					)
					select 'account' as row_kind, id, balance, null as brand_id, null as idempotency_key from moved
					union all
					select 'transfer', id, null, brand_id, idempotency_key from recorded
					""")
			.param("deltaBrands", deltaBrands)
			.param("deltaIds", deltaIds)
			.param("deltas", deltas)
			.param("brands", brands)
			.param("keys", keys)
			.param("currencies", currencies)
			.param("debits", debits)
			.param("credits", credits)
			.param("amounts", amounts)
			.param("kinds", kinds)
			.param("references", references)
			.param("now", utc(now))
			.query((rs, row) -> {
				if ("account".equals(rs.getString("row_kind"))) {
					balances.put(rs.getLong("id"), rs.getLong("balance"));
				}
				else {
					idsByKey.put(rs.getString("brand_id") + "\n" + rs.getString("idempotency_key"), rs.getLong("id"));
				}
				return null;
			})
			.list();
		long[] transferIds = new long[n];
		for (int i = 0; i < n; i++) {
			Long id = idsByKey.get(brands[i] + "\n" + keys[i]);
			transferIds[i] = (id != null) ? id : -1;
		}
		return new Posting(balances, transferIds);
	}

	/** What {@link #post} did: balances by account id, transfer ids in order. */
	public record Posting(Map<Long, Long> balances, long[] transferIds) {
	}

	public Optional<ExistingTransfer> transferByKey(String brandId, String idempotencyKey) {
		return this.jdbc.sql("""
				select id, amount, debit_account_id, credit_account_id from ledger_transfers
				where brand_id = :brand and idempotency_key = :key
				""")
			.param("brand", brandId)
			.param("key", idempotencyKey)
			.query((rs, i) -> new ExistingTransfer(rs.getLong("id"), rs.getLong("amount")))
			.optional();
	}

	/** Sum of balances per account kind for one currency, for conservation checks. */
	public Map<AccountKind, Long> totalsByKind(String brandId, String currency) {
		Map<AccountKind, Long> totals = new HashMap<>();
		this.jdbc.sql("""
				select kind, coalesce(sum(balance), 0) as total from ledger_accounts
				where brand_id = :brand and currency = :currency group by kind
				""")
			.param("brand", brandId)
			.param("currency", currency)
			.query((rs, i) -> totals.put(AccountKind.fromDbName(rs.getString("kind")), rs.getLong("total")))
			.list();
		return totals;
	}

	public record ExistingTransfer(long id, long amount) {
	}

	private static Currency currency(ResultSet rs, int row) throws SQLException {
		return new Currency(rs.getString("brand_id"), rs.getString("code"),
				CurrencyKind.fromWireName(rs.getString("kind")).orElseThrow(), rs.getInt("decimals"));
	}

	private static AccountRow accountRow(ResultSet rs, int row) throws SQLException {
		AccountKey key = new AccountKey(rs.getString("brand_id"), rs.getString("currency"),
				AccountKind.fromDbName(rs.getString("kind")), rs.getLong("owner_id"));
		return new AccountRow(rs.getLong("id"), key, rs.getLong("balance"), rs.getBoolean("allow_negative"));
	}

	private static OffsetDateTime utc(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

	private record Columns(String[] brands, String[] currencies, String[] kinds, long[] owners) {

		static Columns of(Collection<AccountKey> keys) {
			List<AccountKey> list = new ArrayList<>(keys);
			int n = list.size();
			String[] brands = new String[n];
			String[] currencies = new String[n];
			String[] kinds = new String[n];
			long[] owners = new long[n];
			for (int i = 0; i < n; i++) {
				AccountKey key = list.get(i);
				brands[i] = key.brandId();
				currencies[i] = key.currency();
				kinds[i] = key.kindName();
				owners[i] = key.ownerId();
			}
			return new Columns(brands, currencies, kinds, owners);
		}

	}

}
