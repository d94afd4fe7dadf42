package bot.resonance.identity.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import bot.resonance.identity.Identity;
import bot.resonance.identity.IdentityKind;
import bot.resonance.identity.Member;
import bot.resonance.identity.MemberStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The identity module's SQL; batch statements take arrays. */
@Repository
public class MemberRepository {

	private static final String MEMBER_COLUMNS = "m.brand_id, m.id, m.status, m.created_at";

	private final JdbcClient jdbc;

	MemberRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	public Map<Identity, Member> findByIdentities(Collection<Identity> identities) {
		if (identities.isEmpty()) {
			return Map.of();
		}
		Columns columns = Columns.of(identities);
		Map<Identity, Member> found = new HashMap<>();
		this.jdbc.sql("""
				select i.kind, i.value, %s
				from unnest(:brands::text[], :kinds::text[], :ids::text[]) as t(brand_id, kind, value)
				join member_identities i on i.brand_id = t.brand_id and i.kind = t.kind and i.value = t.value
				join members m on m.brand_id = i.brand_id and m.id = i.member_id
				""".formatted(MEMBER_COLUMNS))
			.param("brands", columns.brands)
			.param("kinds", columns.kinds)
			.param("ids", columns.values)
			.query((rs, row) -> {
				Member member = member(rs, row);
				found.put(new Identity(member.brandId(), IdentityKind.fromWireName(rs.getString("kind")).orElseThrow(),
						rs.getString("value")), member);
				return null;
			})
			.list();
		return found;
	}

	public long[] reserveIds(int count) {
		return this.jdbc.sql("select nextval(pg_get_serial_sequence('members', 'id')) from generate_series(1, :n)")
			.param("n", count)
			.query(Long.class)
			.list()
			.stream()
			.mapToLong(Long::longValue)
			.toArray();
	}

	public void insertMembers(String[] brands, long[] ids, Instant now) {
		this.jdbc
			.sql("""
					insert into members (brand_id, id, status, created_at, updated_at)
					select t.brand_id, t.id, 'active', :now, :now from unnest(:brands::text[], :ids::bigint[]) as t(brand_id, id)
					""")
			.param("brands", brands)
			.param("ids", ids)
			.param("now", utc(now))
			.update();
	}

	/**
	 * Inserts identities, returning those that were new (others already belonged to
	 * someone).
	 */
	public List<Identity> insertIdentities(List<Identity> identities, long[] memberIds, Instant now) {
		Columns columns = Columns.of(identities);
		return this.jdbc.sql("""
				insert into member_identities (brand_id, kind, value, member_id, created_at)
				select t.brand_id, t.kind, t.value, t.member_id, :now
				from unnest(:brands::text[], :kinds::text[], :ids::text[], :members::bigint[])
				     as t(brand_id, kind, value, member_id)
				on conflict (brand_id, kind, value) do nothing
				returning brand_id, kind, value
				""")
			.param("brands", columns.brands)
			.param("kinds", columns.kinds)
			.param("ids", columns.values)
			.param("members", memberIds)
			.param("now", utc(now))
			.query((rs, row) -> new Identity(rs.getString("brand_id"),
					IdentityKind.fromWireName(rs.getString("kind")).orElseThrow(), rs.getString("value")))
			.list();
	}

	public void deleteMembers(String[] brands, long[] ids) {
		this.jdbc.sql("""
				delete from members m using unnest(:brands::text[], :ids::bigint[]) as t(brand_id, id)
				where m.brand_id = t.brand_id and m.id = t.id
				""").param("brands", brands).param("ids", ids).update();
	}

	public Map<Long, Member> findByIds(String brandId, Collection<Long> ids) {
		Map<Long, Member> found = new HashMap<>();
		this.jdbc
			.sql("select %s from members m where m.brand_id = :brand and m.id = any(:ids::bigint[])"
				.formatted(MEMBER_COLUMNS))
			.param("brand", brandId)
			.param("ids", ids.stream().mapToLong(Long::longValue).toArray())
			.query(MemberRepository::member)
			.list()
			.forEach((member) -> found.put(member.id(), member));
		return found;
	}

	public Optional<Member> updateStatus(String brandId, long memberId, MemberStatus status, Instant now) {
		return this.jdbc.sql("""
				update members m set status = :status, updated_at = :now where m.brand_id = :brand and m.id = :id
				returning %s
				""".formatted(MEMBER_COLUMNS))
			.param("status", status.wireName())
			.param("now", utc(now))
			.param("brand", brandId)
			.param("id", memberId)
			.query(MemberRepository::member)
			.optional();
	}

	public List<Identity> identitiesOf(String brandId, long memberId) {
		return this.jdbc.sql("""
				select brand_id, kind, value from member_identities where brand_id = :brand and member_id = :id
				order by created_at, kind, value
				""")
			.param("brand", brandId)
			.param("id", memberId)
			.query((rs, row) -> new Identity(rs.getString("brand_id"),
					IdentityKind.fromWireName(rs.getString("kind")).orElseThrow(), rs.getString("value")))
			.list();
	}

	private static Member member(ResultSet rs, int row) throws SQLException {
		return new Member(rs.getString("brand_id"), rs.getLong("id"),
				MemberStatus.fromWireName(rs.getString("status")).orElseThrow(),
				rs.getObject("created_at", OffsetDateTime.class).toInstant());
	}

	private static OffsetDateTime utc(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

	private record Columns(String[] brands, String[] kinds, String[] values) {

		static Columns of(Collection<Identity> identities) {
			int n = identities.size();
			String[] brands = new String[n];
			String[] kinds = new String[n];
			String[] values = new String[n];
			int i = 0;
			for (Identity identity : identities) {
				brands[i] = identity.brandId();
				kinds[i] = identity.kind().wireName();
				values[i] = identity.value();
				i++;
			}
			return new Columns(brands, kinds, values);
		}

	}

}
