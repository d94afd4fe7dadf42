package bot.resonance;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import bot.resonance.support.ApiResponse;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.IntegrationTestSupport;
import bot.resonance.support.PostgresTools;
import bot.resonance.support.ResonanceClient;
import bot.resonance.support.SecondNode;
import bot.resonance.support.TestBrand;
import bot.resonance.support.WebhookReceiver;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The backup documented for operators: {@code pg_dump -Fc} of the running embedded
 * PostgreSQL, restored with {@code pg_restore} into an empty database, gives a node the
 * same balances, pending events and waiting webhook deliveries. Needs PostgreSQL 17's
 * {@code pg_dump} and {@code pg_restore} ({@code .ci/pg-client-17} installs them); fails,
 * never skips, without them.
 */
@IntegrationTest
class BackupRestoreIntegrationTests extends IntegrationTestSupport {

	@Autowired
	Environment environment;

	@Autowired
	JdbcClient jdbc;

	@TempDir
	Path folder;

	@Test
	void aDumpOfTheRunningEmbeddedDatabaseRestoresBalancesPendingEventsAndDeliveries() throws Exception {
		Path pgDump = PostgresTools.tool("pg_dump");
		Path pgRestore = PostgresTools.tool("pg_restore");
		TestBrand brand = brandWith(1_000, "custom_event", Map.of("amount", 10, "daily_limit", 1));
		try (WebhookReceiver receiver = WebhookReceiver.start()) {
			ApiResponse hook = this.client.api(brand, "POST", "/v1/webhooks",
					ResonanceClient.json(Map.of("url", receiver.url("/backup"))));
			assertThat(hook.status()).as(hook.toString()).isEqualTo(201);
			String hookId = hook.text("id");
			assertThat(this.client.api(brand, "POST", "/v1/webhooks/" + hookId + "/pause", null).status())
				.isEqualTo(200);
			this.clock.freezeAt(lateEvening());
			String user = newUserId();
			assertThat(this.client.event(brand, "custom_event", user).text("status")).isEqualTo("awarded");
			ApiResponse pending = this.client.event(brand, "custom_event", user);
			assertThat(pending.text("status")).isEqualTo("pending");
			String other = newUserId();
			assertThat(this.client.event(brand, "custom_event", other).text("status")).isEqualTo("awarded");
			String held = "/v1/webhooks/" + hookId + "/deliveries?status=held";
			await().atMost(Duration.ofSeconds(30))
				.until(() -> this.client.get(brand, held).json().get("data").size() >= 2);

			String port = this.environment.getRequiredProperty("resonance.embedded-db.active-port");
			Path dump = this.folder.resolve("resonance.dump");
			PostgresTools.run(pgDump.toString(), "-Fc", "-h", "localhost", "-p", port, "-U", "postgres", "-f",
					dump.toString(), "resonance");
			String database = "restored_" + Long.toHexString(System.nanoTime());
			this.jdbc.sql("create database " + database).update();
			try {
				PostgresTools.run(pgRestore.toString(), "--exit-on-error", "--no-owner", "-h", "localhost", "-p", port,
						"-U", "postgres", "-d", database, dump.toString());
				String url = this.environment.getRequiredProperty("spring.datasource.url")
					.replaceFirst("/resonance(\\?|$)", "/" + database + "$1");
				JdbcClient restored = JdbcClient.create(new DriverManagerDataSource(url, "postgres", ""));
				assertThat(state(restored, brand)).isEqualTo(state(this.jdbc, brand));

				// A node started on the restored database answers as the original does.
				try (SecondNode node = SecondNode.start(this.environment, this.clock, "spring.datasource.url=" + url)) {
					ResonanceClient restoredClient = new ResonanceClient(node.port());
					for (String path : List.of("/v1/wallet", "/v1/members/" + user, "/v1/members/" + other,
							"/v1/events/" + pending.text("event_id"), held)) {
						ApiResponse original = this.client.get(brand, path);
						assertThat(original.status()).as(path).isEqualTo(200);
						assertThat(restoredClient.get(brand, path).json()).as(path).isEqualTo(original.json());
					}
					assertThat(restoredClient.get(brand, "/v1/events/" + pending.text("event_id"))
						.json()
						.get("status")
						.asString()).isEqualTo("pending");
				}
			}
			finally {
				this.jdbc.sql("drop database if exists " + database + " with (force)").update();
			}
		}
	}

	/**
	 * What a backup must keep of a brand: balances, transfers, events, jobs, deliveries.
	 */
	private static List<List<Object>> state(JdbcClient jdbc, TestBrand brand) {
		List<List<Object>> state = new ArrayList<>();
		for (String sql : List.of(
				"select kind, owner_id, currency, balance from ledger_accounts where brand_id = :brand order by 1, 2, 3",
				"select count(*), sum(amount) from ledger_transfers where brand_id = :brand",
				"select id, outcome, amount_awarded, process_after from reward_events where brand_id = :brand order by id",
				"select queue, key, due_at from jobs where brand_id = :brand order by queue, key",
				"select id, status, attempts, next_attempt_at from webhook_deliveries where brand_id = :brand order by id")) {
			List<Object> rows = new ArrayList<>(jdbc.sql(sql).param("brand", brand.brandId()).query((rs, row) -> {
				List<Object> values = new ArrayList<>();
				for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
					values.add(String.valueOf(rs.getObject(i)));
				}
				return values;
			}).list());
			state.add(rows);
		}
		assertThat(state.get(2)).as("events").hasSize(3);
		assertThat(state.get(3)).as("the pending event's job").isNotEmpty();
		assertThat(state.get(4)).as("deliveries").hasSizeGreaterThanOrEqualTo(2);
		return state;
	}

}
