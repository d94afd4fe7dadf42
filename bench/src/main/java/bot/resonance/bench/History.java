package bot.resonance.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gives a brand a long past: loads rewarded events straight into the server's database
 * ({@code resonance}), as the server would have written them — members with their Discord
 * identities and accounts, balanced ledger transfers from the brand's wallet, event records,
 * rule state — so the same workload can be measured with and without a large history. This
 * is the one part of the benchmark that knows the server's schema.
 */
final class History {

	private final String url;

	private final Properties credentials = new Properties();

	History(String pgUrl, String user, String password) {
		Matcher url = Pattern.compile("(jdbc:postgresql://[^/?]+)(/[^?]*)?(\\?.*)?").matcher(pgUrl);
		if (!url.matches()) {
			throw new IllegalArgumentException("--pg-url must look like jdbc:postgresql://host:port/database: " + pgUrl);
		}
		this.url = url.group(1) + "/resonance" + ((url.group(3) != null) ? url.group(3) : "");
		this.credentials.setProperty("user", user);
		this.credentials.setProperty("password", password);
	}

	/**
	 * Loads {@code events} awards of {@link Api#AMOUNT} each for {@code brandId}, spread over
	 * {@code members} members no scenario uses, dated yesterday. Returns the seconds it took.
	 */
	double load(String brandId, long events, int members) throws SQLException {
		long start = System.nanoTime();
		try (Connection connection = DriverManager.getConnection(this.url, this.credentials)) {
			connection.setAutoCommit(false);
			try (Statement statement = connection.createStatement()) {
				statement.execute("set local synchronous_commit = off");
				long wallet;
				try (PreparedStatement query = connection.prepareStatement(
						"select id from ledger_accounts where brand_id = ? and kind = 'brand_wallet'")) {
					query.setString(1, brandId);
					try (ResultSet rows = query.executeQuery()) {
						rows.next();
						wallet = rows.getLong(1);
					}
				}
				String brand = "'" + brandId + "'";
				String at = "(now() - interval '1 day')";
				// Member ids from the server's own sequence; Discord ids outside the generator's range.
				statement.execute("""
						create temp table history_members on commit drop as
						select g as n, nextval(pg_get_serial_sequence('members', 'id')) as id,
						       (700000000000000000 + g)::text as discord
						from generate_series(1, %d) g""".formatted(members));
				statement.execute("create index on history_members (n)");
				statement.execute("""
						insert into members (brand_id, id, status, created_at, updated_at)
						select %s, id, 'active', %s, %s from history_members""".formatted(brand, at, at));
				statement.execute("""
						insert into member_identities (brand_id, kind, value, member_id, created_at)
						select %s, 'discord', discord, id, %s from history_members""".formatted(brand, at));
				statement.execute("""
						insert into ledger_accounts (brand_id, currency, kind, owner_id, balance, allow_negative, created_at)
						select %s, 'POINT', 'member', id, 0, false, %s from history_members""".formatted(brand, at));
				statement.execute("""
						create temp table history_events on commit drop as
						select 'evt_00' || lpad(g::text, 24, '0') as id, m.id as member_id, m.discord, a.id as account
						from generate_series(1, %d) g
						join history_members m on m.n = g %% %d + 1
						join ledger_accounts a on a.brand_id = %s and a.currency = 'POINT' and a.kind = 'member'
						                       and a.owner_id = m.id""".formatted(events, members, brand));
				statement.execute("""
						insert into ledger_transfers (brand_id, idempotency_key, currency, debit_account_id,
						                              credit_account_id, amount, kind, reference, created_at)
						select %s, 'award:' || id, 'POINT', %d, account, %d, 'award', id, %s
						from history_events order by id""".formatted(brand, wallet, Api.AMOUNT, at));
				statement.execute("""
						insert into reward_events (brand_id, id, event_type, user_id, server_id, member_id, amount,
						                           amount_awarded, balance_after, currency, outcome, metadata, source,
						                           received_at, processed_at)
						select %s, id, 'custom_event', discord, '1', member_id, %d, %d, null, 'POINT', 'awarded', '{}',
						       'history', %s, %s
						from history_events order by id""".formatted(brand, Api.AMOUNT, Api.AMOUNT, at, at));
				statement.execute("""
						update ledger_accounts a set balance = a.balance + e.total
						from (select account, sum(%d)::bigint as total from history_events group by account) e
						where a.brand_id = %s and a.id = e.account""".formatted(Api.AMOUNT, brand));
				statement.execute("update ledger_accounts set balance = balance - %d where brand_id = %s and id = %d"
					.formatted(Api.AMOUNT * events, brand, wallet));
				statement.execute("""
						insert into reward_member_type_state (brand_id, member_id, event_type, last_awarded_at, day,
						                                      day_count)
						select %s, member_id, 'custom_event', %s, %s::date, count(*)
						from history_events group by member_id""".formatted(brand, at, at));
			}
			connection.commit();
			connection.setAutoCommit(true);
			try (Statement statement = connection.createStatement()) {
				statement.execute("analyze");
			}
		}
		return (System.nanoTime() - start) / 1e9;
	}

}
