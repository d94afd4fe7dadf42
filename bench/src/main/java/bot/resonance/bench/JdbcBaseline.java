package bot.resonance.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.HdrHistogram.Histogram;

/**
 * What PostgreSQL alone does with the writes of one award, over JDBC, on stand-in tables
 * in a separate database {@code bench} of the same server: upsert a per-member counter,
 * debit the one hot brand wallet row, credit the member's account, insert a transfer and
 * an event. Either one transaction per award ("naive") or many awards per transaction
 * ("batched"), from many connections at once. The upper and lower bound that group
 * commit in the server sits between.
 */
final class JdbcBaseline {

	static final String DATABASE = "bench";

	private static final String COUNTER = "INSERT INTO counters VALUES ('b1', ?, 'custom_event', current_date, 1, now()) "
			+ "ON CONFLICT (brand, member, type, day) DO UPDATE SET n = counters.n + 1, last_at = now() RETURNING n";

	private static final String DEBIT = "UPDATE accounts SET balance = balance - ? WHERE id = 0 AND balance >= ?";

	private static final String CREDIT = "UPDATE accounts SET balance = balance + ? WHERE id = ? RETURNING balance";

	private static final String TRANSFER = "INSERT INTO transfers(debit, credit, amount, idem) VALUES (0, ?, ?, ?)";

	private static final String EVENT = "INSERT INTO events VALUES (?, 'b1', ?, 'custom_event', ?, '{\"a\":1}'::jsonb, 'awarded', now())";

	// The batched baseline sends each statement for all the awards of a transaction as one
	// JDBC batch (pipelined: one round trip per statement kind, not per statement), so
	// the same statements without RETURNING, whose values a batch cannot return.

	private static final String COUNTER_BATCH = COUNTER.substring(0, COUNTER.indexOf(" RETURNING"));

	private static final String CREDIT_BATCH = CREDIT.substring(0, CREDIT.indexOf(" RETURNING"));

	/** The first thing a batched transaction does: take the hot wallet row, as the server locks the brand first. */
	private static final String LOCK_WALLET = "SELECT balance FROM accounts WHERE id = 0 FOR UPDATE";

	private final String adminUrl;

	private final String benchUrl;

	private final Properties credentials = new Properties();

	private final int members;

	JdbcBaseline(String pgUrl, String user, String password, int members) {
		Matcher url = Pattern.compile("(jdbc:postgresql://[^/?]+)(/[^?]*)?(\\?.*)?").matcher(pgUrl);
		if (!url.matches()) {
			throw new IllegalArgumentException("--pg-url must look like jdbc:postgresql://host:port/database: " + pgUrl);
		}
		String database = (url.group(2) == null || url.group(2).length() <= 1) ? "/postgres" : url.group(2);
		String query = (url.group(3) != null) ? url.group(3) : "";
		this.adminUrl = url.group(1) + database + query;
		this.benchUrl = url.group(1) + "/" + DATABASE + query;
		this.credentials.setProperty("user", user);
		this.credentials.setProperty("password", password);
		this.members = members;
	}

	/** (Re)creates the bench database with its stand-in tables. */
	void createSchema() throws SQLException {
		try (Connection connection = DriverManager.getConnection(this.adminUrl, this.credentials);
				Statement statement = connection.createStatement()) {
			statement.execute("DROP DATABASE IF EXISTS " + DATABASE);
			statement.execute("CREATE DATABASE " + DATABASE);
		}
		try (Connection connection = DriverManager.getConnection(this.benchUrl, this.credentials);
				Statement statement = connection.createStatement()) {
			statement.execute("create table accounts(id bigint primary key, balance bigint not null)");
			statement.execute("create table transfers(id bigserial primary key, debit bigint not null, "
					+ "credit bigint not null, amount bigint not null, idem text not null unique, "
					+ "created_at timestamptz not null default now())");
			statement.execute("create table events(id text primary key, brand text not null, member text not null, "
					+ "type text not null, amount bigint, metadata jsonb, outcome text not null, "
					+ "created_at timestamptz not null default now())");
			statement.execute("create table counters(brand text, member text, type text, day date, "
					+ "n int not null, last_at timestamptz not null, primary key (brand, member, type, day))");
			statement.execute("insert into accounts select 0, " + Api.FUNDING);
			statement.execute("insert into accounts select g, 0 from generate_series(1, " + this.members + ") g");
			statement.execute("vacuum analyze");
		}
	}

	/** Drops the bench database. */
	void dropSchema() {
		try (Connection connection = DriverManager.getConnection(this.adminUrl, this.credentials);
				Statement statement = connection.createStatement()) {
			statement.execute("DROP DATABASE IF EXISTS " + DATABASE);
		}
		catch (SQLException ex) {
			System.err.println("Could not drop the " + DATABASE + " database: " + ex.getMessage());
		}
	}

	/** Asks PostgreSQL for a checkpoint, so no scenario pays for an earlier one's writes. */
	void checkpoint() {
		try (Connection connection = DriverManager.getConnection(this.adminUrl, this.credentials);
				Statement statement = connection.createStatement()) {
			statement.execute("CHECKPOINT");
		}
		catch (SQLException ex) {
			System.err.println("CHECKPOINT failed (not a superuser?): " + ex.getMessage());
		}
	}

	/**
	 * Transactions committed so far in all of PostgreSQL's databases (as its statistics
	 * have them: flushed about once a second), or -1.
	 */
	long commits() {
		try (Connection connection = DriverManager.getConnection(this.adminUrl, this.credentials);
				Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery("select sum(xact_commit) from pg_stat_database")) {
			rows.next();
			return rows.getLong(1);
		}
		catch (SQLException ex) {
			return -1;
		}
	}

	/** How many more connections PostgreSQL accepts now, keeping a few for others. */
	int connectionsAvailable() throws SQLException {
		try (Connection connection = DriverManager.getConnection(this.adminUrl, this.credentials);
				Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery("select current_setting('max_connections')::int "
						+ "- current_setting('superuser_reserved_connections')::int "
						+ "- (select count(*) from pg_stat_activity where backend_type = 'client backend')")) {
			rows.next();
			return rows.getInt(1) - 5;
		}
	}

	/** Runs one baseline; {@code perTransaction} awards per transaction. */
	Result run(String name, String description, int concurrency, int perTransaction, long warmupNanos,
			long durationNanos, Cpu cpu, Thread.Builder threadBuilder) throws Exception {
		int connections = Math.max(1, Math.min(concurrency, connectionsAvailable()));
		List<Worker> workers = new ArrayList<>();
		for (int i = 0; i < connections; i++) {
			workers.add(new Worker(name.hashCode() * 1000L + i, perTransaction));
		}
		for (Worker worker : workers) {
			worker.open();
		}
		long start = System.nanoTime();
		long measureStart = start + warmupNanos;
		long measureEnd = measureStart + durationNanos;
		List<Thread> threads = new ArrayList<>();
		for (Worker worker : workers) {
			worker.measureStart = measureStart;
			worker.measureEnd = measureEnd;
			threads.add(threadBuilder.name(name + "-" + threads.size()).start(worker));
		}
		Cpu.Sample[] samples = Bench.sampleWindow(cpu, measureStart, measureEnd);
		for (Thread thread : threads) {
			thread.join();
		}
		Histogram latency = new Histogram(120_000_000L, 3);
		long awards = 0;
		Map<String, Long> others = new HashMap<>();
		for (Worker worker : workers) {
			latency.add(worker.latencyMicros);
			awards += worker.awards;
			worker.errors.forEach((key, count) -> others.merge(key, count[0], Long::sum));
			worker.close();
		}
		Result result = new Result(name, description, connections, durationNanos / 1e9, awards, latency,
				cpu.between(samples[0], samples[1]));
		result.others.putAll(others);
		if (connections < concurrency) {
			result.notes.add(name + ": only " + connections + " connections (PostgreSQL's max_connections), not "
					+ concurrency + ".");
		}
		return result;
	}

	/** One connection running transactions back to back. */
	private final class Worker implements Runnable {

		private final long id;

		private final int perTransaction;

		private final int[] batchMembers;

		private Connection connection;

		private PreparedStatement lock;

		private PreparedStatement counter;

		private PreparedStatement debit;

		private PreparedStatement credit;

		private PreparedStatement transfer;

		private PreparedStatement event;

		private long sequence;

		volatile long measureStart;

		volatile long measureEnd;

		final Histogram latencyMicros = new Histogram(120_000_000L, 3);

		final Map<String, long[]> errors = new HashMap<>();

		long awards;

		Worker(long id, int perTransaction) {
			this.id = id;
			this.perTransaction = perTransaction;
			this.batchMembers = new int[perTransaction];
		}

		void open() throws SQLException {
			this.connection = DriverManager.getConnection(JdbcBaseline.this.benchUrl, JdbcBaseline.this.credentials);
			this.connection.setAutoCommit(false);
			boolean batched = this.perTransaction > 1;
			this.lock = this.connection.prepareStatement(LOCK_WALLET);
			this.counter = this.connection.prepareStatement(batched ? COUNTER_BATCH : COUNTER);
			this.debit = this.connection.prepareStatement(DEBIT);
			this.credit = this.connection.prepareStatement(batched ? CREDIT_BATCH : CREDIT);
			this.transfer = this.connection.prepareStatement(TRANSFER);
			this.event = this.connection.prepareStatement(EVENT);
		}

		void close() {
			try {
				this.connection.close();
			}
			catch (SQLException ignored) {
				// done anyway
			}
		}

		@Override
		public void run() {
			ThreadLocalRandom random = ThreadLocalRandom.current();
			while (true) {
				long start = System.nanoTime();
				if (start >= this.measureEnd) {
					return;
				}
				for (int i = 0; i < this.perTransaction; i++) {
					this.batchMembers[i] = 1 + random.nextInt(JdbcBaseline.this.members);
				}
				String error = null;
				// A deadlock or serialization failure is retried, as the server would.
				for (int attempt = 1; attempt <= 5; attempt++) {
					try {
						transaction();
						error = null;
						break;
					}
					catch (SQLException ex) {
						rollbackQuietly();
						error = "SQL " + ex.getSQLState();
						boolean retry = "40P01".equals(ex.getSQLState()) || "40001".equals(ex.getSQLState());
						long now = System.nanoTime();
						if (now >= this.measureStart && now < this.measureEnd) {
							this.errors.computeIfAbsent(error + (retry ? " (retried)" : ""), (k) -> new long[1])[0]++;
						}
						if (!retry) {
							break;
						}
					}
				}
				long end = System.nanoTime();
				if (end >= this.measureStart && end < this.measureEnd) {
					this.latencyMicros.recordValue(Math.max(1, (end - start) / 1000));
					if (error == null) {
						this.awards += this.perTransaction;
					}
				}
				if (error != null) {
					try {
						if (this.connection.isClosed() || !this.connection.isValid(5)) {
							close();
							open();
						}
					}
					catch (SQLException ex) {
						Bench.sleep(100);
					}
				}
			}
		}

		private void transaction() throws SQLException {
			if (this.perTransaction > 1) {
				batch();
			}
			else {
				award(this.batchMembers[0]);
			}
			this.connection.commit();
		}

		/** The awards of {@link #batchMembers}, each statement kind as one pipelined batch. */
		private void batch() throws SQLException {
			try (ResultSet rows = this.lock.executeQuery()) {
				rows.next();
			}
			long first = this.sequence + 1;
			this.sequence += this.perTransaction;
			for (int member : this.batchMembers) {
				this.counter.setString(1, Integer.toString(member));
				this.counter.addBatch();
				this.debit.setLong(1, Api.AMOUNT);
				this.debit.setLong(2, Api.AMOUNT);
				this.debit.addBatch();
				this.credit.setLong(1, Api.AMOUNT);
				this.credit.setLong(2, member);
				this.credit.addBatch();
			}
			this.counter.executeBatch();
			for (int updated : this.debit.executeBatch()) {
				if (updated != 1) {
					throw new SQLException("insufficient balance", "BENCH");
				}
			}
			this.credit.executeBatch();
			for (int i = 0; i < this.perTransaction; i++) {
				int member = this.batchMembers[i];
				this.transfer.setLong(1, member);
				this.transfer.setLong(2, Api.AMOUNT);
				this.transfer.setString(3, "idem-" + this.id + "-" + (first + i));
				this.transfer.addBatch();
				this.event.setString(1, "evt-" + this.id + "-" + (first + i));
				this.event.setString(2, Integer.toString(member));
				this.event.setLong(3, Api.AMOUNT);
				this.event.addBatch();
			}
			this.transfer.executeBatch();
			this.event.executeBatch();
		}

		private void award(int member) throws SQLException {
			String memberText = Integer.toString(member);
			long n = ++this.sequence;
			this.counter.setString(1, memberText);
			try (ResultSet rows = this.counter.executeQuery()) {
				rows.next();
			}
			this.debit.setLong(1, Api.AMOUNT);
			this.debit.setLong(2, Api.AMOUNT);
			if (this.debit.executeUpdate() != 1) {
				throw new SQLException("insufficient balance", "BENCH");
			}
			this.credit.setLong(1, Api.AMOUNT);
			this.credit.setLong(2, member);
			try (ResultSet rows = this.credit.executeQuery()) {
				rows.next();
			}
			this.transfer.setLong(1, member);
			this.transfer.setLong(2, Api.AMOUNT);
			this.transfer.setString(3, "idem-" + this.id + "-" + n);
			this.transfer.executeUpdate();
			this.event.setString(1, "evt-" + this.id + "-" + n);
			this.event.setString(2, memberText);
			this.event.setLong(3, Api.AMOUNT);
			this.event.executeUpdate();
		}

		private void rollbackQuietly() {
			try {
				for (PreparedStatement statement : List.of(this.counter, this.debit, this.credit, this.transfer,
						this.event)) {
					statement.clearBatch();
				}
				this.connection.rollback();
			}
			catch (SQLException ignored) {
				// the connection is checked next
			}
		}

	}

}
