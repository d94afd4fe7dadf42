package bot.resonance.webhooks.internal;

import bot.resonance.webhooks.Endpoint;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import bot.resonance.platform.crypto.SealedSecrets;
import bot.resonance.platform.crypto.SecretSealer;
import bot.resonance.platform.db.TransactionLocks;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Endpoints, their secrets and brands' webhook settings. Signing secrets are HMAC keys,
 * kept readable but sealed when a sealing key is set.
 */
@Component
public class EndpointRepository implements SealedSecrets {

	private static final String COLUMNS = """
			brand_id, id, url, description, event_types, enabled, paused, disabled_reason, failing_since, created_at,
			updated_at""";

	private final JdbcClient jdbc;

	private static final String SECRET_PURPOSE = "webhook signing secret";

	private final SecretSealer sealer;

	EndpointRepository(JdbcClient jdbc, SecretSealer sealer) {
		this.jdbc = jdbc;
		this.sealer = sealer;
	}

	@Override
	public int reseal(SecretSealer sealer) {
		return sealer.reseal(this.jdbc, "webhook_secrets", "secret", SECRET_PURPOSE);
	}

	/**
	 * How many endpoints the brand has, counted under a lock that serialises endpoint
	 * creation per brand until the transaction ends (so a cap holds under races).
	 */
	public int countLocked(String brandId) {
		TransactionLocks.lock(this.jdbc, "webhook_endpoints:" + brandId);
		return this.jdbc.sql("select count(*) from webhook_endpoints where brand_id = :brand")
			.param("brand", brandId)
			.query(Integer.class)
			.single();
	}

	public void insert(Endpoint endpoint) {
		this.jdbc.sql("""
				insert into webhook_endpoints (%s)
				values (:brand, :id, :url, :description, :eventTypes::text[], :enabled, :paused, null, null, :createdAt,
				        :updatedAt)
				""".formatted(COLUMNS))
			.param("brand", endpoint.brandId())
			.param("id", endpoint.id())
			.param("url", endpoint.url())
			.param("description", endpoint.description())
			.param("eventTypes", (endpoint.eventTypes() != null) ? endpoint.eventTypes().toArray(String[]::new) : null)
			.param("enabled", endpoint.enabled())
			.param("paused", endpoint.paused())
			.param("createdAt", utc(endpoint.createdAt()))
			.param("updatedAt", utc(endpoint.updatedAt()))
			.update();
	}

	public void update(Endpoint endpoint) {
		this.jdbc.sql("""
				update webhook_endpoints
				set url = :url, description = :description, event_types = :eventTypes::text[], enabled = :enabled,
				    paused = :paused, disabled_reason = :disabledReason, failing_since = :failingSince,
				    updated_at = :updatedAt
				where brand_id = :brand and id = :id
				""")
			.param("brand", endpoint.brandId())
			.param("id", endpoint.id())
			.param("url", endpoint.url())
			.param("description", endpoint.description())
			.param("eventTypes", (endpoint.eventTypes() != null) ? endpoint.eventTypes().toArray(String[]::new) : null)
			.param("enabled", endpoint.enabled())
			.param("paused", endpoint.paused())
			.param("disabledReason", endpoint.disabledReason())
			.param("failingSince", (endpoint.failingSince() != null) ? utc(endpoint.failingSince()) : null)
			.param("updatedAt", utc(endpoint.updatedAt()))
			.update();
	}

	public Optional<Endpoint> find(String brandId, UUID id, boolean lock) {
		return this.jdbc
			.sql("select " + COLUMNS + " from webhook_endpoints where brand_id = :brand and id = :id"
					+ (lock ? " for update" : ""))
			.param("brand", brandId)
			.param("id", id)
			.query(EndpointRepository::endpoint)
			.optional();
	}

	/** A brand's endpoints, oldest first, after {@code startingAfter} if given. */
	public List<Endpoint> list(String brandId, @Nullable UUID startingAfter, int limit) {
		return this.jdbc.sql("""
				select %s from webhook_endpoints
				where brand_id = :brand
				  and (:after::uuid is null
				       or (created_at, id) > (select created_at, id from webhook_endpoints
				                              where brand_id = :brand and id = :after::uuid))
				order by created_at, id
				limit :limit
				""".formatted(COLUMNS))
			.param("brand", brandId)
			.param("after", startingAfter)
			.param("limit", limit)
			.query(EndpointRepository::endpoint)
			.list();
	}

	public List<Endpoint> all(String brandId) {
		return this.jdbc
			.sql("select " + COLUMNS + " from webhook_endpoints where brand_id = :brand order by created_at, id")
			.param("brand", brandId)
			.query(EndpointRepository::endpoint)
			.list();
	}

	public void delete(String brandId, UUID id) {
		this.jdbc.sql("""
				delete from webhook_attempts a using webhook_deliveries d
				where d.brand_id = :brand and d.endpoint_id = :id and a.brand_id = d.brand_id and a.delivery_id = d.id
				""").param("brand", brandId).param("id", id).update();
		this.jdbc.sql("delete from webhook_queue where brand_id collate \"C\" = :brand and endpoint_id = :id")
			.param("brand", brandId)
			.param("id", id)
			.update();
		this.jdbc.sql("delete from webhook_deliveries where brand_id = :brand and endpoint_id = :id")
			.param("brand", brandId)
			.param("id", id)
			.update();
		this.jdbc.sql("delete from webhook_endpoints where brand_id = :brand and id = :id")
			.param("brand", brandId)
			.param("id", id)
			.update();
	}

	/** Secrets of the brand's endpoints, newest first. */
	public Map<UUID, List<Secret>> secrets(String brandId) {
		Map<UUID, List<Secret>> secrets = new HashMap<>();
		this.jdbc.sql("""
				select endpoint_id, secret, expires_at from webhook_secrets where brand_id = :brand
				order by endpoint_id, id desc
				""")
			.param("brand", brandId)
			.query((rs, row) -> secrets
				.computeIfAbsent(rs.getObject("endpoint_id", UUID.class), (id) -> new java.util.ArrayList<>())
				.add(new Secret(this.sealer.open(SECRET_PURPOSE, rs.getString("secret")), instant(rs, "expires_at"))))
			.list();
		return secrets;
	}

	public void insertSecret(String brandId, UUID endpointId, String secret, Instant now) {
		this.jdbc
			.sql("""
					insert into webhook_secrets (brand_id, endpoint_id, secret, created_at) values (:brand, :id, :secret, :now)
					""")
			.param("brand", brandId)
			.param("id", endpointId)
			.param("secret", this.sealer.seal(SECRET_PURPOSE, secret))
			.param("now", utc(now))
			.update();
	}

	/** Lets every current secret of the endpoint expire at {@code expiresAt}. */
	public void expireSecrets(String brandId, UUID endpointId, Instant now, Instant expiresAt) {
		this.jdbc.sql("""
				update webhook_secrets set expires_at = least(coalesce(expires_at, :expiresAt), :expiresAt)
				where brand_id = :brand and endpoint_id = :id and (expires_at is null or expires_at > :now)
				""")
			.param("expiresAt", utc(expiresAt))
			.param("brand", brandId)
			.param("id", endpointId)
			.param("now", utc(now))
			.update();
	}

	public @Nullable Long balanceChangeThreshold(String brandId) {
		return this.jdbc.sql("select balance_change_threshold from webhook_settings where brand_id = :brand")
			.param("brand", brandId)
			.query((rs, row) -> (Long) rs.getObject(1))
			.optional()
			.orElse(null);
	}

	public void saveBalanceChangeThreshold(String brandId, @Nullable Long threshold, Instant now) {
		this.jdbc
			.sql("""
					insert into webhook_settings (brand_id, balance_change_threshold, updated_at) values (:brand, :threshold, :now)
					on conflict (brand_id) do update
					set balance_change_threshold = excluded.balance_change_threshold, updated_at = excluded.updated_at
					""")
			.param("brand", brandId)
			.param("threshold", threshold)
			.param("now", utc(now))
			.update();
	}

	/** Endpoints of several brands by id, for the workers' consistency checks. */
	public Map<UUID, Endpoint> byIds(Collection<UUID> ids) {
		Map<UUID, Endpoint> found = new HashMap<>();
		if (ids.isEmpty()) {
			return found;
		}
		this.jdbc.sql("select " + COLUMNS + " from webhook_endpoints where id = any(:ids::uuid[])")
			.param("ids", ids.toArray(UUID[]::new))
			.query(EndpointRepository::endpoint)
			.list()
			.forEach((endpoint) -> found.put(endpoint.id(), endpoint));
		return found;
	}

	/**
	 * A stored secret, newest first per endpoint; {@code expiresAt} null while current.
	 */
	public record Secret(String value, @Nullable Instant expiresAt) {
	}

	private static Endpoint endpoint(ResultSet rs, int row) throws SQLException {
		Array types = rs.getArray("event_types");
		return new Endpoint(rs.getString("brand_id"), rs.getObject("id", UUID.class), rs.getString("url"),
				rs.getString("description"), (types != null) ? Arrays.asList((String[]) types.getArray()) : null,
				rs.getBoolean("enabled"), rs.getBoolean("paused"), rs.getString("disabled_reason"),
				instant(rs, "failing_since"), instant(rs, "created_at"), instant(rs, "updated_at"));
	}

	static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return (value != null) ? value.toInstant() : null;
	}

	static OffsetDateTime utc(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

}
