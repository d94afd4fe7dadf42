package bot.resonance.discord.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import bot.resonance.platform.db.Pruning;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The Discord module's SQL: guild bindings, registrations, locks, the interaction log.
 */
@Component
public class DiscordRepository {

	private final JdbcClient jdbc;

	DiscordRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Binds a guild to a brand unless it is bound; returns the brand it is bound to. */
	public String bind(String guildId, String brandId, Instant now) {
		this.jdbc.sql("""
				insert into discord_guilds (guild_id, brand_id, bound_at) values (:guild, :brand, :now)
				on conflict (guild_id) do nothing
				""").param("guild", guildId).param("brand", brandId).param("now", utc(now)).update();
		return brandOf(guildId).orElseThrow();
	}

	public boolean unbind(String brandId, String guildId) {
		return this.jdbc.sql("delete from discord_guilds where guild_id = :guild and brand_id = :brand")
			.param("guild", guildId)
			.param("brand", brandId)
			.update() > 0;
	}

	public List<Bound> guilds(String brandId) {
		return this.jdbc
			.sql("select guild_id, bound_at from discord_guilds where brand_id = :brand order by bound_at, guild_id")
			.param("brand", brandId)
			.query((rs, row) -> new Bound(rs.getString("guild_id"),
					rs.getObject("bound_at", OffsetDateTime.class).toInstant()))
			.list();
	}

	public Optional<String> brandOf(String guildId) {
		return this.jdbc.sql("select brand_id from discord_guilds where guild_id = :guild")
			.param("guild", guildId)
			.query(String.class)
			.optional();
	}

	/**
	 * Whether an interaction registers the user with the guild's brand again, so that it
	 * becomes the brand of their DMs: {@code /register} in a server does; other commands
	 * register a user only the first time.
	 */
	private static boolean reregisters(@Nullable String guildId, int type, @Nullable String name) {
		return guildId != null && type == 2 && "register".equals(name);
	}

	/**
	 * Steps 1 to 4 in one statement: takes the interaction's lock for {@code ttl} unless
	 * another delivery holds it (an expired lock is taken over); finds its tenant — the
	 * guild's brand, or without a guild the brand the user registered with last; and, if
	 * it took the lock and found a tenant, registers the user with it (in a guild) and
	 * logs the interaction.
	 */
	public Claimed claim(String interactionId, Instant now, Duration ttl, @Nullable String guildId, String userId,
			int type, @Nullable String name, String payload) {
		String tenant = (guildId != null) ? "select brand_id from discord_guilds where guild_id = :guild" : """
				select brand_id from discord_registrations where user_id = :user
				order by registered_at desc, brand_id limit 1""";
		return this.jdbc.sql("""
				with locked as (
				    insert into discord_interaction_locks (interaction_id, expires_at) values (:id, :expires)
				    on conflict (interaction_id) do update set expires_at = excluded.expires_at
				    where discord_interaction_locks.expires_at <= :now
				    returning interaction_id
				), tenant as (
				    select (%s) as brand_id
				), claimed as (
				    select t.brand_id from tenant t where t.brand_id is not null and exists (select 1 from locked)
				), registered as (
				    insert into discord_registrations (brand_id, user_id, registered_at)
				    select brand_id, :user, :now from claimed where :registers
				    on conflict (brand_id, user_id) do update set registered_at = excluded.registered_at
				    where :reregisters
				), logged as (
				    insert into discord_interactions (brand_id, interaction_id, type, user_id, guild_id, name, payload,
				                                      received_at)
				    select brand_id, :id, :type, :user, :guild, :name, :payload::jsonb, :now from claimed
				    on conflict (brand_id, interaction_id) do nothing
				    returning 1
				)
				select exists (select 1 from locked) as locked, (select brand_id from tenant) as brand_id,
				       exists (select 1 from logged) as logged
				""".formatted(tenant))
			.param("id", interactionId)
			.param("expires", utc(now.plus(ttl)))
			.param("now", utc(now))
			.param("guild", guildId)
			.param("user", userId)
			.param("registers", guildId != null)
			.param("reregisters", reregisters(guildId, type, name))
			.param("type", type)
			.param("name", name)
			.param("payload", payload)
			.query((rs, row) -> new Claimed(rs.getBoolean("locked"), rs.getString("brand_id"), rs.getBoolean("logged")))
			.single();
	}

	/**
	 * Steps 3 and 4 in one statement: registers the user with the brand when
	 * {@code guildId} is given, and logs the interaction; false if it was logged before
	 * (a duplicate delivery).
	 */
	public boolean registerAndLog(String brandId, String interactionId, int type, String userId,
			@Nullable String guildId, @Nullable String name, String payload, Instant now) {
		return this.jdbc.sql("""
				with registered as (
				    insert into discord_registrations (brand_id, user_id, registered_at)
				    select :brand, :user, :now where :registers
				    on conflict (brand_id, user_id) do update set registered_at = excluded.registered_at
				    where :reregisters),
				logged as (
				    insert into discord_interactions (brand_id, interaction_id, type, user_id, guild_id, name, payload,
				                                      received_at)
				    values (:brand, :id, :type, :user, :guild, :name, :payload::jsonb, :now)
				    on conflict (brand_id, interaction_id) do nothing
				    returning 1)
				select count(*) from logged
				""")
			.param("brand", brandId)
			.param("id", interactionId)
			.param("type", type)
			.param("user", userId)
			.param("guild", guildId)
			.param("registers", guildId != null)
			.param("reregisters", reregisters(guildId, type, name))
			.param("name", name)
			.param("payload", payload)
			.param("now", utc(now))
			.query(Long.class)
			.single() > 0;
	}

	public int pruneLocks(Instant before, int limit) {
		return Pruning.deleteBefore(this.jdbc, "discord_interaction_locks", "expires_at", before, limit);
	}

	public int pruneLog(Instant before, int limit) {
		return Pruning.deleteBefore(this.jdbc, "discord_interactions", "received_at", before, limit);
	}

	private static OffsetDateTime utc(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

	/**
	 * What became of an interaction's first four steps.
	 *
	 * @param locked whether this delivery took the lock
	 * @param brandId the tenant, if there is one
	 * @param logged whether it was logged now (false: not locked, no tenant, or logged
	 * before — a duplicate)
	 */
	public record Claimed(boolean locked, @Nullable String brandId, boolean logged) {
	}

	/** A guild bound to a brand. */
	public record Bound(String guildId, Instant boundAt) {
	}

}
