package bot.resonance.portal.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The SQL of portal users and their invitations. */
@Component
class PortalUserRepository {

	private final JdbcClient jdbc;

	PortalUserRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	Optional<PortalPrincipal> findByEmail(String email) {
		return this.jdbc.sql("select id, brand_id, email, role, password_hash from portal_users where email = :email")
			.param("email", email)
			.query((rs, row) -> new PortalPrincipal(rs.getString("id"), rs.getString("brand_id"), rs.getString("email"),
					PortalRole.valueOf(rs.getString("role").toUpperCase(Locale.ROOT)), rs.getString("password_hash")))
			.optional();
	}

	boolean emailTaken(String email) {
		return this.jdbc.sql("select exists (select 1 from portal_users where email = :email)")
			.param("email", email)
			.query(Boolean.class)
			.single();
	}

	/** Adds the user unless the email is taken; whether it was added. */
	boolean insertUser(String id, String brandId, String email, String passwordHash, PortalRole role, Instant now) {
		return this.jdbc.sql("""
				insert into portal_users (id, brand_id, email, password_hash, role, created_at, last_sign_in_at)
				values (:id, :brand, :email, :hash, :role, :now, :now)
				on conflict (email) do nothing
				""")
			.param("id", id)
			.param("brand", brandId)
			.param("email", email)
			.param("hash", passwordHash)
			.param("role", role.value())
			.param("now", utc(now))
			.update() == 1;
	}

	void recordSignIn(String userId, Instant now) {
		this.jdbc.sql("update portal_users set last_sign_in_at = :now where id = :id")
			.param("id", userId)
			.param("now", utc(now))
			.update();
	}

	void insertInvitation(String id, String tokenHash, String brandId, String email, PortalRole role, Instant now,
			Instant expiresAt) {
		this.jdbc.sql("""
				insert into portal_invitations (id, token_hash, brand_id, email, role, created_at, expires_at)
				values (:id, :hash, :brand, :email, :role, :now, :expires)
				""")
			.param("id", id)
			.param("hash", tokenHash)
			.param("brand", brandId)
			.param("email", email)
			.param("role", role.value())
			.param("now", utc(now))
			.param("expires", utc(expiresAt))
			.update();
	}

	/** The invitation with this token hash if it is unused and unexpired. */
	Optional<Invitation> usableInvitation(String tokenHash, Instant now) {
		return this.jdbc.sql("""
				select id, brand_id, email, role, expires_at from portal_invitations
				where token_hash = :hash and used_at is null and expires_at > :now
				""").param("hash", tokenHash).param("now", utc(now)).query(PortalUserRepository::invitation).optional();
	}

	/** Uses the invitation up, if it is still usable: one caller gets it. */
	Optional<Invitation> useInvitation(String tokenHash, Instant now) {
		return this.jdbc.sql("""
				update portal_invitations set used_at = :now
				where token_hash = :hash and used_at is null and expires_at > :now
				returning id, brand_id, email, role, expires_at
				""").param("hash", tokenHash).param("now", utc(now)).query(PortalUserRepository::invitation).optional();
	}

	private static Invitation invitation(ResultSet rs, int row) throws SQLException {
		return new Invitation(rs.getString("id"), rs.getString("brand_id"), rs.getString("email"),
				PortalRole.valueOf(rs.getString("role").toUpperCase(Locale.ROOT)),
				rs.getObject("expires_at", OffsetDateTime.class).toInstant());
	}

	// ---- sign-in failures

	long failuresSince(String key, Instant since) {
		return this.jdbc.sql("select count(*) from portal_sign_in_failures where key = :key and failed_at > :since")
			.param("key", key)
			.param("since", utc(since))
			.query(Long.class)
			.single();
	}

	void recordFailure(String key, Instant now, Instant forgetBefore) {
		this.jdbc.sql("delete from portal_sign_in_failures where key = :key and failed_at <= :before")
			.param("key", key)
			.param("before", utc(forgetBefore))
			.update();
		this.jdbc.sql("insert into portal_sign_in_failures (key, failed_at) values (:key, :now)")
			.param("key", key)
			.param("now", utc(now))
			.update();
	}

	void clearFailures(String key) {
		this.jdbc.sql("delete from portal_sign_in_failures where key = :key").param("key", key).update();
	}

	private static OffsetDateTime utc(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

	record Invitation(String id, String brandId, String email, PortalRole role, Instant expiresAt) {
	}

}
