package bot.resonance.platform.db;

import java.util.Collection;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A brand's lock, held until the current transaction ends, on every node: a batch of the
 * brand's events holds it while it decides and writes, and so do member merges, referral
 * changes and analytics rollup claims, so none of them sees the brand half-changed by
 * another. A PostgreSQL advisory lock keyed by the brand: it needs no row.
 */
@Component
public class BrandLock {

	/**
	 * Takes the locks of the brands in the {@code :brands} parameter (a {@code text[]}),
	 * always in the same order, so two transactions that lock several brands cannot
	 * deadlock on them. Embed it as a {@code materialized} CTE that the statement reads,
	 * to take the locks in the round trip that needs them.
	 */
	public static final String LOCK_ALL_SQL = """
			select count(pg_advisory_xact_lock(k)) as locked
			from (select distinct hashtextextended('resonance:brand:' || b, 0) as k
			      from unnest(:brands::text[]) as b order by 1) as sorted""";

	private final JdbcClient jdbc;

	BrandLock(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Waits for, then holds until the transaction ends, the brand's lock. */
	public void lock(String brandId) {
		lockAll(java.util.List.of(brandId));
	}

	/** Waits for, then holds until the transaction ends, the locks of these brands. */
	public void lockAll(Collection<String> brandIds) {
		this.jdbc.sql(LOCK_ALL_SQL).param("brands", brandIds.toArray(String[]::new)).query().singleRow();
	}

}
