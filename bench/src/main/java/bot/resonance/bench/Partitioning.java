package bot.resonance.bench;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether recorded events should live in a table partitioned by month: the same events
 * written to a stand-in of {@code reward_events} as it is (one table; its primary key
 * {@code (brand_id, id)}, the unique {@code (brand_id, idempotency_key)} that makes a
 * retried key never reward twice, the members' index) and to one partitioned by ranges of
 * the time-ordered id, a partition per month. PostgreSQL enforces a unique index across
 * partitions only if it holds the partition key, so there the idempotency keys need a
 * table of their own, written with each event and pruned with them. Measured: the rate of
 * writing events in batches (as the server does), the WAL per event, and then what
 * forgetting the oldest month costs each way — deleting it a slice at a time (what
 * Resonance's pruner does) and vacuuming, against dropping the month's partition and
 * deleting its keys.
 */
final class Partitioning {

	static final String DATABASE = "bench_partitioning";

	private static final String COLUMNS = "brand_id text not null, id text not null, idempotency_key text, "
			+ "member_id bigint, event_type text, outcome text not null, amount_awarded bigint, metadata jsonb, "
			+ "received_at timestamptz not null";

	private static final int BATCH = 50;

	private static final int CONNECTIONS = 2;

	private static final int SLICE = 5_000;

	private static final int BRANDS = 10;

	private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

	private final String adminUrl;

	private final String url;

	private final Properties credentials = new Properties();

	private final int months;

	private final int perMonth;

	Partitioning(String pgUrl, String user, String password, int months, int perMonth) {
		Matcher url = Pattern.compile("(jdbc:postgresql://[^/?]+)(/[^?]*)?(\\?.*)?").matcher(pgUrl);
		if (!url.matches()) {
			throw new IllegalArgumentException("--pg-url must look like jdbc:postgresql://host:port/database: " + pgUrl);
		}
		String query = (url.group(3) != null) ? url.group(3) : "";
		this.adminUrl = url.group(1) + "/postgres" + query;
		this.url = url.group(1) + "/" + DATABASE + query;
		this.credentials.setProperty("user", user);
		this.credentials.setProperty("password", password);
		this.months = months;
		this.perMonth = perMonth;
	}

	/** Runs the comparison and returns its lines for the report. */
	List<String> run() throws Exception {
		admin("DROP DATABASE IF EXISTS " + DATABASE);
		admin("CREATE DATABASE " + DATABASE);
		try {
			return compare();
		}
		finally {
			admin("DROP DATABASE IF EXISTS " + DATABASE);
		}
	}

	private List<String> compare() throws Exception {
		LocalDate first = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1).minusMonths(this.months);
		try (Connection connection = connect(); Statement statement = connection.createStatement()) {
			statement.execute("create table events_plain (" + COLUMNS + ", primary key (brand_id, id))");
			statement.execute("create unique index on events_plain (brand_id, idempotency_key)");
			statement.execute("create index on events_plain (brand_id, member_id, id)");
			statement.execute("create table events_monthly (" + COLUMNS + ", primary key (brand_id, id))"
					+ " partition by range (id)");
			for (int m = 0; m < this.months; m++) {
				statement.execute("create table events_m" + m + " partition of events_monthly for values from ('"
						+ lowestId(first.plusMonths(m)) + "') to ('" + lowestId(first.plusMonths(m + 1)) + "')");
			}
			statement.execute("create index on events_monthly (brand_id, member_id, id)");
			// The keys apart, found by key (replays) and by event (pruning).
			statement.execute("create table event_keys (brand_id text not null, idempotency_key text not null, "
					+ "event_id text not null, primary key (brand_id, idempotency_key))");
			statement.execute("create index on event_keys (brand_id, event_id)");
		}
		long total = (long) this.months * this.perMonth;
		Bench.log(String.format(Locale.ROOT, "partitioning: writing %,d events over %d months to each table", total,
				this.months));
		Write plain = write(first, false);
		Write monthly = write(first, true);
		List<String> lines = new ArrayList<>();
		lines.add(String.format(Locale.ROOT,
				"partitioning (recorded events by month; %,d events of %d brands over %d months, batches of %d on %d"
						+ " connections, the oldest month of %,d then forgotten):",
				total, BRANDS, this.months, BATCH, CONNECTIONS, this.perMonth));
		lines.add(String.format(Locale.ROOT,
				"  writing: one table %,.0f events/s, %,.0f WAL bytes/event; by month (with a table of keys) %,.0f"
						+ " events/s (%.2f×), %,.0f WAL bytes/event",
				plain.perSecond(), plain.walPerEvent(), monthly.perSecond(), monthly.perSecond() / plain.perSecond(),
				monthly.walPerEvent()));
		String bound = lowestId(first.plusMonths(1));
		Prune deleted = measure(() -> deleteInSlices("""
				delete from events_plain e where e.brand_id = ? and e.id in (
				    select id from events_plain where brand_id = ? and id < ? order by id limit ?)
				""", bound));
		Prune vacuumed = measure(() -> {
			update("vacuum events_plain");
			return 0;
		});
		Prune keys = measure(() -> deleteInSlices("""
				delete from event_keys k where k.brand_id = ? and k.idempotency_key in (
				    select idempotency_key from event_keys where brand_id = ? and event_id < ? limit ?)
				""", bound));
		Prune vacuumedKeys = measure(() -> {
			update("vacuum event_keys");
			return 0;
		});
		Prune dropped = measure(() -> {
			update("alter table events_monthly detach partition events_m0");
			update("drop table events_m0");
			return 0;
		});
		lines.add(String.format(Locale.ROOT,
				"  forgetting the oldest month, one table: %,d events deleted a slice of %,d at a time in %.1f s"
						+ " (%,.0f MB of WAL), then vacuumed in %.1f s (%,.0f MB of WAL)",
				deleted.rows(), SLICE, deleted.seconds(), deleted.walMegabytes(), vacuumed.seconds(),
				vacuumed.walMegabytes()));
		lines.add(String.format(Locale.ROOT,
				"  forgetting the oldest month, by month: its %,d keys deleted the same way in %.1f s (%,.0f MB of"
						+ " WAL) and vacuumed in %.1f s (%,.0f MB of WAL), its partition detached and dropped in %.2f s"
						+ " (%,.1f MB of WAL)",
				keys.rows(), keys.seconds(), keys.walMegabytes(), vacuumedKeys.seconds(), vacuumedKeys.walMegabytes(),
				dropped.seconds(), dropped.walMegabytes()));
		return lines;
	}

	/**
	 * Runs a delete of one brand's rows below {@code bound}, a slice at a time, for every
	 * brand until none is left (as Resonance's pruner does); returns the rows deleted.
	 */
	private long deleteInSlices(String sql, String bound) throws SQLException {
		long rows = 0;
		int slice;
		do {
			slice = 0;
			for (int b = 0; b < BRANDS; b++) {
				int n = update(sql, "b" + b, "b" + b, bound, SLICE);
				rows += n;
				slice = Math.max(slice, n);
			}
		}
		while (slice == SLICE);
		return rows;
	}

	/** Writes the events of every month, oldest first, into one of the tables. */
	private Write write(LocalDate first, boolean monthly) throws Exception {
		long walBefore = walPosition();
		AtomicLong next = new AtomicLong();
		long total = (long) this.months * this.perMonth;
		long start = System.nanoTime();
		List<Thread> threads = new ArrayList<>();
		List<Exception> failures = new ArrayList<>();
		for (int c = 0; c < CONNECTIONS; c++) {
			threads.add(Thread.ofPlatform().name("partitioning-" + c).start(() -> {
				SecureRandom random = new SecureRandom();
				try (Connection connection = connect()) {
					connection.setAutoCommit(false);
					PreparedStatement events = connection.prepareStatement("insert into "
							+ (monthly ? "events_monthly" : "events_plain")
							+ " select * from unnest(?::text[], ?::text[], ?::text[], ?::bigint[], ?::text[], ?::text[],"
							+ " ?::bigint[], ?::jsonb[], ?::timestamptz[])");
					PreparedStatement keys = connection.prepareStatement("insert into event_keys"
							+ " select * from unnest(?::text[], ?::text[], ?::text[])");
					while (true) {
						long from = next.getAndAdd(BATCH);
						if (from >= total) {
							return;
						}
						int n = (int) Math.min(BATCH, total - from);
						String[] brands = new String[n];
						String[] ids = new String[n];
						String[] idempotencyKeys = new String[n];
						Long[] members = new Long[n];
						String[] types = new String[n];
						String[] outcomes = new String[n];
						Long[] amounts = new Long[n];
						String[] metadata = new String[n];
						String[] received = new String[n];
						for (int i = 0; i < n; i++) {
							long k = from + i;
							// Evenly over the months, in order of time as events arrive.
							LocalDate month = first.plusMonths(k / this.perMonth);
							long monthStart = month.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
							long monthEnd = month.plusMonths(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
							long at = monthStart + (monthEnd - monthStart) * (k % this.perMonth) / this.perMonth;
							brands[i] = "b" + random.nextInt(BRANDS);
							ids[i] = id(at, random);
							idempotencyKeys[i] = "key-" + k;
							members[i] = (long) random.nextInt(100_000);
							types[i] = "custom_event";
							outcomes[i] = "awarded";
							amounts[i] = 5L;
							metadata[i] = "{}";
							received[i] = java.time.Instant.ofEpochMilli(at).toString();
						}
						events.setArray(1, connection.createArrayOf("text", brands));
						events.setArray(2, connection.createArrayOf("text", ids));
						events.setArray(3, connection.createArrayOf("text", idempotencyKeys));
						events.setArray(4, connection.createArrayOf("bigint", members));
						events.setArray(5, connection.createArrayOf("text", types));
						events.setArray(6, connection.createArrayOf("text", outcomes));
						events.setArray(7, connection.createArrayOf("bigint", amounts));
						events.setArray(8, connection.createArrayOf("text", metadata));
						events.setArray(9, connection.createArrayOf("text", received));
						events.executeUpdate();
						if (monthly) {
							keys.setArray(1, connection.createArrayOf("text", brands));
							keys.setArray(2, connection.createArrayOf("text", idempotencyKeys));
							keys.setArray(3, connection.createArrayOf("text", ids));
							keys.executeUpdate();
						}
						connection.commit();
					}
				}
				catch (Exception ex) {
					synchronized (failures) {
						failures.add(ex);
					}
				}
			}));
		}
		for (Thread thread : threads) {
			thread.join();
		}
		if (!failures.isEmpty()) {
			throw failures.get(0);
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		return new Write(total / seconds, (double) (walPosition() - walBefore) / total);
	}

	private Prune measure(SqlWork work) throws SQLException {
		long walBefore = walPosition();
		long start = System.nanoTime();
		long rows = work.run();
		return new Prune(rows, (System.nanoTime() - start) / 1e9, (walPosition() - walBefore) / 1e6);
	}

	private int update(String sql, Object... parameters) throws SQLException {
		try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
			for (int i = 0; i < parameters.length; i++) {
				statement.setObject(i + 1, parameters[i]);
			}
			return statement.executeUpdate();
		}
	}

	private long walPosition() throws SQLException {
		try (Connection connection = connect();
				Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery("select pg_current_wal_lsn() - '0/0'::pg_lsn")) {
			rows.next();
			return rows.getLong(1);
		}
	}

	private Connection connect() throws SQLException {
		return DriverManager.getConnection(this.url, this.credentials);
	}

	private void admin(String sql) throws SQLException {
		try (Connection connection = DriverManager.getConnection(this.adminUrl, this.credentials);
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

	/** The lowest event id of a time: {@code evt_}, the ULID's 48-bit time, zeros. */
	static String lowestId(LocalDate day) {
		return "evt_" + time(day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli()) + "0".repeat(16);
	}

	private static String id(long epochMillis, SecureRandom random) {
		char[] randomPart = new char[16];
		for (int i = 0; i < randomPart.length; i++) {
			randomPart[i] = CROCKFORD[random.nextInt(32)];
		}
		return "evt_" + time(epochMillis) + new String(randomPart);
	}

	/** A ULID's time: 48 bits of milliseconds as 10 Crockford base-32 digits. */
	private static String time(long epochMillis) {
		char[] digits = new char[10];
		long value = epochMillis;
		for (int i = 9; i >= 0; i--) {
			digits[i] = CROCKFORD[(int) (value & 31)];
			value >>>= 5;
		}
		return new String(digits);
	}

	private interface SqlWork {

		long run() throws SQLException;

	}

	private record Write(double perSecond, double walPerEvent) {
	}

	private record Prune(long rows, double seconds, double walMegabytes) {
	}

}
