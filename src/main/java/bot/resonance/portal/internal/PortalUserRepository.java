package bot.resonance.portal.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import bot.resonance.platform.crypto.SealedSecrets;
import bot.resonance.platform.crypto.SecretSealer;
import bot.resonance.platform.db.Pruning;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The SQL of portal users, their invitations and password-reset links. The TOTP secrets
 * it stores come sealed ({@link SecretSealer}, purpose {@link #TOTP_SECRET}); it reseals
 * them at start-up like the other modules' secrets.
 */
@Component
class PortalUserRepository implements SealedSecrets {

	/** What a sealed TOTP secret is for: it opens for this purpose only. */
	static final String TOTP_SECRET = "portal TOTP secret";

	private static final String USER_COLUMNS = "id, brand_id, email, role, password_hash, session_version, "
			+ "totp_secret is not null as two_factor";

	private static final String ROW_COLUMNS = "id, email, role, created_at, last_sign_in_at, "
			+ "totp_secret is not null as two_factor";

	private final JdbcClient jdbc;

	PortalUserRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public int reseal(SecretSealer sealer) {
		return sealer.reseal(this.jdbc, "portal_users", "totp_secret", TOTP_SECRET);
	}

	Optional<PortalPrincipal> findByEmail(String email) {
		return this.jdbc.sql("select " + USER_COLUMNS + " from portal_users where email = :email")
			.param("email", email)
			.query(PortalUserRepository::principal)
			.optional();
	}

	/** The user as they are now, with their password hash. */
	Optional<PortalPrincipal> findById(String userId) {
		return this.jdbc.sql("select " + USER_COLUMNS + " from portal_users where id = :id")
			.param("id", userId)
			.query(PortalUserRepository::principal)
			.optional();
	}

	private static PortalPrincipal principal(ResultSet rs, int row) throws SQLException {
		return new PortalPrincipal(rs.getString("id"), rs.getString("brand_id"), rs.getString("email"), role(rs),
				rs.getString("password_hash"), rs.getLong("session_version"), rs.getBoolean("two_factor"));
	}

	/** The brand's users, by email. */
	List<UserRow> users(String brandId) {
		return this.jdbc.sql("select " + ROW_COLUMNS + " from portal_users where brand_id = :brand order by email")
			.param("brand", brandId)
			.query(PortalUserRepository::userRow)
			.list();
	}

	/**
	 * The brand's users, locked until the transaction ends: two admins demoting or
	 * removing each other at once cannot leave the brand without one.
	 */
	List<UserRow> lockUsers(String brandId) {
		return this.jdbc
			.sql("select " + ROW_COLUMNS + " from portal_users where brand_id = :brand order by id for update")
			.param("brand", brandId)
			.query(PortalUserRepository::userRow)
			.list();
	}

	private static UserRow userRow(ResultSet rs, int row) throws SQLException {
		OffsetDateTime lastSignIn = rs.getObject("last_sign_in_at", OffsetDateTime.class);
		return new UserRow(rs.getString("id"), rs.getString("email"), role(rs),
				rs.getObject("created_at", OffsetDateTime.class).toInstant(),
				(lastSignIn != null) ? lastSignIn.toInstant() : null, rs.getBoolean("two_factor"));
	}

	private static PortalRole role(ResultSet rs) throws SQLException {
		return PortalRole.valueOf(rs.getString("role").toUpperCase(Locale.ROOT));
	}

	void updateRole(String brandId, String userId, PortalRole role) {
		this.jdbc.sql("update portal_users set role = :role where id = :id and brand_id = :brand")
			.param("role", role.value())
			.param("id", userId)
			.param("brand", brandId)
			.update();
	}

	void deleteUser(String brandId, String userId) {
		this.jdbc.sql("delete from portal_users where id = :id and brand_id = :brand")
			.param("id", userId)
			.param("brand", brandId)
			.update();
	}

	/**
	 * Sets a new password and raises the session version, which ends every session signed
	 * in with the old one, and uses up the user's open reset links.
	 * @return the new session version, if the user still exists
	 */
	Optional<Long> setPassword(String userId, String passwordHash, Instant now) {
		Optional<Long> version = this.jdbc.sql("""
				update portal_users set password_hash = :hash, session_version = session_version + 1
				where id = :id returning session_version
				""").param("hash", passwordHash).param("id", userId).query(Long.class).optional();
		this.jdbc.sql("update portal_password_resets set used_at = :now where user_id = :user and used_at is null")
			.param("user", userId)
			.param("now", utc(now))
			.update();
		return version;
	}

	/** Raises the session version, ending every session signed in with an older one. */
	Optional<Long> newSessionVersion(String userId) {
		return this.jdbc.sql(
				"update portal_users set session_version = session_version + 1 where id = :id returning session_version")
			.param("id", userId)
			.query(Long.class)
			.optional();
	}

	// ---- two-factor sign-in

	/** The user's sealed TOTP secret, if two-factor sign-in is on. */
	Optional<String> totpSecret(String userId) {
		return this.jdbc.sql("select totp_secret from portal_users where id = :id and totp_secret is not null")
			.param("id", userId)
			.query(String.class)
			.optional();
	}

	/**
	 * Turns two-factor sign-in on, unless it is on already; a code of {@code step}
	 * confirmed it. Whether it was turned on.
	 */
	boolean enableTotp(String userId, String sealedSecret, long step) {
		return this.jdbc.sql("""
				update portal_users set totp_secret = :secret, totp_last_step = :step
				where id = :id and totp_secret is null
				""").param("secret", sealedSecret).param("step", step).param("id", userId).update() == 1;
	}

	void disableTotp(String userId) {
		this.jdbc.sql("update portal_users set totp_secret = null, totp_last_step = null where id = :id")
			.param("id", userId)
			.update();
	}

	/**
	 * Records that a code of {@code step} was used, unless a code of it or of a later
	 * step was already: whether the code may be accepted. One caller wins a race.
	 */
	boolean useTotpStep(String userId, long step) {
		return this.jdbc.sql("""
				update portal_users set totp_last_step = :step
				where id = :id and totp_secret is not null and (totp_last_step is null or totp_last_step < :step)
				""").param("step", step).param("id", userId).update() == 1;
	}

	// ---- password resets

	/**
	 * How long a reset link is kept once expired (used or not), so that it is still
	 * refused as used or expired rather than unknown.
	 */
	static final Duration RESETS_KEPT_AFTER_EXPIRY = Duration.ofDays(30);

	/**
	 * Stores a new reset link and forgets the user's links that expired more than
	 * {@link #RESETS_KEPT_AFTER_EXPIRY} ago: the table holds a user's recent links, not
	 * every link ever sent.
	 */
	void insertReset(String id, String tokenHash, String userId, Instant now, Instant expiresAt) {
		this.jdbc.sql("""
				with forgotten as (
				    delete from portal_password_resets where user_id = :user and expires_at < :forgetBefore
				)
				insert into portal_password_resets (id, token_hash, user_id, created_at, expires_at)
				values (:id, :hash, :user, :now, :expires)
				""")
			.param("id", id)
			.param("hash", tokenHash)
			.param("user", userId)
			.param("forgetBefore", utc(now.minus(RESETS_KEPT_AFTER_EXPIRY)))
			.param("now", utc(now))
			.param("expires", utc(expiresAt))
			.update();
	}

	/** The user of the reset link with this token hash, if it is unused and unexpired. */
	Optional<String> usableReset(String tokenHash, Instant now) {
		return this.jdbc.sql("""
				select user_id from portal_password_resets
				where token_hash = :hash and used_at is null and expires_at > :now
				""").param("hash", tokenHash).param("now", utc(now)).query(String.class).optional();
	}

	/** Uses the reset link up, if it is still usable: one caller gets its user. */
	Optional<String> useReset(String tokenHash, Instant now) {
		return this.jdbc.sql("""
				update portal_password_resets set used_at = :now
				where token_hash = :hash and used_at is null and expires_at > :now
				returning user_id
				""").param("hash", tokenHash).param("now", utc(now)).query(String.class).optional();
	}

	// ---- invitations

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

	/** The brand's invitations that can still be used, newest first. */
	List<OpenInvitation> openInvitations(String brandId, Instant now) {
		return this.jdbc.sql("""
				select id, email, role, created_at, expires_at from portal_invitations
				where brand_id = :brand and used_at is null and expires_at > :now
				order by created_at desc, id desc
				""")
			.param("brand", brandId)
			.param("now", utc(now))
			.query((rs, row) -> new OpenInvitation(rs.getString("id"), rs.getString("email"), role(rs),
					rs.getObject("created_at", OffsetDateTime.class).toInstant(),
					rs.getObject("expires_at", OffsetDateTime.class).toInstant()))
			.list();
	}

	/** Deletes the brand's unused invitation; whether there was one. */
	boolean revokeInvitation(String brandId, String invitationId) {
		return this.jdbc.sql("delete from portal_invitations where id = :id and brand_id = :brand and used_at is null")
			.param("id", invitationId)
			.param("brand", brandId)
			.update() == 1;
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

	/**
	 * Forgets up to {@code limit} failures (of any key) recorded before {@code before}.
	 */
	int pruneFailures(Instant before, int limit) {
		return Pruning.deleteBefore(this.jdbc, "portal_sign_in_failures", "failed_at", before, limit);
	}

	/**
	 * Forgets up to {@code limit} password-reset links, of any user, that expired before
	 * {@code before}; returns how many.
	 */
	int pruneResets(Instant before, int limit) {
		return Pruning.deleteBefore(this.jdbc, "portal_password_resets", "expires_at", before, limit);
	}

	private static OffsetDateTime utc(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

	/** A user as the Users page lists them. */
	record UserRow(String id, String email, PortalRole role, Instant createdAt, @Nullable Instant lastSignInAt,
			boolean twoFactor) {
	}

	/** An invitation that can still be used, as the Users page lists it. */
	record OpenInvitation(String id, String email, PortalRole role, Instant createdAt, Instant expiresAt) {
	}

	record Invitation(String id, String brandId, String email, PortalRole role, Instant expiresAt) {
	}

}
