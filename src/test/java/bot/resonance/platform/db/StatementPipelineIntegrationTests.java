package bot.resonance.platform.db;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.SocketFactory;
import javax.sql.DataSource;

import bot.resonance.support.IntegrationTest;
import bot.resonance.support.IntegrationTestSupport;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Queries run together ({@link StatementPipeline}) travel to PostgreSQL in one round
 * trip, run in the order given, each seeing what the ones before it did, and fail as one
 * statement does. Round trips are counted on the connection's socket: each time the
 * driver writes after it has read is one.
 */
@IntegrationTest
class StatementPipelineIntegrationTests extends IntegrationTestSupport {

	private static final String COUNT = "select count(*) from pipelined";

	@Autowired
	DataSource dataSource;

	private Connection connection;

	private StatementPipeline pipeline;

	@BeforeEach
	void countedConnection() throws Exception {
		HikariDataSource pool = this.dataSource.unwrap(HikariDataSource.class);
		Properties properties = new Properties();
		properties.putAll(pool.getDataSourceProperties());
		properties.setProperty("user", pool.getUsername());
		if (pool.getPassword() != null) {
			properties.setProperty("password", pool.getPassword());
		}
		properties.setProperty("socketFactory", CountingSockets.class.getName());
		this.connection = DriverManager.getConnection(pool.getJdbcUrl(), properties);
		this.connection.setAutoCommit(false);
		try (Statement statement = this.connection.createStatement()) {
			statement.execute("create temporary table pipelined (n int primary key)");
		}
		this.pipeline = new StatementPipeline(new JdbcTemplate(new SingleConnectionDataSource(this.connection, true)));
	}

	@AfterEach
	void close() throws Exception {
		this.connection.rollback();
		this.connection.close();
	}

	@Test
	void queriesRunTogetherTakeOneRoundTripInOrder() {
		// The driver looks up the array type once per connection: not counted.
		this.pipeline.run(inserting(0), counting());

		PipelinedQuery<List<Integer>> insert = inserting(1, 2, 3);
		PipelinedQuery<Long> count = counting();
		PipelinedQuery<String> known = PipelinedQuery.known("no statement");
		int before = CountingSockets.ROUND_TRIPS.get();
		this.pipeline.run(insert, known, count);
		assertThat(CountingSockets.ROUND_TRIPS.get() - before).isOne();
		assertThat(insert.result()).containsExactly(1, 2, 3);
		assertThat(count.result()).as("the second sees the first's rows").isEqualTo(4);
		assertThat(known.result()).isEqualTo("no statement");

		PipelinedQuery<List<Integer>> alone = inserting(4);
		PipelinedQuery<Long> after = counting();
		before = CountingSockets.ROUND_TRIPS.get();
		this.pipeline.run(alone);
		this.pipeline.run(after);
		assertThat(CountingSockets.ROUND_TRIPS.get() - before).isEqualTo(2);
		assertThat(after.result()).isEqualTo(5);
	}

	@Test
	void whatIsMadeOfTheRowsRunsAfterAllWereReadAndMaySendStatements() {
		PipelinedQuery<Long> countThenInsert = PipelinedQuery.of(COUNT, Map.of(), (rs, row) -> rs.getLong(1),
				(rows) -> {
					this.pipeline.run(inserting(100));
					return rows.get(0);
				});
		PipelinedQuery<Long> count = counting();
		this.pipeline.run(countThenInsert, count);
		assertThat(countThenInsert.result()).isZero();
		assertThat(count.result()).isZero();
		PipelinedQuery<Long> later = counting();
		this.pipeline.run(later);
		assertThat(later.result()).isOne();
	}

	@Test
	void aFailingQueryStopsThoseAfterItAndIsTranslated() {
		this.pipeline.run(inserting(7));
		PipelinedQuery<List<Integer>> duplicate = inserting(7);
		PipelinedQuery<Long> count = counting();
		assertThatExceptionOfType(DataIntegrityViolationException.class)
			.isThrownBy(() -> this.pipeline.run(duplicate, count));
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(count::result);
	}

	@Test
	void aQueryThatReturnsNoRowsIsRefused() {
		PipelinedQuery<List<Object>> update = PipelinedQuery.of("update pipelined set n = n + 1", Map.of(),
				(rs, row) -> row, (rows) -> List.of());
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> this.pipeline.run(update))
			.withMessageContaining("returned no rows");
	}

	private static PipelinedQuery<List<Integer>> inserting(int... values) {
		return PipelinedQuery.of("insert into pipelined select unnest(:values::int[]) order by 1 returning n",
				Map.of("values", values), (rs, row) -> rs.getInt("n"), (rows) -> rows);
	}

	private static PipelinedQuery<Long> counting() {
		return PipelinedQuery.of(COUNT, Map.of(), (rs, row) -> rs.getLong(1), (rows) -> rows.get(0));
	}

	/**
	 * Sockets that count round trips: a write after a read starts one. (The driver's
	 * socket factory, named by class in the connection's properties.)
	 */
	public static class CountingSockets extends SocketFactory {

		static final AtomicInteger ROUND_TRIPS = new AtomicInteger();

		@Override
		public Socket createSocket() {
			return new CountingSocket();
		}

		@Override
		public Socket createSocket(String host, int port) throws IOException {
			Socket socket = createSocket();
			socket.connect(new InetSocketAddress(host, port));
			return socket;
		}

		@Override
		public Socket createSocket(String host, int port, InetAddress localHost, int localPort) {
			throw new UnsupportedOperationException();
		}

		@Override
		public Socket createSocket(InetAddress host, int port) {
			throw new UnsupportedOperationException();
		}

		@Override
		public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) {
			throw new UnsupportedOperationException();
		}

	}

	private static final class CountingSocket extends Socket {

		private volatile boolean read = true;

		@Override
		public OutputStream getOutputStream() throws IOException {
			return new FilterOutputStream(super.getOutputStream()) {
				@Override
				public void write(byte[] bytes, int offset, int length) throws IOException {
					wrote();
					this.out.write(bytes, offset, length);
				}

				@Override
				public void write(int b) throws IOException {
					wrote();
					this.out.write(b);
				}
			};
		}

		@Override
		public InputStream getInputStream() throws IOException {
			return new FilterInputStream(super.getInputStream()) {
				@Override
				public int read(byte[] bytes, int offset, int length) throws IOException {
					int n = this.in.read(bytes, offset, length);
					CountingSocket.this.read = true;
					return n;
				}

				@Override
				public int read() throws IOException {
					int b = this.in.read();
					CountingSocket.this.read = true;
					return b;
				}
			};
		}

		private void wrote() {
			if (this.read) {
				this.read = false;
				CountingSockets.ROUND_TRIPS.incrementAndGet();
			}
		}

	}

}
