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

	/** Counts the members of a brand's rows of reward_member_activity, per period. */
	private static final String ACTIVE_MEMBERS = """
			insert into reward_active_members as c (brand_id, span, start, members)
			select brand_id, span, start, count(distinct member_id) from reward_member_activity where brand_id = %s
			group by 1, 2, 3
			on conflict (brand_id, span, start) do update set members = excluded.members""";

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
	 * Gives a brand a varied past for the analytics scenario: {@code events} events over the
	 * last {@code days} days (evenly spread, four event types; 80% awarded {@link Api#AMOUNT}
	 * each, 4% still pending, the rest refused in cooldown, over a disabled type or for a
	 * disabled member) from {@code members} members first seen over the same days, with the
	 * aggregate rows the server writes with each batch, computed here from those events
	 * and stored in the order the server would have created them.
	 * Only what the analytics read is loaded: no ledger transfers or rule state. Returns the
	 * seconds it took.
	 */
	double loadAnalytics(String brandId, long events, int members, int days) throws SQLException {
		long start = System.nanoTime();
		try (Connection connection = DriverManager.getConnection(this.url, this.credentials)) {
			connection.setAutoCommit(false);
			try (Statement statement = connection.createStatement()) {
				statement.execute("set local synchronous_commit = off");
				String brand = "'" + brandId + "'";
				statement.execute("""
						create temp table analytics_members on commit drop as
						select g as n, nextval(pg_get_serial_sequence('members', 'id')) as id,
						       nextval('people_id_seq') as person_id, (710000000000000000 + g)::text as discord,
						       now() - %d * interval '1 day' * (1 - g::float8 / %d) as created_at
						from generate_series(1, %d) g""".formatted(days, members, members));
				statement.execute("create index on analytics_members (n)");
				statement.execute("""
						insert into person_identities (kind, value, person_id, created_at)
						select 'discord', discord, person_id, created_at from analytics_members""");
				statement.execute("""
						insert into members (brand_id, id, person_id, status, created_at, updated_at)
						select %s, id, person_id, 'active', created_at, created_at from analytics_members""".formatted(brand));
				statement.execute("""
						insert into member_identities (brand_id, kind, value, member_id, created_at)
						select %s, 'discord', discord, id, created_at from analytics_members""".formatted(brand));
				// Event g is received (g / events) of the way back; its member is one of those
				// already seen by then, picked by a multiplicative hash.
				statement.execute("""
						insert into reward_events (brand_id, id, event_type, user_id, server_id, member_id, amount,
						                           amount_awarded, currency, outcome, error_code, error_message,
						                           pending_reason, process_after, metadata, source, received_at,
						                           processed_at)
						select %1$s, 'evt_01' || lpad(g::text, 24, '0'),
						       (array['custom_event', 'daily_checkin', 'message', 'quest'])[1 + g %% 4],
						       m.discord, '1', case when roll between 96 and 98 then null else m.id end, %2$d, case when roll < 80 then %2$d else 0 end, 'POINT',
						       case when roll < 80 then 'awarded' when roll < 84 then 'pending' else 'rejected' end,
						       case when roll < 84 then null when roll < 96 then 'COOLDOWN_ACTIVE'
						            when roll < 99 then 'EVENT_DISABLED' else 'USER_DISABLED' end,
						       case when roll >= 84 then 'refused' end,
						       case when roll between 80 and 83 then 'DAILY_LIMIT_REACHED' end,
						       case when roll between 80 and 83 then received + interval '1 day' end,
						       '{}', 'history', received, received
						from (
						    select g, (g * 7919) %% 100 as roll,
						           now() - %3$d * interval '1 day' * (1 - g::float8 / %4$d) as received,
						           1 + ((g * 2654435761) %% greatest(1, (g::numeric * %5$d / %4$d)::bigint)) as n
						    from generate_series(1::bigint, %4$d) g
						) e join analytics_members m on m.n = e.n
						""".formatted(brand, Api.AMOUNT, days, events, members));
				statement.execute("""
						insert into reward_stats_hourly (brand_id, hour, event_type, outcome, error_code, currency, events,
						                                 amount)
						select brand_id, date_trunc('hour', received_at, 'UTC'), event_type, outcome, coalesce(error_code, ''),
						       case when outcome = 'awarded' then currency else '' end, count(*), sum(amount_awarded)
						from reward_events where brand_id = %s
						group by 1, 2, 3, 4, 5, 6""".formatted(brand));
				statement.execute("""
						insert into reward_member_activity (brand_id, span, start, member_id, currency, events, awarded)
						select e.brand_id, p.span, p.start, e.member_id, e.currency, count(*), sum(e.amount_awarded)
						from (select brand_id, received_at, (received_at at time zone 'UTC')::date as day, member_id,
						             amount_awarded, case when outcome = 'awarded' then currency else '' end as currency
						      from reward_events where brand_id = %s and member_id is not null) e
						cross join lateral reward_periods(e.day) p
						where p.span = 'day' or p.start + case p.span when 'week' then 7 else 31 end < current_date
						group by 1, 2, 3, 4, 5
						order by min(e.received_at)""".formatted(brand));
				statement.execute(ACTIVE_MEMBERS.formatted(brand));
				// The weeks and months that ended are rolled up, as the server does an hour later.
				statement.execute("""
						insert into reward_rollups (brand_id, span, start, state, token, rolled_at)
						select distinct brand_id, span, start, 'ready', 0, now() from reward_member_activity
						where brand_id = %s and span <> 'day'""".formatted(brand));
			}
			connection.commit();
			connection.setAutoCommit(true);
			try (Statement statement = connection.createStatement()) {
				statement.execute("vacuum analyze reward_events, reward_stats_hourly, reward_member_activity, "
						+ "reward_active_members, reward_rollups, members");
			}
		}
		return (System.nanoTime() - start) / 1e9;
	}

	/**
	 * Milliseconds PostgreSQL takes to answer what the summary answers (counts by type,
	 * outcome and code, amounts, unique members) and what top-members answers, straight from
	 * {@code reward_events}, without the aggregates: the baseline of the analytics scenario.
	 * The median of three runs each.
	 */
	double[] bruteForceMillis(String brandId, int summaryDays, int topDays) throws SQLException {
		String summary = """
				select event_type, outcome, error_code, count(*), sum(amount_awarded),
				       (select count(distinct member_id) from reward_events
				        where brand_id = ? and received_at >= now() - ? * interval '1 day')
				from reward_events where brand_id = ? and received_at >= now() - ? * interval '1 day'
				group by 1, 2, 3""";
		String top = """
				select member_id, sum(amount_awarded), count(*) from reward_events
				where brand_id = ? and received_at >= now() - ? * interval '1 day' and member_id is not null
				group by member_id order by 2 desc, 3 desc, member_id limit 10""";
		try (Connection connection = DriverManager.getConnection(this.url, this.credentials)) {
			return new double[] { median(connection, summary, brandId, summaryDays, true),
					median(connection, top, brandId, topDays, false) };
		}
	}

	private static double median(Connection connection, String sql, String brandId, int days, boolean twice)
			throws SQLException {
		double[] runs = new double[3];
		for (int i = 0; i < runs.length; i++) {
			long start = System.nanoTime();
			try (PreparedStatement query = connection.prepareStatement(sql)) {
				int index = 1;
				for (int repeat = 0; repeat < (twice ? 2 : 1); repeat++) {
					query.setString(index++, brandId);
					query.setInt(index++, days);
				}
				try (ResultSet rows = query.executeQuery()) {
					while (rows.next()) {
						// read every row
					}
				}
			}
			runs[i] = (System.nanoTime() - start) / 1e6;
		}
		java.util.Arrays.sort(runs);
		return runs[1];
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
						       nextval('people_id_seq') as person_id, (700000000000000000 + g)::text as discord
						from generate_series(1, %d) g""".formatted(members));
				statement.execute("create index on history_members (n)");
				// Each member is a person of the network, as the server makes them on first sight.
				statement.execute("""
						insert into person_identities (kind, value, person_id, created_at)
						select 'discord', discord, person_id, %s from history_members""".formatted(at));
				statement.execute("""
						insert into members (brand_id, id, person_id, status, created_at, updated_at)
						select %s, id, person_id, 'active', %s, %s from history_members""".formatted(brand, at, at));
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
				// The analytics aggregates the server keeps with every batch.
				statement.execute("""
						insert into reward_stats_hourly (brand_id, hour, event_type, outcome, error_code, currency, events,
						                                 amount)
						select %s, date_trunc('hour', %s, 'UTC'), 'custom_event', 'awarded', '', 'POINT', count(*),
						       count(*) * %d
						from history_events""".formatted(brand, at, Api.AMOUNT));
				statement.execute("""
						insert into reward_member_activity (brand_id, span, start, member_id, currency, events, awarded)
						select %s, 'day', (%s at time zone 'UTC')::date, member_id, 'POINT', count(*), count(*) * %d
						from history_events group by member_id""".formatted(brand, at, Api.AMOUNT));
				statement.execute(ACTIVE_MEMBERS.formatted(brand));
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
