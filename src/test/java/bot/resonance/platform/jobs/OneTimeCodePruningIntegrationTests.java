package bot.resonance.platform.jobs;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import bot.resonance.support.IntegrationTest;
import bot.resonance.support.IntegrationTestSupport;
import bot.resonance.support.TestBrand;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One-time codes (Discord setup codes, portal password-reset links, network link
 * confirmations) are kept 30 days past their expiry, then forgotten by a daily job, also
 * those of owners who never ask for another one.
 */
@IntegrationTest
class OneTimeCodePruningIntegrationTests extends IntegrationTestSupport {

	@Autowired
	Jobs jobs;

	@Autowired
	JdbcClient jdbc;

	@Test
	void codesOfOwnersWhoNeverAskAgainGoThirtyDaysAfterTheyExpire() {
		TestBrand brand = brandWith(1_000, "custom_event", Map.of("amount", 1));
		String tag = newUserId();
		Instant now = this.clock.instant();
		// Each owner has one code: expired 31 days ago (to forget), expired 28 days ago
		// and
		// still live (to keep, also after the day the job waits for its first run).
		Map<String, Instant> expiries = Map.of("old", now.minus(Duration.ofDays(31)), "recent",
				now.minus(Duration.ofDays(28)), "live", now.plus(Duration.ofHours(1)));
		this.jdbc.sql("""
				insert into portal_users (id, brand_id, email, password_hash, role, created_at)
				values (:user, :brand, :email, 'not a hash', 'viewer', :now)
				""")
			.param("user", "pusr_" + tag)
			.param("brand", brand.brandId())
			.param("email", "codes-" + tag + "@example.com")
			.param("now", utc(now))
			.update();
		expiries.forEach((name, expires) -> {
			String id = name + "-" + tag;
			this.jdbc.sql("""
					insert into discord_setup_codes (code_hash, brand_id, created_at, expires_at)
					values (sha256(convert_to(:id, 'UTF8')), :brand, :created, :expires)
					""")
				.param("id", id)
				.param("brand", brand.brandId())
				.param("created", utc(expires.minus(Duration.ofMinutes(30))))
				.param("expires", utc(expires))
				.update();
			this.jdbc.sql("""
					insert into portal_password_resets (id, token_hash, user_id, created_at, expires_at)
					values (:id, :id, :user, :created, :expires)
					""")
				.param("id", id)
				.param("user", "pusr_" + tag)
				.param("created", utc(expires.minus(Duration.ofMinutes(30))))
				.param("expires", utc(expires))
				.update();
			this.jdbc
				.sql("""
						insert into network_link_confirmations (brand_id, id, member_kind, member_value, added_kind,
						                                        added_value, holder, method, code_hash, created_at, expires_at)
						values (:brand, :id, 'discord', :member, 'email', :email, 1, 'email', '\\x00', :created, :expires)
						""")
				.param("brand", brand.brandId())
				.param("id", id)
				.param("member", tag)
				.param("email", id + "@example.com")
				.param("created", utc(expires.minus(Duration.ofMinutes(30))))
				.param("expires", utc(expires))
				.update();
		});

		List<String> queues = List.of("discord-setup-code-pruning", "portal-password-reset-pruning",
				"network-link-confirmation-pruning");
		assertThat(remaining(brand, tag)).containsExactly(3, 3, 3);

		// A day on, each daily job is due (whether or not an earlier test ran it today).
		this.clock.advance(Duration.ofDays(1).plusMinutes(1));
		queues.forEach(this.jobs::runDue);
		assertThat(remaining(brand, tag)).containsExactly(2, 2, 2);
		for (String table : List.of("discord_setup_codes", "portal_password_resets", "network_link_confirmations")) {
			assertThat(this.jdbc.sql("select count(*) from " + table + " where expires_at < :before")
				.param("before", utc(this.clock.instant().minus(Duration.ofDays(30))))
				.query(Long.class)
				.single()).as(table).isZero();
		}
	}

	private List<Integer> remaining(TestBrand brand, String tag) {
		return List.of(count("select count(*) from discord_setup_codes where brand_id = :brand", brand.brandId()),
				count("select count(*) from portal_password_resets where user_id = :brand", "pusr_" + tag),
				count("select count(*) from network_link_confirmations where brand_id = :brand", brand.brandId()));
	}

	private int count(String sql, String brand) {
		return this.jdbc.sql(sql).param("brand", brand).query(Integer.class).single();
	}

	private static OffsetDateTime utc(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

}
