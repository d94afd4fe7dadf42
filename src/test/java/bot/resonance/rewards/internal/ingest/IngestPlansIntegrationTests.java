package bot.resonance.rewards.internal.ingest;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import bot.resonance.support.IntegrationTest;
import bot.resonance.support.IntegrationTestSupport;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plans the ingest transaction keeps. It plans generically (one plan per statement
 * for the connection's life) without sequential scans, hash or merge joins; such a plan
 * is made once, on whatever statistics the tables have then, so a statement whose work
 * could grow with a whole table must not leave that choice to the planner.
 */
@IntegrationTest
class IngestPlansIntegrationTests extends IntegrationTestSupport {

	@Autowired
	DataSource dataSource;

	@Test
	void theRuleStateAndDuePendingEventsOfABatchAreLookedUpMemberByMember() throws Exception {
		String sql = IngestRepository.MEMBER_STATE.replace(":brands::", "$1::")
			.replace(":members::", "$2::")
			.replace(":rBrands::", "$3::")
			.replace(":rMembers::", "$4::")
			.replace(":now", "$5::timestamptz");
		List<String> plan = new ArrayList<>();
		try (Connection connection = this.dataSource.getConnection()) {
			connection.setAutoCommit(false);
			try (Statement statement = connection.createStatement()) {
				statement.execute("set local enable_seqscan = off");
				statement.execute("set local enable_hashjoin = off");
				statement.execute("set local enable_mergejoin = off");
				statement.execute("set local plan_cache_mode = force_generic_plan");
				statement.execute("prepare member_state (text[], bigint[], text[], bigint[], timestamptz) as " + sql);
				try (ResultSet rows = statement
					.executeQuery("explain execute member_state (null, null, null, null, null)")) {
					while (rows.next()) {
						plan.add(rows.getString(1));
					}
				}
				statement.execute("deallocate member_state");
			}
			finally {
				connection.rollback();
			}
		}
		// Each member's state and pending events are a range of an index, not a scan of
		// every member's state or every brand's pending events matched against the
		// batch's members.
		assertThat(plan).as(String.join("\n", plan))
			.anyMatch((line) -> line.contains("reward_member_type_state_pkey"))
			.anyMatch((line) -> line.contains("reward_events_member_pending"))
			.anyMatch((line) -> line.contains("Index Cond: ") && line.contains("member_id = t.member_id"))
			.anyMatch((line) -> line.contains("Index Cond: ") && line.contains("member_id = t_1.member_id"))
			.noneMatch((line) -> line.contains("Join Filter: ") && line.contains("member_id"));
	}

}
