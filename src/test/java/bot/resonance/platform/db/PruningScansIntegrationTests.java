package bot.resonance.platform.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import bot.resonance.support.IntegrationTest;
import bot.resonance.support.IntegrationTestSupport;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every pruner finds its old rows through an index: the tables it prunes are the ones
 * that grow largest, and a pass that scanned a whole table would read all of it every
 * interval. Each query below is the row-finding part of a pruner's statement (kept in
 * step with them by hand); with sequential scans made as expensive as the planner allows
 * (the test tables are small), the plan must read the old rows as a range of an index.
 */
@IntegrationTest
class PruningScansIntegrationTests extends IntegrationTestSupport {

	@Autowired
	DataSource dataSource;

	@ParameterizedTest
	@CsvSource(delimiter = '|', quoteCharacter = '"',
			textBlock = """
					# WebhookPruner: finished deliveries, then messages no delivery refers to
					select brand_id, id from webhook_deliveries where created_at < now() and status in ('succeeded', 'dead') order by created_at limit 5000 | (created_at < now()) |
					select m2.brand_id, m2.id from webhook_messages m2 where m2.created_at < now() and not exists (select 1 from webhook_deliveries d where d.brand_id = m2.brand_id and d.message_id = m2.id) limit 5000 | (created_at < now()) |
					# IncomingCallPruner
					select brand_id, hook_id, id from incoming_webhook_calls where received_at < now() and (not holds_key or webhook_timestamp is null or webhook_timestamp < now()) limit 5000 | (received_at < now()) |
					# ShopifyWebhookPruner
					select ctid from shopify_webhooks where received_at < now() limit 5000 | (received_at < now()) |
					# IdempotencyStore
					select principal, key from idempotency_keys where created_at < now() limit 5000 | (created_at < now()) |
					# InteractionLockPruner: locks, then the interaction log
					select ctid from discord_interaction_locks where expires_at < now() limit 5000 | (expires_at < now()) |
					select ctid from discord_interactions where received_at < now() limit 5000 | (received_at < now()) |
					# EventPruner, per brand: events, and the metadata of events from where the last pass ended
					select id from reward_events where brand_id = '0x00' and id >= 'evt_01J' and id < 'evt_01K' order by id limit 5000 | (id >= 'evt_01J'::text) |
					select id from reward_events where brand_id = '0x00' and id like 'evt\\_%' and id < 'evt_01K' and received_at < now() and outcome <> 'pending' order by id limit 5000 | (id < 'evt_01K'::text) |
					# DeadJobPruner
					select ctid from jobs where dead_at < now() limit 5000 | (dead_at < now()) |
					# SignInFailurePruner
					select ctid from portal_sign_in_failures where failed_at < now() limit 5000 | (failed_at < now()) |
					# SetupCodePruner, PasswordResetPruner, LinkConfirmationPruner: one-time codes of every owner
					select ctid from discord_setup_codes where expires_at < now() limit 5000 | (expires_at < now()) |
					select ctid from portal_password_resets where expires_at < now() limit 5000 | (expires_at < now()) |
					select ctid from network_link_confirmations where expires_at < now() limit 5000 | (expires_at < now()) | insert into network_link_confirmations (brand_id, id, member_kind, member_value, added_kind, added_value, holder, method, code_hash, created_at, expires_at) select '0x00', concat('nlc_', g), 'discord', g::text, 'email', concat(g, '@example.com'), 1, 'discord', '\\x00', now(), now() from generate_series(1, 2000) g; analyze network_link_confirmations
					# One-time codes, forgotten per owner when the owner gets a new one
					select code_hash from discord_setup_codes where brand_id = '0x00' and expires_at < now() | (expires_at < now()) |
					select id from portal_password_resets where user_id = 'pusr_1' and expires_at < now() | (user_id = 'pusr_1'::text) |
					select id from network_link_confirmations where brand_id = '0x00' and member_kind = 'discord' and member_value = '1' and expires_at < now() | (expires_at < now()) | insert into network_link_confirmations (brand_id, id, member_kind, member_value, added_kind, added_value, holder, method, code_hash, created_at, expires_at) select '0x00', concat('nlc_', g), 'discord', g::text, 'email', concat(g, '@example.com'), 1, 'discord', '\\x00', now(), now() from generate_series(1, 2000) g; analyze network_link_confirmations
					""")
	void aPruningScanReadsAnIndex(String query, String condition, @Nullable String setup) throws Exception {
		List<String> plan = new ArrayList<>();
		try (Connection connection = this.dataSource.getConnection()) {
			connection.setAutoCommit(false);
			try (Statement settings = connection.createStatement()) {
				settings.execute("set local enable_seqscan = off");
				// Rows (rolled back) for a table whose indexes tie while it is empty.
				if (setup != null) {
					for (String statement : setup.split(";")) {
						settings.execute(statement);
					}
				}
			}
			try (PreparedStatement explain = connection.prepareStatement("explain " + query);
					ResultSet rows = explain.executeQuery()) {
				while (rows.next()) {
					plan.add(rows.getString(1));
				}
			}
			finally {
				connection.rollback();
			}
		}
		// The old rows are a range of an index (its condition), not rows filtered out of
		// a scan of the whole table or of an index.
		assertThat(plan).as(String.join("\n", plan))
			.anyMatch((line) -> line.contains("Index Cond: ") && line.contains(condition));
	}

}
