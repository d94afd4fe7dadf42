package bot.resonance.rewards.internal;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The lock every batch of a brand's events takes first (its rate-limit row), held until
 * the transaction ends. Merges, referrals and analytics rollup claims take it too, to
 * serialise with the brand's batches on every node.
 */
@Component
public class BrandLock {

	private final JdbcClient jdbc;

	BrandLock(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Takes the brand's lock until the current transaction ends. */
	public void lock(String brandId) {
		this.jdbc.sql("insert into reward_rate_limits (brand_id) values (:brand) on conflict (brand_id) do nothing")
			.param("brand", brandId)
			.update();
		this.jdbc.sql("select brand_id from reward_rate_limits where brand_id = :brand for update")
			.param("brand", brandId)
			.query(String.class)
			.single();
	}

}
