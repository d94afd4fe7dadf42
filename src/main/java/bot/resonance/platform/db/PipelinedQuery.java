package bot.resonance.platform.db;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.RowMapper;

/**
 * A query that can be sent to the database together with others, in one round trip
 * ({@link StatementPipeline}): its SQL with named parameters, how its rows are read, and
 * what is made of them. The modules that own the SQL build these; a caller that needs
 * several of them at one point of its transaction sends them together.
 *
 * <p>
 * What is made of the rows runs once every query of the round trip was read, in the order
 * the queries were given, and may send statements of its own (a rare follow-up, such as
 * reading a row another transaction created meanwhile).
 *
 * @param <T> what the query produces
 */
public final class PipelinedQuery<T> {

	private final @Nullable String sql;

	private final Map<String, ?> parameters;

	private final @Nullable RowMapper<?> rows;

	private final @Nullable Function<List<?>, T> then;

	private @Nullable T result;

	private boolean done;

	private PipelinedQuery(@Nullable String sql, Map<String, ?> parameters, @Nullable RowMapper<?> rows,
			@Nullable Function<List<?>, T> then) {
		this.sql = sql;
		this.parameters = parameters;
		this.rows = rows;
		this.then = then;
	}

	/**
	 * A query of {@code sql}, with {@code parameters} for its named parameters, whose
	 * rows are read with {@code rows} and whose result is {@code then} applied to them.
	 */
	@SuppressWarnings("unchecked")
	public static <R, T> PipelinedQuery<T> of(String sql, Map<String, ?> parameters, RowMapper<R> rows,
			Function<List<R>, T> then) {
		return new PipelinedQuery<>(sql, parameters, rows, (list) -> then.apply((List<R>) list));
	}

	/**
	 * A query whose rows each make one entry (key and value, neither null) of a map, its
	 * result.
	 */
	public static <K, V> PipelinedQuery<Map<K, V>> ofEntries(String sql, Map<String, ?> parameters,
			RowMapper<Map.Entry<K, V>> entries) {
		return of(sql, parameters, entries, (rows) -> {
			Map<K, V> map = new HashMap<>();
			rows.forEach((entry) -> map.put(entry.getKey(), entry.getValue()));
			return map;
		});
	}

	/** A query that needs no statement: its result is known already. */
	public static <T> PipelinedQuery<T> known(T result) {
		PipelinedQuery<T> query = new PipelinedQuery<>(null, Map.of(), null, null);
		query.complete(result);
		return query;
	}

	/** What the query produced; it must have been run. */
	public T result() {
		if (!this.done) {
			throw new IllegalStateException("The query has not been run: " + this.sql);
		}
		return this.result;
	}

	/** Whether the query still has a statement to send. */
	boolean pending() {
		return !this.done;
	}

	String sql() {
		return this.sql;
	}

	Map<String, ?> parameters() {
		return this.parameters;
	}

	RowMapper<?> rows() {
		return this.rows;
	}

	/** Makes the result of the rows read (as {@link #rows()} mapped them). */
	void finish(List<?> rows) {
		complete(this.then.apply(rows));
	}

	private void complete(T result) {
		this.result = result;
		this.done = true;
	}

}
