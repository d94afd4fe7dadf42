package bot.resonance.incoming.internal;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import bot.resonance.platform.crypto.WebhookSecrets;

import bot.resonance.platform.crypto.SealingProperties;
import bot.resonance.platform.crypto.SecretSealer;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Upgrading a database that already has incoming webhooks: their senders sign with
 * {@code X-Signature}, so the hooks keep accepting it; hooks created from then on do not,
 * unless asked.
 */
class IncomingWebhookMigrationTests {

	@Test
	void existingHooksKeepTheLegacySchemeAndNewOnesDoNot() throws Exception {
		try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
			var dataSource = postgres.getPostgresDatabase();
			Flyway.configure().dataSource(dataSource).target("15").load().migrate();
			JdbcClient jdbc = JdbcClient.create(dataSource);
			UUID existing = UUID.randomUUID();
			insertAsBefore(jdbc, existing);

			Flyway.configure().dataSource(dataSource).load().migrate();

			IncomingWebhookRepository repository = new IncomingWebhookRepository(jdbc,
					new SecretSealer(new SealingProperties(null, java.util.List.of())));
			assertThat(repository.find("0xbrand", existing, false).orElseThrow().legacySignatures()).isTrue();
			// A node not yet upgraded creates a hook the old way during a rolling
			// upgrade:
			// its creator was told to sign with X-Signature.
			UUID duringUpgrade = UUID.randomUUID();
			insertAsBefore(jdbc, duringUpgrade);
			assertThat(repository.find("0xbrand", duringUpgrade, false).orElseThrow().legacySignatures()).isTrue();

			Instant now = Instant.parse("2026-08-01T00:00:00Z");
			UUID created = UUID.randomUUID();
			repository.insert(new IncomingWebhook("0xbrand", created, "New", WebhookSecrets.newSecret(), null, null,
					List.of("currency.add"), 60, null, true, false, now, now));
			assertThat(repository.find("0xbrand", created, false).orElseThrow().legacySignatures()).isFalse();
		}
	}

	private static void insertAsBefore(JdbcClient jdbc, UUID id) {
		jdbc.sql(
				"""
						insert into incoming_webhooks (brand_id, id, name, secret, actions, rate_limit_per_minute, enabled,
						                               created_at, updated_at)
						values ('0xbrand', :id, 'Old shop', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', '{currency.add}', 60, true,
						        now(), now())
						""")
			.param("id", id)
			.update();
	}

}
