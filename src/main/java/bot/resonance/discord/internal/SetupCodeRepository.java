package bot.resonance.discord.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

import bot.resonance.platform.db.Pruning;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The SQL of setup codes and of the tries to use them. */
@Component
class SetupCodeRepository {

	private final JdbcClient jdbc;

	SetupCodeRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * How long a code is kept once expired (used or not), so that it is still refused as
	 * used or expired rather than unknown.
	 */
	static final Duration KEPT_AFTER_EXPIRY = Duration.ofDays(30);

	/**
	 * Stores a new code and forgets the brand's codes that expired more than
	 * {@link #KEPT_AFTER_EXPIRY} ago: the table holds a brand's recent codes, not every
	 * code it ever asked for.
	 */
	void insert(byte[] hash, String brandId, Instant now, Instant expiresAt) {
		this.jdbc.sql("""
				with forgotten as (
				    delete from discord_setup_codes where brand_id = :brand and expires_at < :forgetBefore
				)
				insert into discord_setup_codes (code_hash, brand_id, created_at, expires_at)
				values (:hash, :brand, :now, :expires)
				""")
			.param("hash", hash)
			.param("brand", brandId)
			.param("forgetBefore", utc(now.minus(KEPT_AFTER_EXPIRY)))
			.param("now", utc(now))
			.param("expires", utc(expiresAt))
			.update();
	}

	/**
	 * Forgets up to {@code limit} codes, of any brand, that expired before
	 * {@code before}; returns how many.
	 */
	int pruneExpired(Instant before, int limit) {
		return Pruning.deleteBefore(this.jdbc, "discord_setup_codes", "expires_at", before, limit);
	}

	/** The brand's codes that are neither used nor expired. */
	int liveCodes(String brandId, Instant now) {
		return this.jdbc.sql("""
				select count(*) from discord_setup_codes
				where brand_id = :brand and used_at is null and expires_at > :now
				""").param("brand", brandId).param("now", utc(now)).query(Integer.class).single();
	}

	/** When the brand's first unused code expires (now, if it has none). */
	Instant firstExpiry(String brandId, Instant now) {
		return this.jdbc.sql("""
				select min(expires_at) from discord_setup_codes
				where brand_id = :brand and used_at is null and expires_at > :now
				""").param("brand", brandId).param("now", utc(now)).query((rs, row) -> {
			OffsetDateTime first = rs.getObject(1, OffsetDateTime.class);
			return (first != null) ? first.toInstant() : now;
		}).single();
	}

	/**
	 * Holds the brand's row so that two requests cannot both pass the live-code limit.
	 */
	void lockBrand(String brandId) {
		this.jdbc.sql("select brand_id from brands where brand_id = :brand for update")
			.param("brand", brandId)
			.query(String.class)
			.optional();
	}

	Optional<StoredCode> find(byte[] hash) {
		return this.jdbc.sql(
				"select brand_id, expires_at, used_at is not null as used from discord_setup_codes where code_hash = :hash")
			.param("hash", hash)
			.query((rs, row) -> new StoredCode(rs.getString("brand_id"),
					rs.getObject("expires_at", OffsetDateTime.class).toInstant(), rs.getBoolean("used")))
			.optional();
	}

	/**
	 * Uses the code up for a guild, if it is still unused and unexpired: one guild gets
	 * it, however many try at once.
	 * @return the code's brand, if this call used it
	 */
	Optional<String> use(byte[] hash, String guildId, String userId, Instant now) {
		return this.jdbc.sql("""
				update discord_setup_codes set used_at = :now, guild_id = :guild, used_by = :user
				where code_hash = :hash and used_at is null and expires_at > :now
				returning brand_id
				""")
			.param("hash", hash)
			.param("guild", guildId)
			.param("user", userId)
			.param("now", utc(now))
			.query(String.class)
			.optional();
	}

	/** Records a try (before it is checked, so tries at once count each other). */
	long attempt(String guildId, String userId, Instant now) {
		return this.jdbc.sql("""
				insert into discord_setup_attempts (guild_id, user_id, attempted_at) values (:guild, :user, :now)
				returning id
				""").param("guild", guildId).param("user", userId).param("now", utc(now)).query(Long.class).single();
	}

	/** A try that connected the server does not count against anyone. */
	void forget(long attemptId) {
		this.jdbc.sql("delete from discord_setup_attempts where id = :id").param("id", attemptId).update();
	}

	/** The tries in the guild, and by the user, since {@code since}. */
	Tries tries(String guildId, String userId, Instant since) {
		return this.jdbc.sql("""
				select (select count(*) from discord_setup_attempts where guild_id = :guild and attempted_at > :since)
				           as by_guild,
				       (select count(*) from discord_setup_attempts where user_id = :user and attempted_at > :since)
				           as by_user
				""")
			.param("guild", guildId)
			.param("user", userId)
			.param("since", utc(since))
			.query((rs, row) -> new Tries(rs.getInt("by_guild"), rs.getInt("by_user")))
			.single();
	}

	/**
	 * When the {@code skip}+1-th oldest try since {@code since}, in the guild (or by the
	 * user), was made.
	 */
	Optional<Instant> nthTry(boolean byGuild, String id, Instant since, int skip) {
		String sql = byGuild ? """
				select attempted_at from discord_setup_attempts where guild_id = :id and attempted_at > :since
				order by attempted_at offset :skip limit 1
				""" : """
				select attempted_at from discord_setup_attempts where user_id = :id and attempted_at > :since
				order by attempted_at offset :skip limit 1
				""";
		return this.jdbc.sql(sql)
			.param("id", id)
			.param("since", utc(since))
			.param("skip", Math.max(0, skip))
			.query((rs, row) -> rs.getObject("attempted_at", OffsetDateTime.class).toInstant())
			.optional();
	}

	/** Forgets tries older than the window, a few at a time. */
	int prune(Instant before, int limit) {
		return Pruning.deleteBefore(this.jdbc, "discord_setup_attempts", "attempted_at", before, limit);
	}

	private static OffsetDateTime utc(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

	record StoredCode(String brandId, Instant expiresAt, boolean used) {
	}

	record Tries(int byGuild, int byUser) {
	}

}
