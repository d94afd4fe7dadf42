package bot.resonance.platform.db;

import java.util.List;
import java.util.Map;

import bot.resonance.support.IntegrationTest;
import bot.resonance.support.IntegrationTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A statement that takes its keys as an array is planned at every execution unless the
 * transaction asks for generic plans ({@link KeyedPlans}): then the driver's prepared
 * statement is planned once and the plan reused.
 */
@IntegrationTest
class KeyedPlansIntegrationTests extends IntegrationTestSupport {

	/** The shape of the member lookups: keys as arrays, joined to a table by its key. */
	private static final String LOOKUP = """
			select m.id from unnest(:brands::text[], :ids::bigint[]) as t(brand_id, id)
			join members m on m.brand_id = t.brand_id and m.id = t.id
			/* keyed-plans-test */""";

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TransactionTemplate transactions;

	@Autowired
	KeyedPlans keyedPlans;

	@Test
	void aTransactionThatAsksPlansKeyedLookupsOnce() {
		Map<String, Long> planned = this.transactions.execute((tx) -> {
			this.keyedPlans.inThisTransaction();
			this.keyedPlans.inThisTransaction();
			assertThat(setting("plan_cache_mode")).isEqualTo("force_generic_plan");
			assertThat(setting("enable_seqscan")).isEqualTo("off");
			return plansOfTwelveLookups();
		});
		assertThat(planned.get("custom")).isZero();
		assertThat(planned.get("generic")).isPositive();

		Map<String, Long> unasked = this.transactions.execute((tx) -> {
			assertThat(setting("plan_cache_mode")).isEqualTo("auto");
			return plansOfTwelveLookups();
		});
		// Planned again at each execution, at least until PostgreSQL has made five
		// custom plans and compared their cost with a generic one's.
		assertThat(unasked.get("custom")).isPositive();
	}

	@Test
	void withoutATransactionNothingIsSet() {
		this.keyedPlans.inThisTransaction();
		assertThat(setting("plan_cache_mode")).isEqualTo("auto");
		assertThat(setting("enable_seqscan")).isEqualTo("on");
	}

	/**
	 * How this connection's prepared lookup was planned over twelve more executions (the
	 * driver prepares it on the server from the fifth on), by kind of plan.
	 */
	private Map<String, Long> plansOfTwelveLookups() {
		Map<String, Long> before = plans();
		for (int i = 0; i < 12; i++) {
			this.jdbc.sql(LOOKUP)
				.param("brands", new String[] { "b" })
				.param("ids", new long[] { i })
				.query()
				.listOfRows();
		}
		Map<String, Long> after = plans();
		return Map.of("generic", after.get("generic") - before.get("generic"), "custom",
				after.get("custom") - before.get("custom"));
	}

	private Map<String, Long> plans() {
		List<Map<String, Object>> rows = this.jdbc.sql("""
				select coalesce(sum(generic_plans), 0) as generic, coalesce(sum(custom_plans), 0) as custom
				from pg_prepared_statements where statement like '%keyed-plans-test%'
				  and statement not like '%pg_prepared_statements%'
				""").query().listOfRows();
		return Map.of("generic", ((Number) rows.get(0).get("generic")).longValue(), "custom",
				((Number) rows.get(0).get("custom")).longValue());
	}

	private String setting(String name) {
		return this.jdbc.sql("select current_setting(:name)").param("name", name).query(String.class).single();
	}

}
