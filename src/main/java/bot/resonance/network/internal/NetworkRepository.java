package bot.resonance.network.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import bot.resonance.platform.db.Pruning;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The network module's SQL: redemption codes, redemptions, link confirmations. */
@Component
public class NetworkRepository {

	private final JdbcClient jdbc;

	NetworkRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	public int liveCodes(long personId, Instant now) {
		return this.jdbc.sql("""
				select count(*) from network_redemption_codes
				where person_id = :person and used_at is null and expires_at > :now
				""").param("person", personId).param("now", utc(now)).query(Integer.class).single();
	}

	public void insertCode(byte[] hash, long personId, @Nullable Long maxAmount, String via, Instant now,
			Instant expiresAt) {
		this.jdbc
			.sql("""
					insert into network_redemption_codes (code_hash, person_id, max_amount, issued_via, created_at, expires_at)
					values (:hash, :person, :max, :via, :now, :expires)
					""")
			.param("hash", hash)
			.param("person", personId)
			.param("max", maxAmount)
			.param("via", via)
			.param("now", utc(now))
			.param("expires", utc(expiresAt))
			.update();
	}

	/** A redemption code, locked until the transaction ends. */
	public Optional<StoredCode> lockCode(byte[] hash) {
		return this.jdbc.sql("""
				select person_id, max_amount, expires_at, used_at is not null as used
				from network_redemption_codes where code_hash = :hash for update
				""")
			.param("hash", hash)
			.query((rs, row) -> new StoredCode(rs.getLong("person_id"), rs.getObject("max_amount", Long.class),
					rs.getObject("expires_at", OffsetDateTime.class).toInstant(), rs.getBoolean("used")))
			.optional();
	}

	public void useCode(byte[] hash, String brandId, String redemptionId, Instant now) {
		this.jdbc.sql("""
				update network_redemption_codes set used_at = :now, used_by = :brand, redemption_id = :id
				where code_hash = :hash
				""")
			.param("hash", hash)
			.param("brand", brandId)
			.param("id", redemptionId)
			.param("now", utc(now))
			.update();
	}

	public void insertRedemption(String brandId, String id, long personId, long memberId, long amount,
			@Nullable String reference, long transferId, Instant now) {
		this.jdbc
			.sql("""
					insert into network_redemptions (brand_id, id, person_id, member_id, amount, reference, transfer_id, created_at)
					values (:brand, :id, :person, :member, :amount, :reference, :transfer, :now)
					""")
			.param("brand", brandId)
			.param("id", id)
			.param("person", personId)
			.param("member", memberId)
			.param("amount", amount)
			.param("reference", reference)
			.param("transfer", transferId)
			.param("now", utc(now))
			.update();
	}

	/**
	 * How long a link confirmation is kept once expired (answered or not), so that it is
	 * still answered as used or expired rather than unknown.
	 */
	public static final Duration CONFIRMATIONS_KEPT_AFTER_EXPIRY = Duration.ofDays(30);

	/**
	 * Stores a new confirmation and forgets the member's confirmations that expired more
	 * than {@link #CONFIRMATIONS_KEPT_AFTER_EXPIRY} ago: the table holds a member's
	 * recent confirmations, not every one ever asked for.
	 */
	public void insertConfirmation(String brandId, String id, String memberKind, String memberValue, String addedKind,
			String addedValue, long holder, String method, byte @Nullable [] codeHash, Instant now, Instant expiresAt) {
		this.jdbc
			.sql("""
					with forgotten as (
					    delete from network_link_confirmations
					    where brand_id = :brand and member_kind = :memberKind and member_value = :memberValue
					      and expires_at < :forgetBefore
					)
					insert into network_link_confirmations (brand_id, id, member_kind, member_value, added_kind, added_value,
					                                        holder, method, code_hash, created_at, expires_at)
					values (:brand, :id, :memberKind, :memberValue, :addedKind, :addedValue, :holder, :method, :hash, :now,
					        :expires)
					""")
			.param("brand", brandId)
			.param("id", id)
			.param("memberKind", memberKind)
			.param("memberValue", memberValue)
			.param("addedKind", addedKind)
			.param("addedValue", addedValue)
			.param("holder", holder)
			.param("method", method)
			.param("hash", codeHash, java.sql.Types.BINARY)
			.param("forgetBefore", utc(now.minus(CONFIRMATIONS_KEPT_AFTER_EXPIRY)))
			.param("now", utc(now))
			.param("expires", utc(expiresAt))
			.update();
	}

	/**
	 * The member's confirmations by {@code method} that are still open: not answered, not
	 * expired, and not voided by {@code maxAttempts} wrong codes.
	 */
	public int openConfirmations(String brandId, String memberKind, String memberValue, String method, Instant now,
			int maxAttempts) {
		return this.jdbc.sql("""
				select count(*) from network_link_confirmations
				where brand_id = :brand and member_kind = :kind and member_value = :value and method = :method
				  and confirmed_at is null and declined_at is null and expires_at > :now and attempts < :attempts
				""")
			.param("brand", brandId)
			.param("kind", memberKind)
			.param("value", memberValue)
			.param("method", method)
			.param("now", utc(now))
			.param("attempts", maxAttempts)
			.query(Integer.class)
			.single();
	}

	public Optional<StoredConfirmation> lockConfirmation(String brandId, String id) {
		return this.jdbc.sql("""
				select member_kind, member_value, added_kind, added_value, holder, code_hash, attempts, expires_at,
				       confirmed_at is not null as confirmed, declined_at is not null as declined
				from network_link_confirmations where brand_id = :brand and id = :id for update
				""")
			.param("brand", brandId)
			.param("id", id)
			.query((rs, row) -> new StoredConfirmation(rs.getString("member_kind"), rs.getString("member_value"),
					rs.getString("added_kind"), rs.getString("added_value"), rs.getLong("holder"),
					rs.getBytes("code_hash"), rs.getInt("attempts"),
					rs.getObject("expires_at", OffsetDateTime.class).toInstant(), rs.getBoolean("confirmed"),
					rs.getBoolean("declined")))
			.optional();
	}

	/**
	 * Open confirmations whose identity this person holds now (the person asked, or one
	 * merged into them since).
	 */
	public java.util.List<Waiting> waitingFor(long personId, Instant now) {
		return this.jdbc.sql("""
				select c.brand_id, c.id, c.added_kind, c.added_value, c.expires_at
				from network_link_confirmations c
				join person_identities p on p.kind = c.added_kind and p.value = c.added_value
				where p.person_id = :person and c.confirmed_at is null and c.declined_at is null and c.expires_at > :now
				order by c.created_at desc limit 10
				""")
			.param("person", personId)
			.param("now", utc(now))
			.query((rs, row) -> new Waiting(rs.getString("brand_id"), rs.getString("id"), rs.getString("added_kind"),
					rs.getString("added_value"), rs.getObject("expires_at", OffsetDateTime.class).toInstant()))
			.list();
	}

	public void declined(String brandId, String id, Instant now) {
		this.jdbc.sql("update network_link_confirmations set declined_at = :now where brand_id = :brand and id = :id")
			.param("brand", brandId)
			.param("id", id)
			.param("now", utc(now))
			.update();
	}

	public void failedAttempt(String brandId, String id) {
		this.jdbc
			.sql("update network_link_confirmations set attempts = attempts + 1 where brand_id = :brand and id = :id")
			.param("brand", brandId)
			.param("id", id)
			.update();
	}

	public void confirmed(String brandId, String id, Instant now) {
		this.jdbc.sql("update network_link_confirmations set confirmed_at = :now where brand_id = :brand and id = :id")
			.param("brand", brandId)
			.param("id", id)
			.param("now", utc(now))
			.update();
	}

	/**
	 * Forgets up to {@code limit} link confirmations, of any member, that expired before
	 * {@code before}; returns how many.
	 */
	int pruneConfirmations(Instant before, int limit) {
		return Pruning.deleteBefore(this.jdbc, "network_link_confirmations", "expires_at", before, limit);
	}

	private static OffsetDateTime utc(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

	public record StoredCode(long personId, @Nullable Long maxAmount, Instant expiresAt, boolean used) {
	}

	public record StoredConfirmation(String memberKind, String memberValue, String addedKind, String addedValue,
			long holder, byte @Nullable [] codeHash, int attempts, Instant expiresAt, boolean confirmed,
			boolean declined) {
	}

	/** A confirmation waiting for its holder. */
	public record Waiting(String brandId, String id, String addedKind, String addedValue, Instant expiresAt) {
	}

}
