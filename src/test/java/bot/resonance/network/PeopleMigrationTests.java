package bot.resonance.network;

import java.util.List;
import java.util.Map;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Upgrading a database from before people existed: every member becomes (part of) a
 * person; members of different brands that share an identity value are one person,
 * transitively; members merged within their brand follow their survivor; balances and
 * history stay exactly where they were.
 */
class PeopleMigrationTests {

	@Test
	void membersSharingAnIdentityAcrossBrandsBecomeOnePersonWithTheirBalancesIntact() throws Exception {
		try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
			var dataSource = postgres.getPostgresDatabase();
			Flyway.configure().dataSource(dataSource).target("21").load().migrate();
			JdbcClient jdbc = JdbcClient.create(dataSource);
			// Brand A: 1 (discord 1, email x), 2 (discord 2), 3 merged into 1.
			member(jdbc, "brand_a", 1, null, Map.of("discord", "1", "email", "x@example.com"));
			member(jdbc, "brand_a", 2, null, Map.of("discord", "2"));
			member(jdbc, "brand_a", 3, 1L, Map.of());
			// Brand B: 10 (email x) and 14 (discord 1) are both A's 1; 11 (discord 2) is
			// A's
			// 2; 12 and 13 are nobody else.
			member(jdbc, "brand_b", 10, null, Map.of("email", "x@example.com"));
			member(jdbc, "brand_b", 11, null, Map.of("discord", "2"));
			member(jdbc, "brand_b", 12, null, Map.of("discord", "3"));
			member(jdbc, "brand_b", 13, null, Map.of("telegram", "9"));
			member(jdbc, "brand_b", 14, null, Map.of("discord", "1"));
			// Brand C: 20 reaches A's 1 only through B's 14 (discord 1) — and twitter 5.
			member(jdbc, "brand_c", 20, null, Map.of("discord", "1", "twitter", "5"));
			balance(jdbc, "brand_a", 1, 30);
			balance(jdbc, "brand_b", 14, 12);

			Flyway.configure().dataSource(dataSource).load().migrate();

			long alice = person(jdbc, "brand_a", 1);
			assertThat(List.of(person(jdbc, "brand_a", 3), person(jdbc, "brand_b", 10), person(jdbc, "brand_b", 14),
					person(jdbc, "brand_c", 20)))
				.containsOnly(alice);
			long bob = person(jdbc, "brand_a", 2);
			assertThat(person(jdbc, "brand_b", 11)).isEqualTo(bob);
			assertThat(List.of(alice, bob, person(jdbc, "brand_b", 12), person(jdbc, "brand_b", 13)))
				.doesNotHaveDuplicates();
			assertThat(jdbc.sql("select count(*) from members where person_id is null").query(Long.class).single())
				.isZero();

			assertThat(holder(jdbc, "email", "x@example.com")).isEqualTo(alice);
			assertThat(holder(jdbc, "discord", "1")).isEqualTo(alice);
			assertThat(holder(jdbc, "twitter", "5")).isEqualTo(alice);
			assertThat(holder(jdbc, "discord", "2")).isEqualTo(bob);
			// Two members of brand B were one person: they stay two members (history and
			// balances intact); new identities reach the older.
			assertThat(jdbc.sql("""
					select min(id) from members where brand_id = 'brand_b' and person_id = :p and merged_into is null
					""").param("p", alice).query(Long.class).single()).isEqualTo(10);
			assertThat(jdbc.sql("select count(distinct brand_id) from members where person_id = :p")
				.param("p", alice)
				.query(Long.class)
				.single()).isEqualTo(3);
			assertThat(jdbc.sql("select count(distinct person_id) from members").query(Long.class).single())
				.isEqualTo(4);
			assertThat(jdbc.sql("select length(value) from network_settings where name = 'address_key'")
				.query(Integer.class)
				.single()).isEqualTo(32);
			assertThat(jdbc.sql("select balance from ledger_accounts where brand_id = 'brand_a' and kind = 'member'")
				.query(Long.class)
				.single()).isEqualTo(30);
			assertThat(jdbc.sql("select balance from ledger_accounts where brand_id = 'brand_b' and kind = 'member'")
				.query(Long.class)
				.single()).isEqualTo(12);
			assertThat(jdbc.sql(
					"select count(*) from ledger_accounts where brand_id = 'network' and currency = 'RSNC' and kind = 'issuance'")
				.query(Long.class)
				.single()).isEqualTo(1);
		}
	}

	private static void member(JdbcClient jdbc, String brand, long id, Long mergedInto,
			Map<String, String> identities) {
		jdbc.sql("""
				insert into members (brand_id, id, status, created_at, updated_at, merged_into)
				values (:brand, :id, 'active', now(), now(), :merged)
				""").param("brand", brand).param("id", id).param("merged", mergedInto, java.sql.Types.BIGINT).update();
		identities.forEach((kind, value) -> jdbc.sql("""
				insert into member_identities (brand_id, kind, value, member_id, created_at)
				values (:brand, :kind, :value, :id, now())
				""").param("brand", brand).param("kind", kind).param("value", value).param("id", id).update());
	}

	private static void balance(JdbcClient jdbc, String brand, long member, long amount) {
		jdbc.sql("""
				insert into ledger_currencies (brand_id, code, kind, decimals, created_at)
				values (:brand, 'POINT', 'point', 0, now()) on conflict do nothing
				""").param("brand", brand).update();
		jdbc.sql("""
				insert into ledger_accounts (brand_id, currency, kind, owner_id, balance, allow_negative, created_at)
				values (:brand, 'POINT', 'member', :member, :amount, false, now())
				""").param("brand", brand).param("member", member).param("amount", amount).update();
	}

	private static long person(JdbcClient jdbc, String brand, long member) {
		return jdbc.sql("select person_id from members where brand_id = :brand and id = :id")
			.param("brand", brand)
			.param("id", member)
			.query(Long.class)
			.single();
	}

	private static long holder(JdbcClient jdbc, String kind, String value) {
		return jdbc.sql("select person_id from person_identities where kind = :kind and value = :value")
			.param("kind", kind)
			.param("value", value)
			.query(Long.class)
			.single();
	}

}
