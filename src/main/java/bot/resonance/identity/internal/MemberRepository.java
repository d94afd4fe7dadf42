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

import org.jspecify.annotations.Nullable;

import bot.resonance.identity.Identity;
import bot.resonance.identity.IdentityKind;
import bot.resonance.identity.Member;
import bot.resonance.identity.MemberStatus;
import bot.resonance.platform.db.PipelinedQuery;
import bot.resonance.platform.db.StatementPipeline;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The identity module's SQL; batch statements take arrays. */
@Component
public class MemberRepository {

	private static final String MEMBER_COLUMNS = "m.brand_id, m.id, m.person_id, m.status, m.created_at";

	private final JdbcClient jdbc;

	private final StatementPipeline pipeline;

	MemberRepository(JdbcClient jdbc, StatementPipeline pipeline) {
		this.jdbc = jdbc;
		this.pipeline = pipeline;
	}

	/**
	 * Members first seen in [{@code from}, {@code to}) per bucket ({@code hour} or
	 * {@code day}, UTC), keyed by the bucket's start; members merged into another are not
	 * counted (their survivor was seen first or is counted itself).
	 */
	public Map<Instant, Long> createdPerBucket(String brandId, Instant from, Instant to, String bucket) {
		Map<Instant, Long> counts = new HashMap<>();
		this.jdbc.sql("""
				select date_trunc(:bucket, created_at, 'UTC') as bucket, count(*) as members
				from members
				where brand_id = :brand and created_at >= :from and created_at < :to and merged_into is null
				group by 1
				""")
			.param("bucket", bucket)
			.param("brand", brandId)
			.param("from", from.atOffset(ZoneOffset.UTC))
			.param("to", to.atOffset(ZoneOffset.UTC))
			.query((rs, row) -> counts.put(rs.getObject("bucket", OffsetDateTime.class).toInstant(),
					rs.getLong("members")))
			.list();
		return counts;
	}

	public Map<Identity, Member> findByIdentities(Collection<Identity> identities) {
		PipelinedQuery<Map<Identity, Member>> query = findingByIdentities(identities);
		this.pipeline.run(query);
		return query.result();
	}

	/**
	 * {@link #findByIdentities} as a query to send with others
	 * ({@link StatementPipeline}).
	 */
	public PipelinedQuery<Map<Identity, Member>> findingByIdentities(Collection<Identity> identities) {
		if (identities.isEmpty()) {
			return PipelinedQuery.known(Map.of());
		}
		Map<String, Object> parameters = new HashMap<>();
		String sql;
		if (identities.size() == 1) {
			// One identity (a command's user, a page's member): plain parameters, so that
			// the statement is planned once; with arrays PostgreSQL plans it at every
			// call.
			Identity identity = identities.iterator().next();
			parameters.put("brand", identity.brandId());
			parameters.put("kind", identity.kind().wireName());
			parameters.put("value", identity.value());
			sql = """
					select i.kind, i.value, %s
					from member_identities i
					join members m on m.brand_id = i.brand_id and m.id = i.member_id
					where i.brand_id = :brand and i.kind = :kind and i.value = :value
					""".formatted(MEMBER_COLUMNS);
		}
		else {
			Columns columns = Columns.of(identities);
			parameters.put("brands", columns.brands);
			parameters.put("kinds", columns.kinds);
			parameters.put("ids", columns.values);
			sql = """
					select i.kind, i.value, %s
					from unnest(:brands::text[], :kinds::text[], :ids::text[]) as t(brand_id, kind, value)
					join member_identities i on i.brand_id = t.brand_id and i.kind = t.kind and i.value = t.value
					join members m on m.brand_id = i.brand_id and m.id = i.member_id
					""".formatted(MEMBER_COLUMNS);
		}
		return PipelinedQuery
			.ofEntries(sql, parameters,
					(rs, row) -> Map.entry(new Identity(rs.getString("brand_id"),
							IdentityKind.fromWireName(rs.getString("kind")).orElseThrow(), rs.getString("value")),
							member(rs, row)));
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

	/**
	 * Locks a member shared until the transaction ends and reads it as it is once locked,
	 * with the member it was merged into, if it was.
	 */
	public Optional<Locked> lockShared(String brandId, long memberId) {
		return this.jdbc
			.sql("select %s, m.merged_into from members m where m.brand_id = :brand and m.id = :id for share"
				.formatted(MEMBER_COLUMNS))
			.param("brand", brandId)
			.param("id", memberId)
			.query((rs, row) -> new Locked(member(rs, row), rs.getObject("merged_into", Long.class)))
			.optional();
	}

	/** A member as read under its lock, and the member it was merged into, if it was. */
	public record Locked(Member member, @Nullable Long mergedInto) {
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

	/** Locks a member exclusively by its id alone (ids are unique across brands). */
	public void lockById(long memberId) {
		this.jdbc.sql("select id from members where id = :id for update")
			.param("id", memberId)
			.query(Long.class)
			.list();
	}

	public void lock(String brandId, long memberId, boolean exclusive) {
		this.jdbc
			.sql("select id from members where brand_id = :brand and id = :id for " + (exclusive ? "update" : "share"))
			.param("brand", brandId)
			.param("id", memberId)
			.query(Long.class)
			.list();
	}

	/** The identities of members, oldest first, per member. */
	public Map<Long, List<Identity>> identities(String brandId, Collection<Long> memberIds) {
		Map<Long, List<Identity>> found = new HashMap<>();
		this.jdbc.sql("""
				select member_id, kind, value from member_identities
				where brand_id = :brand and member_id = any(:ids::bigint[])
				order by created_at, kind, value
				""")
			.param("brand", brandId)
			.param("ids", memberIds.stream().mapToLong(Long::longValue).toArray())
			.query((rs, row) -> found.computeIfAbsent(rs.getLong("member_id"), (id) -> new java.util.ArrayList<>())
				.add(new Identity(brandId, IdentityKind.fromWireName(rs.getString("kind")).orElseThrow(),
						rs.getString("value"))))
			.list();
		return found;
	}

	/**
	 * Gives {@code memberId} the identity unless it belongs to someone already; returns
	 * the member it belongs to now.
	 */
	public long attach(Identity identity, long memberId, Instant now) {
		List<Long> inserted = this.jdbc.sql("""
				insert into member_identities (brand_id, kind, value, member_id, created_at)
				values (:brand, :kind, :value, :member, :now)
				on conflict (brand_id, kind, value) do nothing
				returning member_id
				""")
			.param("brand", identity.brandId())
			.param("kind", identity.kind().wireName())
			.param("value", identity.value())
			.param("member", memberId)
			.param("now", utc(now))
			.query(Long.class)
			.list();
		if (!inserted.isEmpty()) {
			return memberId;
		}
		return this.jdbc.sql("""
				select member_id from member_identities where brand_id = :brand and kind = :kind and value = :value
				""")
			.param("brand", identity.brandId())
			.param("kind", identity.kind().wireName())
			.param("value", identity.value())
			.query(Long.class)
			.single();
	}

	/**
	 * Moves every identity of {@code absorbed} to {@code survivor} and marks
	 * {@code absorbed} as merged into it; the survivor is disabled if either was.
	 */
	public void absorb(String brandId, long survivor, long absorbed, Instant now) {
		this.jdbc.sql("""
				update member_identities set member_id = :survivor where brand_id = :brand and member_id = :absorbed
				""").param("brand", brandId).param("survivor", survivor).param("absorbed", absorbed).update();
		this.jdbc.sql("""
				update members s set status = case when a.status = 'disabled' then 'disabled' else s.status end,
				                     updated_at = :now
				from members a
				where s.brand_id = :brand and s.id = :survivor and a.brand_id = :brand and a.id = :absorbed
				""")
			.param("brand", brandId)
			.param("survivor", survivor)
			.param("absorbed", absorbed)
			.param("now", utc(now))
			.update();
		this.jdbc.sql("""
				update members set merged_into = :survivor, updated_at = :now where brand_id = :brand and id = :absorbed
				""")
			.param("brand", brandId)
			.param("survivor", survivor)
			.param("absorbed", absorbed)
			.param("now", utc(now))
			.update();
	}

	private static Member member(ResultSet rs, int row) throws SQLException {
		return new Member(rs.getString("brand_id"), rs.getLong("id"), rs.getLong("person_id"),
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
