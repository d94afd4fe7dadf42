package bot.resonance.ledger.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import bot.resonance.ledger.AccountBalance;
import bot.resonance.ledger.AccountKey;
import bot.resonance.ledger.AccountKind;
import bot.resonance.ledger.Currency;
import bot.resonance.ledger.CurrencyKind;
import bot.resonance.ledger.Transfer;
import bot.resonance.ledger.TransferCode;
import bot.resonance.ledger.TransferPhase;
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
				insert into ledger_currencies (brand_id, code, kind, decimals, address, chain_id, created_at)
				values (:brand, :code, :kind, :decimals, :address, :chainId, :now)
				on conflict (brand_id, code) do nothing
				""")
			.param("brand", currency.brandId())
			.param("code", currency.code())
			.param("kind", currency.kind().wireName())
			.param("decimals", currency.decimals())
			.param("address", currency.address())
			.param("chainId", currency.chainId())
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
		return this.jdbc.sql(
				"select brand_id, code, kind, decimals, address, chain_id from ledger_currencies where brand_id = :brand order by code")
			.param("brand", brandId)
			.query(LedgerRepository::currency)
			.list();
	}

	/**
	 * Sets an on-chain currency's token address and chain; {@code false} if the brand has
	 * no such currency of kind onchain-currency.
	 */
	public boolean updateToken(String brandId, String code, @Nullable String address, @Nullable String chainId) {
		return this.jdbc.sql("""
				update ledger_currencies set address = :address, chain_id = :chainId
				where brand_id = :brand and code = :code and kind = 'onchain-currency'
				""")
			.param("brand", brandId)
			.param("code", code)
			.param("address", address)
			.param("chainId", chainId)
			.update() == 1;
	}

	public Optional<Currency> currency(String brandId, String code) {
		return this.jdbc.sql(
				"select brand_id, code, kind, decimals, address, chain_id from ledger_currencies where brand_id = :brand and code = :code")
			.param("brand", brandId)
			.param("code", code)
			.query(LedgerRepository::currency)
			.optional();
	}

	/**
	 * The ids of the given accounts, opening those of members that do not exist yet with
	 * a zero balance (other kinds are opened with their currency). Accounts that do not
	 * exist and are not member accounts are absent from the answer.
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
			.query((rs, row) -> ids.put(accountKey(rs), rs.getLong("id")))
			.list();
		if (ids.size() < keys.size()) {
			// Opened meanwhile by a transaction that committed while this statement ran.
			List<AccountKey> missing = keys.stream().filter((key) -> !ids.containsKey(key)).toList();
			accounts(missing, false).forEach((key, row) -> ids.put(key, row.id()));
		}
		return ids;
	}

	/**
	 * In one statement: locks the accounts {@code lock} (in id order) and reads them, as
	 * {@link #accounts accounts(lock, true)}, finds the ids of the member accounts
	 * {@code find}, and reserves an id for each of those that does not exist yet. A
	 * reserved account is opened by the first {@link #post posting} that moves it, with
	 * that posting's amounts as its first balance: one row written, where opening it
	 * first and then moving it would write it twice.
	 */
	public LockedAndFound lockAndFind(Collection<AccountKey> lock, Collection<AccountKey> find) {
		Map<AccountKey, AccountRow> locked = new HashMap<>();
		Map<AccountKey, Long> found = new HashMap<>();
		Map<AccountKey, Long> reserved = new HashMap<>();
		Columns finding = Columns.of(find);
		Columns locking = Columns.of(lock);
		this.jdbc
			.sql("""
					with input as (
					    select * from unnest(:fBrands::text[], :fCurrencies::text[], :fKinds::text[], :fOwners::bigint[])
					         as t(brand_id, currency, kind, owner_id)
					    where t.kind = 'member'
					), found as materialized (
					    select a.id, a.brand_id, a.currency, a.kind, a.owner_id
					    from input t
					    join ledger_accounts a
					      on a.brand_id = t.brand_id and a.currency = t.currency and a.kind = t.kind and a.owner_id = t.owner_id
					), locked as materialized (
					"""
					+ ACCOUNTS
					+ """
							    for update of a
							)
							select 'locked' as row_kind, id, brand_id, currency, kind, owner_id, balance, debits_pending,
							       credits_pending, allow_negative, merged_into
							from locked
							union all
							select 'found', id, brand_id, currency, kind, owner_id, null, null, null, null, null from found
							union all
							select 'reserved', nextval('ledger_accounts_id_seq'), t.brand_id, t.currency, t.kind, t.owner_id, null,
							       null, null, null, null
							from input t
							where not exists (select from found f where f.brand_id = t.brand_id and f.currency = t.currency
							                                        and f.kind = t.kind and f.owner_id = t.owner_id)
							""")
			.param("fBrands", finding.brands)
			.param("fCurrencies", finding.currencies)
			.param("fKinds", finding.kinds)
			.param("fOwners", finding.owners)
			.param("brands", locking.brands)
			.param("currencies", locking.currencies)
			.param("kinds", locking.kinds)
			.param("owners", locking.owners)
			.query((rs, row) -> switch (rs.getString("row_kind")) {
				case "locked" -> {
					AccountRow account = accountRow(rs, row);
					yield locked.put(account.key(), account);
				}
				case "found" -> found.put(accountKey(rs), rs.getLong("id"));
				default -> reserved.put(accountKey(rs), rs.getLong("id"));
			})
			.list();
		return new LockedAndFound(locked, found, reserved);
	}

	/**
	 * What {@link #lockAndFind} did.
	 *
	 * @param locked the accounts locked, read after their locks
	 * @param found the ids of the member accounts found
	 * @param reserved the ids reserved for the member accounts that do not exist yet
	 */
	public record LockedAndFound(Map<AccountKey, AccountRow> locked, Map<AccountKey, Long> found,
			Map<AccountKey, Long> reserved) {
	}

	/** What {@link #accountRow} reads of an account ({@code a}), and from where. */
	private static final String ACCOUNT_ROWS = """
			select a.id, a.brand_id, a.currency, a.kind, a.owner_id, a.balance, a.debits_pending, a.credits_pending,
			       a.allow_negative, a.merged_into
			from ledger_accounts a
			""";

	/**
	 * The accounts named by {@code :brands, :currencies, :kinds, :owners}, in id order
	 * (the order they are locked in, with {@code for update of a}).
	 */
	private static final String ACCOUNTS = ACCOUNT_ROWS + """
			join unnest(:brands::text[], :currencies::text[], :kinds::text[], :owners::bigint[])
			     as t(brand_id, currency, kind, owner_id)
			  on a.brand_id = t.brand_id and a.currency = t.currency and a.kind = t.kind and a.owner_id = t.owner_id
			order by a.id
			""";

	/**
	 * Up to {@link #FEW} accounts by their keys, each key a parameter of its own (unused
	 * places repeat the first key): a statement PostgreSQL plans once per connection.
	 * Over arrays, as {@link #ACCOUNTS}, it plans each call anew (for a short array it
	 * finds a plan for the actual values cheaper than its generic one): for the two
	 * accounts of a {@code /balance}, planning took four times as long as reading them.
	 * Rows are locked as the sort returns them, in id order.
	 */
	private static final String FEW_ACCOUNTS = ACCOUNT_ROWS + """
			where (a.brand_id, a.currency, a.kind, a.owner_id) in
			      ((:brand0, :currency0, :kind0, :owner0), (:brand1, :currency1, :kind1, :owner1),
			       (:brand2, :currency2, :kind2, :owner2))
			order by a.id
			""";

	/** The most accounts {@link #FEW_ACCOUNTS} reads. */
	private static final int FEW = 3;

	/** Reads accounts, locking them (in id order) when {@code lock} is set. */
	public Map<AccountKey, AccountRow> accounts(Collection<AccountKey> keys, boolean lock) {
		if (keys.isEmpty()) {
			return Map.of();
		}
		Map<AccountKey, AccountRow> rows = new HashMap<>();
		if (keys.size() <= FEW) {
			List<AccountKey> few = new ArrayList<>(keys);
			JdbcClient.StatementSpec statement = this.jdbc.sql(FEW_ACCOUNTS + (lock ? " for update of a" : ""));
			for (int i = 0; i < FEW; i++) {
				AccountKey key = few.get((i < few.size()) ? i : 0);
				statement = statement.param("brand" + i, key.brandId())
					.param("currency" + i, key.currency())
					.param("kind" + i, key.kindName())
					.param("owner" + i, key.ownerId());
			}
			statement.query(LedgerRepository::accountRow).list().forEach((row) -> rows.put(row.key(), row));
			return rows;
		}
		Columns columns = Columns.of(keys);
		String sql = ACCOUNTS + (lock ? " for update of a" : "");
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
	 * For each account id, the account its member's value went to in the end (following
	 * merges of merges); accounts never merged are absent.
	 */
	public Map<Long, AccountKey> lastSuccessors(String brandId, Collection<Long> accountIds) {
		Map<Long, AccountKey> found = new HashMap<>();
		this.jdbc.sql("""
				with recursive chain (start, id, merged_into, depth) as (
				    select a.id, a.id, a.merged_into, 0 from ledger_accounts a
				    where a.brand_id = :brand and a.id = any(:ids::bigint[]) and a.merged_into is not null
				    union all
				    select c.start, a.id, a.merged_into, c.depth + 1 from chain c
				    join ledger_accounts a on a.brand_id = :brand and a.id = c.merged_into
				    where c.depth < 1000
				)
				select c.start, a.brand_id, a.currency, a.kind, a.owner_id from chain c
				join ledger_accounts a on a.brand_id = :brand and a.id = c.id
				where c.merged_into is null
				""")
			.param("brand", brandId)
			.param("ids", accountIds.stream().mapToLong(Long::longValue).toArray())
			.query((rs, row) -> found.put(rs.getLong("start"), accountKey(rs)))
			.list();
		return found;
	}

	/**
	 * Records that the value of member accounts went to other accounts when their members
	 * merged ({@code absorbed} account id → survivor account id).
	 */
	public void markMerged(String brandId, Map<Long, Long> successors) {
		if (successors.isEmpty()) {
			return;
		}
		this.jdbc.sql("""
				update ledger_accounts a set merged_into = m.survivor
				from unnest(:absorbed::bigint[], :survivors::bigint[]) as m(absorbed, survivor)
				where a.brand_id = :brand and a.id = m.absorbed
				""")
			.param("brand", brandId)
			.param("absorbed", successors.keySet().stream().mapToLong(Long::longValue).toArray())
			.param("survivors", successors.values().stream().mapToLong(Long::longValue).toArray())
			.update();
	}

	/**
	 * Moves the balances and records the transfers in one statement. {@code deltas} maps
	 * account ids to what their balance, pending debits and pending credits gain
	 * (negative: lose), in the order the accounts are to be locked; a balance that would
	 * fall below the pending debits of an account that may not go negative violates
	 * {@code ledger_accounts_no_overdraft} and fails the statement. Pending transfers
	 * join the open ones ({@code ledger_pending_transfers}); those posted or voided leave
	 * them. Returns every account's balances after and the transfer ids in the order
	 * given.
	 *
	 * <p>
	 * The accounts a transfer names must exist in its brand: every one of them has a
	 * delta (perhaps zero), so the statement updates it, and the caller fails the posting
	 * unless it got a balance back for each delta. This is what keeps the transfers'
	 * account ids sound (there are no foreign keys to check them again row by row;
	 * accounts are never deleted).
	 */
	public Posting post(List<Delta> deltas, List<Opening> openings, List<Line> lines, Map<AccountKey, Long> accountIds,
			Instant now) {
		int m = deltas.size();
		String[] deltaBrands = new String[m];
		long[] deltaIds = new long[m];
		long[] balanceDeltas = new long[m];
		long[] debitsPending = new long[m];
		long[] creditsPending = new long[m];
		for (int i = 0; i < m; i++) {
			Delta delta = deltas.get(i);
			deltaBrands[i] = delta.brandId();
			deltaIds[i] = delta.accountId();
			balanceDeltas[i] = delta.balance();
			debitsPending[i] = delta.debitsPending();
			creditsPending[i] = delta.creditsPending();
		}
		int n = lines.size();
		String[] brands = new String[n];
		String[] keys = new String[n];
		String[] currencies = new String[n];
		long[] debits = new long[n];
		long[] credits = new long[n];
		long[] amounts = new long[n];
		String[] kinds = new String[n];
		String[] references = new String[n];
		String[] phases = new String[n];
		Long[] reverses = new Long[n];
		Long[] pendingIds = new Long[n];
		String[] expiries = new String[n];
		boolean opensPending = false;
		boolean resolvesPending = false;
		for (int i = 0; i < n; i++) {
			Line line = lines.get(i);
			brands[i] = line.debit().brandId();
			keys[i] = line.idempotencyKey();
			currencies[i] = line.debit().currency();
			debits[i] = accountIds.get(line.debit());
			credits[i] = accountIds.get(line.credit());
			amounts[i] = line.amount();
			kinds[i] = line.code().dbName();
			references[i] = line.reference();
			phases[i] = line.phase().dbName();
			reverses[i] = line.reverses();
			pendingIds[i] = line.pendingId();
			expiries[i] = (line.expiresAt() != null) ? line.expiresAt().toString() : null;
			opensPending |= line.phase() == TransferPhase.PENDING;
			resolvesPending |= line.pendingId() != null;
		}
		// The statements for pending transfers are left out of ordinary postings, which
		// are the hot path.
		String pendingStatements = (opensPending ? """
				, opened as (
				    insert into ledger_pending_transfers (brand_id, transfer_id, expires_at)
				    select brand_id, id, expires_at from recorded where phase = 'pending'
				)
				""" : "") + (resolvesPending ? """
				, resolved as (
				    delete from ledger_pending_transfers p using recorded r
				    where r.pending_id is not null and p.brand_id = r.brand_id and p.transfer_id = r.pending_id
				)
				""" : "");
		int o = openings.size();
		long[] openIds = new long[o];
		String[] openBrands = new String[o];
		String[] openCurrencies = new String[o];
		long[] openOwners = new long[o];
		long[] openBalances = new long[o];
		long[] openDebitsPending = new long[o];
		long[] openCreditsPending = new long[o];
		for (int i = 0; i < o; i++) {
			Opening opening = openings.get(i);
			openIds[i] = opening.reservedId();
			openBrands[i] = opening.key().brandId();
			openCurrencies[i] = opening.key().currency();
			openOwners[i] = opening.key().ownerId();
			openBalances[i] = opening.balance();
			openDebitsPending[i] = opening.debitsPending();
			openCreditsPending[i] = opening.creditsPending();
		}
		// Reserved member accounts are opened with their first amounts. One a concurrent
		// transaction opened meanwhile is moved instead, and the transfers name its id.
		String openStatements = (o == 0) ? ""
				: """
						, opened as (
						    insert into ledger_accounts as a
						        (id, brand_id, currency, kind, owner_id, balance, debits_pending, credits_pending, allow_negative,
						         created_at)
						    overriding system value
						    select n.id, n.brand_id, n.currency, 'member', n.owner_id, n.balance, n.debits_pending,
						           n.credits_pending, false, :now
						    from unnest(:openIds::bigint[], :openBrands::text[], :openCurrencies::text[], :openOwners::bigint[],
						                :openBalances::bigint[], :openDebitsPending::bigint[], :openCreditsPending::bigint[])
						         as n(id, brand_id, currency, owner_id, balance, debits_pending, credits_pending)
						    order by n.id
						    on conflict (brand_id, currency, kind, owner_id) do update
						    set balance = a.balance + excluded.balance, debits_pending = a.debits_pending + excluded.debits_pending,
						        credits_pending = a.credits_pending + excluded.credits_pending
						    returning a.id, a.brand_id, a.currency, a.owner_id, a.balance, a.debits_pending, a.credits_pending
						), reservations as (
						    select n.id as reserved, a.id, a.balance, a.debits_pending, a.credits_pending
						    from opened a
						    join unnest(:openIds::bigint[], :openBrands::text[], :openCurrencies::text[], :openOwners::bigint[])
						         as n(id, brand_id, currency, owner_id)
						      on n.brand_id = a.brand_id and n.currency = a.currency and n.owner_id = a.owner_id
						)
						""";
		String debitId = (o == 0) ? "t.debit" : """
				coalesce((select r.id from reservations r where r.reserved = t.debit), t.debit)""";
		String creditId = (o == 0) ? "t.credit" : """
				coalesce((select r.id from reservations r where r.reserved = t.credit), t.credit)""";
		Map<Long, AccountBalance> balances = new HashMap<>();
		Map<Long, Long> reassigned = new HashMap<>();
		Map<String, Long> idsByKey = new HashMap<>();
		this.jdbc
			.sql("""
					with moved as (
					    update ledger_accounts a
					    set balance = a.balance + d.balance, debits_pending = a.debits_pending + d.debits_pending,
					        credits_pending = a.credits_pending + d.credits_pending
					    from unnest(:deltaBrands::text[], :deltaIds::bigint[], :balances::bigint[], :debitsPending::bigint[],
					                :creditsPending::bigint[]) as d(brand_id, id, balance, debits_pending, credits_pending)
					    where a.brand_id = d.brand_id and a.id = d.id
					    returning a.id, a.balance, a.debits_pending, a.credits_pending
					)
					"""
					+ openStatements
					+ """
							, recorded as (
							    insert into ledger_transfers
							        (brand_id, idempotency_key, currency, debit_account_id, credit_account_id, amount, kind, reference,
							         phase, reverses_id, pending_id, expires_at, created_at)
							    select t.brand_id, t.idempotency_key, t.currency, """
					+ debitId + ", " + creditId
					+ """
							, t.amount, t.kind, t.reference, t.phase, t.reverses, t.pending, t.expires_at, :now
							    from unnest(:brands::text[], :keys::text[], :currencies::text[], :debits::bigint[], :credits::bigint[],
							                :amounts::bigint[], :kinds::text[], :references::text[], :phases::text[],
							                :reverses::bigint[], :pendingIds::bigint[], :expiries::text[]::timestamptz[])
							         with ordinality as t(brand_id, idempotency_key, currency, debit, credit, amount, kind, reference,
							                              phase, reverses, pending, expires_at, n)
							    order by t.n
							    returning id, brand_id, idempotency_key, phase, pending_id, expires_at
							)
							"""
					+ pendingStatements
					+ """
							select 'account' as row_kind, id, balance, debits_pending, credits_pending, null as brand_id,
							       null as idempotency_key, null::bigint as reserved
							from moved
							union all
							select 'transfer', id, null, null, null, brand_id, idempotency_key, null from recorded
							"""
					+ ((o == 0) ? "" : """
							union all
							select 'account', id, balance, debits_pending, credits_pending, null, null, reserved
							from reservations
							"""))
			.param("deltaBrands", deltaBrands)
			.param("deltaIds", deltaIds)
			.param("balances", balanceDeltas)
			.param("debitsPending", debitsPending)
			.param("creditsPending", creditsPending)
			.param("brands", brands)
			.param("keys", keys)
			.param("currencies", currencies)
			.param("debits", debits)
			.param("credits", credits)
			.param("amounts", amounts)
			.param("kinds", kinds)
			.param("references", references)
			.param("phases", phases)
			.param("reverses", reverses)
			.param("pendingIds", pendingIds)
			.param("expiries", expiries)
			.param("openIds", openIds)
			.param("openBrands", openBrands)
			.param("openCurrencies", openCurrencies)
			.param("openOwners", openOwners)
			.param("openBalances", openBalances)
			.param("openDebitsPending", openDebitsPending)
			.param("openCreditsPending", openCreditsPending)
			.param("now", utc(now))
			.query((rs, row) -> {
				if ("account".equals(rs.getString("row_kind"))) {
					long id = rs.getLong("id");
					balances.put(id, new AccountBalance(rs.getLong("balance"), rs.getLong("debits_pending"),
							rs.getLong("credits_pending")));
					long reserved = rs.getLong("reserved");
					if (!rs.wasNull() && reserved != id) {
						reassigned.put(reserved, id);
					}
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
		return new Posting(balances, reassigned, transferIds);
	}

	/**
	 * What an account gains (negative: loses) in a posting.
	 *
	 * @param balance to its balance
	 * @param debitsPending to what pending transfers reserve on it
	 * @param creditsPending to what pending transfers may credit to it
	 */
	public record Delta(String brandId, long accountId, long balance, long debitsPending, long creditsPending) {
	}

	/**
	 * A member account to open with its first amounts, under the id reserved for it
	 * ({@link #lockAndFind}).
	 */
	public record Opening(AccountKey key, long reservedId, long balance, long debitsPending, long creditsPending) {
	}

	/**
	 * What {@link #post} did: balances by account id, the ids of accounts to open that a
	 * concurrent transaction had opened (reserved id → the account's id), transfer ids in
	 * order.
	 */
	public record Posting(Map<Long, AccountBalance> balances, Map<Long, Long> reassigned, long[] transferIds) {
	}

	public Optional<ExistingTransfer> transferByKey(String brandId, String idempotencyKey) {
		return this.jdbc.sql("""
				select id, amount from ledger_transfers
				where brand_id = :brand and idempotency_key = :key
				""")
			.param("brand", brandId)
			.param("key", idempotencyKey)
			.query((rs, i) -> new ExistingTransfer(rs.getLong("id"), rs.getLong("amount")))
			.optional();
	}

	/**
	 * Locks a transfer against other reversals (and resolutions) until the transaction
	 * ends and reads it. Reversals of one transfer are serialized by this lock; read what
	 * they add up to with {@link #reversedSoFar} after taking it.
	 */
	public Optional<StoredTransfer> lockTransfer(String brandId, long transferId) {
		return this.jdbc.sql("""
				select t.*, d.kind as debit_kind, d.owner_id as debit_owner, c.kind as credit_kind,
				       c.owner_id as credit_owner
				from ledger_transfers t
				join ledger_accounts d on d.brand_id = t.brand_id and d.id = t.debit_account_id
				join ledger_accounts c on c.brand_id = t.brand_id and c.id = t.credit_account_id
				where t.brand_id = :brand and t.id = :id
				for no key update of t
				""").param("brand", brandId).param("id", transferId).query(LedgerRepository::storedTransfer).optional();
	}

	/**
	 * What the reversals of a transfer add up to, and the accounts a reversal of it may
	 * debit: the one it credited, and those that account's value went to in merges.
	 */
	public ReversalState reversalState(StoredTransfer transfer) {
		return this.jdbc.sql("""
				select (select coalesce(sum(amount), 0) from ledger_transfers
				        where brand_id = :brand and reverses_id = :id) as reversed,
				       array(with recursive successors (id) as (
				                 select :credit::bigint
				                 union
				                 select a.merged_into from ledger_accounts a join successors s on a.id = s.id
				                 where a.brand_id = :brand and a.merged_into is not null
				             ) select id from successors) as debitable
				""")
			.param("brand", transfer.brandId())
			.param("id", transfer.id())
			.param("credit", transfer.creditAccountId())
			.query((rs, row) -> {
				Set<Long> debitable = new HashSet<>();
				for (Long id : (Long[]) rs.getArray("debitable").getArray()) {
					debitable.add(id);
				}
				return new ReversalState(rs.getLong("reversed"), debitable);
			})
			.single();
	}

	/**
	 * What a transfer's reversals add up to, and the ids of the accounts a reversal of it
	 * may debit.
	 */
	public record ReversalState(long reversed, Set<Long> debitable) {
	}

	/**
	 * Locks an open pending transfer (one neither posted nor voided) until the
	 * transaction ends and reads it; empty if the transfer is not an open pending one
	 * (any more).
	 */
	public Optional<StoredTransfer> lockOpenPending(String brandId, long transferId) {
		return this.jdbc.sql("""
				select t.*, d.kind as debit_kind, d.owner_id as debit_owner, c.kind as credit_kind,
				       c.owner_id as credit_owner
				from ledger_pending_transfers p
				join ledger_transfers t on t.brand_id = p.brand_id and t.id = p.transfer_id
				join ledger_accounts d on d.brand_id = t.brand_id and d.id = t.debit_account_id
				join ledger_accounts c on c.brand_id = t.brand_id and c.id = t.credit_account_id
				where p.brand_id = :brand and p.transfer_id = :id
				for update of p
				""").param("brand", brandId).param("id", transferId).query(LedgerRepository::storedTransfer).optional();
	}

	/**
	 * Claims up to {@code limit} open pending transfers that expired at {@code now},
	 * oldest expiry first, skipping those another transaction holds, and reads them.
	 */
	public List<StoredTransfer> lockExpiredPending(Instant now, int limit) {
		return this.jdbc.sql("""
				with claimed as (
				    select p.brand_id, p.transfer_id from ledger_pending_transfers p
				    where p.expires_at <= :now
				    order by p.expires_at
				    limit :limit
				    for update skip locked
				)
				select t.*, d.kind as debit_kind, d.owner_id as debit_owner, c.kind as credit_kind,
				       c.owner_id as credit_owner
				from claimed p
				join ledger_transfers t on t.brand_id = p.brand_id and t.id = p.transfer_id
				join ledger_accounts d on d.brand_id = t.brand_id and d.id = t.debit_account_id
				join ledger_accounts c on c.brand_id = t.brand_id and c.id = t.credit_account_id
				order by t.brand_id, t.id
				""").param("now", utc(now)).param("limit", limit).query(LedgerRepository::storedTransfer).list();
	}

	/**
	 * A transfer as stored, by id or by idempotency key, with what later transfers did to
	 * it.
	 */
	public Optional<Transfer> transfer(String brandId, @Nullable Long transferId, @Nullable String idempotencyKey) {
		return this.jdbc.sql("""
				select t.*, d.kind as debit_kind, d.owner_id as debit_owner, c.kind as credit_kind,
				       c.owner_id as credit_owner,
				       (select coalesce(sum(r.amount), 0) from ledger_transfers r
				        where r.brand_id = t.brand_id and r.reverses_id = t.id) as reversed,
				       (select r.id from ledger_transfers r
				        where r.brand_id = t.brand_id and r.pending_id = t.id) as resolved_by
				from ledger_transfers t
				join ledger_accounts d on d.brand_id = t.brand_id and d.id = t.debit_account_id
				join ledger_accounts c on c.brand_id = t.brand_id and c.id = t.credit_account_id
				where t.brand_id = :brand and (t.id = :id::bigint or t.idempotency_key = :key::text)
				""")
			.param("brand", brandId)
			.param("id", transferId)
			.param("key", idempotencyKey)
			.query(LedgerRepository::transfer)
			.optional();
	}

	/**
	 * The transfers that debited or credited an account, newest first: those with an id
	 * below {@code before} if given, of the given codes ({@code kind}s as stored; all if
	 * empty), at most {@code limit}.
	 */
	public List<Transfer> transfersOf(AccountKey account, Collection<TransferCode> codes, @Nullable Long before,
			int limit) {
		return this.jdbc.sql("""
				select t.*, d.kind as debit_kind, d.owner_id as debit_owner, c.kind as credit_kind,
				       c.owner_id as credit_owner,
				       (select coalesce(sum(r.amount), 0) from ledger_transfers r
				        where r.brand_id = t.brand_id and r.reverses_id = t.id) as reversed,
				       (select r.id from ledger_transfers r
				        where r.brand_id = t.brand_id and r.pending_id = t.id) as resolved_by
				from ledger_accounts a
				join ledger_transfers t on t.brand_id = a.brand_id
				     and (t.debit_account_id = a.id or t.credit_account_id = a.id)
				join ledger_accounts d on d.brand_id = t.brand_id and d.id = t.debit_account_id
				join ledger_accounts c on c.brand_id = t.brand_id and c.id = t.credit_account_id
				where a.brand_id = :brand and a.currency = :currency and a.kind = :kind and a.owner_id = :owner
				  and (:before::bigint is null or t.id < :before::bigint)
				  and (cardinality(:codes::text[]) = 0 or t.kind = any(:codes::text[]))
				order by t.id desc
				limit :limit
				""")
			.param("brand", account.brandId())
			.param("currency", account.currency())
			.param("kind", account.kindName())
			.param("owner", account.ownerId())
			.param("before", before)
			.param("codes", codes.stream().map(TransferCode::dbName).toArray(String[]::new))
			.param("limit", limit)
			.query(LedgerRepository::transfer)
			.list();
	}

	private static Transfer transfer(ResultSet rs, int row) throws SQLException {
		StoredTransfer stored = storedTransfer(rs, row);
		return new Transfer(stored.id(), stored.code(), stored.phase(), stored.debit(), stored.credit(),
				stored.amount(), stored.reference(), stored.reverses(), stored.pendingId(), stored.expiresAt(),
				stored.createdAt(), rs.getLong("reversed"), rs.getObject("resolved_by", Long.class));
	}

	/**
	 * The fundings ({@code kind = 'funding'}) credited to these accounts, newest first:
	 * an operator's history of a brand's wallet. Written with the literal kind so that
	 * the small partial index of fundings serves it.
	 */
	public List<Transfer> fundingsInto(Collection<AccountKey> accounts, int limit) {
		if (accounts.isEmpty()) {
			return List.of();
		}
		Columns columns = Columns.of(accounts);
		return this.jdbc.sql("""
				select t.*, d.kind as debit_kind, d.owner_id as debit_owner, c.kind as credit_kind,
				       c.owner_id as credit_owner,
				       (select coalesce(sum(r.amount), 0) from ledger_transfers r
				        where r.brand_id = t.brand_id and r.reverses_id = t.id) as reversed
				from unnest(:brands::text[], :currencies::text[], :kinds::text[], :owners::bigint[])
				     as k(brand_id, currency, kind, owner_id)
				join ledger_accounts c
				  on c.brand_id = k.brand_id and c.currency = k.currency and c.kind = k.kind and c.owner_id = k.owner_id
				join ledger_transfers t
				  on t.brand_id = c.brand_id and t.credit_account_id = c.id and t.kind = 'funding'
				join ledger_accounts d on d.brand_id = t.brand_id and d.id = t.debit_account_id
				order by t.created_at desc, t.id desc
				limit :limit
				""")
			.param("brands", columns.brands)
			.param("currencies", columns.currencies)
			.param("kinds", columns.kinds)
			.param("owners", columns.owners)
			.param("limit", limit)
			.query((rs, row) -> {
				StoredTransfer stored = storedTransfer(rs, row);
				return new Transfer(stored.id(), stored.code(), stored.phase(), stored.debit(), stored.credit(),
						stored.amount(), stored.reference(), stored.reverses(), stored.pendingId(), stored.expiresAt(),
						stored.createdAt(), rs.getLong("reversed"), null);
			})
			.list();
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

	/** A transfer as stored, with its accounts' ids and keys. */
	public record StoredTransfer(long id, TransferCode code, TransferPhase phase, AccountKey debit, long debitAccountId,
			AccountKey credit, long creditAccountId, long amount, @Nullable String reference, @Nullable Long reverses,
			@Nullable Long pendingId, @Nullable Instant expiresAt, Instant createdAt) {

		public String brandId() {
			return this.debit.brandId();
		}

	}

	private static StoredTransfer storedTransfer(ResultSet rs, int row) throws SQLException {
		String brandId = rs.getString("brand_id");
		String currency = rs.getString("currency");
		OffsetDateTime expiresAt = rs.getObject("expires_at", OffsetDateTime.class);
		String kind = rs.getString("kind");
		return new StoredTransfer(rs.getLong("id"),
				TransferCode.fromDbName(kind)
					.orElseThrow(() -> new IllegalStateException("Unknown transfer code '" + kind + "'")),
				TransferPhase.fromDbName(rs.getString("phase")), new AccountKey(brandId, currency,
						AccountKind.fromDbName(rs.getString("debit_kind")), rs.getLong("debit_owner")),
				rs.getLong("debit_account_id"),
				new AccountKey(brandId, currency, AccountKind.fromDbName(rs.getString("credit_kind")),
						rs.getLong("credit_owner")),
				rs.getLong("credit_account_id"), rs.getLong("amount"), rs.getString("reference"),
				rs.getObject("reverses_id", Long.class), rs.getObject("pending_id", Long.class),
				(expiresAt != null) ? expiresAt.toInstant() : null,
				rs.getObject("created_at", OffsetDateTime.class).toInstant());
	}

	private static Currency currency(ResultSet rs, int row) throws SQLException {
		return new Currency(rs.getString("brand_id"), rs.getString("code"),
				CurrencyKind.fromWireName(rs.getString("kind")).orElseThrow(), rs.getInt("decimals"),
				rs.getString("address"), rs.getString("chain_id"));
	}

	private static AccountKey accountKey(ResultSet rs) throws SQLException {
		return new AccountKey(rs.getString("brand_id"), rs.getString("currency"),
				AccountKind.fromDbName(rs.getString("kind")), rs.getLong("owner_id"));
	}

	private static AccountRow accountRow(ResultSet rs, int row) throws SQLException {
		return new AccountRow(rs.getLong("id"), accountKey(rs), rs.getLong("balance"), rs.getLong("debits_pending"),
				rs.getLong("credits_pending"), rs.getBoolean("allow_negative"),
				rs.getObject("merged_into", Long.class));
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
