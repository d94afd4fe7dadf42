package bot.resonance.platform.db;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.SqlTypeValue;
import org.springframework.jdbc.core.StatementCreatorUtils;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterUtils;
import org.springframework.jdbc.core.namedparam.ParsedSql;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.stereotype.Component;
import org.springframework.util.ConcurrentLruCache;

/**
 * Sends several queries in one round trip: the PostgreSQL driver sends the statements of
 * one multi-statement prepared statement together and waits for their answers once. They
 * run one after the other, in the order given, in the caller's transaction (or, without
 * one, in a transaction of their own), each with a snapshot of its own as if sent alone:
 * what one changes or locks, the next sees. Independent queries a batch needs at the same
 * point then cost one wait for the database instead of one each.
 *
 * <p>
 * If one fails, those after it are not run (the transaction is aborted); the failure is
 * translated as every other statement's is.
 */
@Component
public class StatementPipeline {

	private final JdbcTemplate jdbc;

	/** The SQL of the queries, parsed for their named parameters. */
	private final ConcurrentLruCache<String, ParsedSql> parsed = new ConcurrentLruCache<>(256,
			NamedParameterUtils::parseSqlStatement);

	StatementPipeline(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Runs the queries that still have a statement to send, in one round trip, then makes
	 * each one's result, in order.
	 */
	public void run(PipelinedQuery<?>... queries) {
		List<PipelinedQuery<?>> pending = new ArrayList<>();
		for (PipelinedQuery<?> query : queries) {
			if (query.pending()) {
				pending.add(query);
			}
		}
		if (pending.isEmpty()) {
			return;
		}
		StringBuilder sql = new StringBuilder();
		List<Object> values = new ArrayList<>();
		for (PipelinedQuery<?> query : pending) {
			ParsedSql parsed = this.parsed.get(query.sql());
			MapSqlParameterSource source = new MapSqlParameterSource(query.parameters());
			if (!sql.isEmpty()) {
				sql.append(";\n");
			}
			sql.append(NamedParameterUtils.substituteNamedParameters(parsed, source));
			values.addAll(List.of(NamedParameterUtils.buildValueArray(parsed, source, null)));
		}
		List<List<?>> rows = this.jdbc.execute((ConnectionCallback<List<List<?>>>) (connection) -> {
			try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
				for (int i = 0; i < values.size(); i++) {
					StatementCreatorUtils.setParameterValue(statement, i + 1, SqlTypeValue.TYPE_UNKNOWN, values.get(i));
				}
				return read(statement, pending);
			}
		});
		for (int i = 0; i < pending.size(); i++) {
			pending.get(i).finish(rows.get(i));
		}
	}

	private static List<List<?>> read(PreparedStatement statement, List<PipelinedQuery<?>> queries)
			throws SQLException {
		List<List<?>> all = new ArrayList<>();
		boolean isResultSet = statement.execute();
		for (PipelinedQuery<?> query : queries) {
			while (!isResultSet) {
				if (statement.getUpdateCount() == -1) {
					throw new IllegalStateException("A pipelined query returned no rows: " + query.sql());
				}
				isResultSet = statement.getMoreResults();
			}
			List<Object> rows = new ArrayList<>();
			ResultSet resultSet = statement.getResultSet();
			try {
				int row = 0;
				while (resultSet.next()) {
					rows.add(query.rows().mapRow(resultSet, row++));
				}
			}
			finally {
				JdbcUtils.closeResultSet(resultSet);
			}
			all.add(rows);
			isResultSet = statement.getMoreResults();
		}
		return all;
	}

}
