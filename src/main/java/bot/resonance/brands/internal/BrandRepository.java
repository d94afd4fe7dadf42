package bot.resonance.brands.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import bot.resonance.brands.Brand;
import bot.resonance.brands.BrandProvisioning;
import bot.resonance.platform.crypto.HmacKey;
import bot.resonance.platform.crypto.SealedSecrets;
import bot.resonance.platform.crypto.SecretSealer;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The brands module's SQL. Secret keys are HMAC keys, kept readable but sealed when a
 * sealing key is set ({@link SecretSealer}); API keys are kept only as hashes.
 */
@Component
public class BrandRepository implements SealedSecrets {

	private static final String SECRET_PURPOSE = "brand secret key";

	private static final String BRAND_COLUMNS = """
			brand_id, name, rate_limit_per_minute, daily_event_limit, require_timestamp, default_currency, created_at,
			updated_at""";

	private static final String SELECT_COLUMNS = BRAND_COLUMNS + """
			, allow_unsigned_manual_events, unsigned_manual_event_max_amount,
			(select coalesce(array_agg(d.domain order by d.domain), '{}') from brand_domains d
			 where d.brand_id = brands.brand_id) as domains""";

	private final JdbcClient jdbc;

	private final SecretSealer sealer;

	BrandRepository(JdbcClient jdbc, SecretSealer sealer) {
		this.jdbc = jdbc;
		this.sealer = sealer;
	}

	@Override
	public int reseal(SecretSealer sealer) {
		return sealer.reseal(this.jdbc, "brand_secrets", "secret", SECRET_PURPOSE);
	}

	/** Inserts a brand; false if the id is taken. */
	public boolean insert(Brand brand) {
		return this.jdbc.sql("""
				insert into brands (%s)
				values (:brandId, :name, :rateLimit, :dailyLimit, :requireTimestamp, :currency, :createdAt, :updatedAt)
				on conflict (brand_id) do nothing
				""".formatted(BRAND_COLUMNS))
			.param("brandId", brand.brandId())
			.param("name", brand.name())
			.param("rateLimit", brand.rateLimitPerMinute())
			.param("dailyLimit", brand.dailyEventLimit())
			.param("requireTimestamp", brand.requireTimestamp())
			.param("currency", brand.defaultCurrency())
			.param("createdAt", utc(brand.createdAt()))
			.param("updatedAt", utc(brand.updatedAt()))
			.update() == 1;
	}

	public void update(Brand brand) {
		this.jdbc.sql("""
				update brands set name = :name, rate_limit_per_minute = :rateLimit, daily_event_limit = :dailyLimit,
				                  require_timestamp = :requireTimestamp, updated_at = :updatedAt,
				                  allow_unsigned_manual_events = :allowUnsigned,
				                  unsigned_manual_event_max_amount = :unsignedMax
				where brand_id = :brandId
				""")
			.param("allowUnsigned", brand.allowUnsignedManualEvents())
			.param("unsignedMax", brand.unsignedManualEventMaxAmount())
			.param("brandId", brand.brandId())
			.param("name", brand.name())
			.param("rateLimit", brand.rateLimitPerMinute())
			.param("dailyLimit", brand.dailyEventLimit())
			.param("requireTimestamp", brand.requireTimestamp())
			.param("updatedAt", utc(brand.updatedAt()))
			.update();
	}

	public Optional<Brand> find(String brandId, boolean lock) {
		return this.jdbc
			.sql("select " + SELECT_COLUMNS + " from brands where brand_id = :brandId" + (lock ? " for update" : ""))
			.param("brandId", brandId)
			.query(BrandRepository::brand)
			.optional();
	}

	/** Brands in creation order, after {@code startingAfter} if given. */
	public List<Brand> list(@Nullable String startingAfter, int limit) {
		return this.jdbc.sql("""
				select %s from brands
				where :after::text is null
				   or (created_at, brand_id) > (select created_at, brand_id from brands where brand_id = :after::text)
				order by created_at, brand_id
				limit :limit
				""".formatted(SELECT_COLUMNS))
			.param("after", startingAfter)
			.param("limit", limit)
			.query(BrandRepository::brand)
			.list();
	}

	public Optional<BrandRecord> load(String brandId) {
		return find(brandId, false).map((brand) -> new BrandRecord(brand,
				credentials("brand_secrets", "secret", brandId).stream()
					.map((secret) -> new BrandRecord.Secret(
							HmacKey.of(this.sealer.open(SECRET_PURPOSE, secret.value())), secret.expiresAt()))
					.toList(),
				credentials("brand_api_keys", "key_hash", brandId)));
	}

	private List<BrandRecord.Credential> credentials(String table, String column, String brandId) {
		return this.jdbc
			.sql("select %s, expires_at from %s where brand_id = :brandId order by id desc".formatted(column, table))
			.param("brandId", brandId)
			.query((rs, row) -> new BrandRecord.Credential(rs.getString(1), instantOrNull(rs, "expires_at")))
			.list();
	}

	/** The brand's secret keys that work at {@code now}, newest first, without values. */
	public List<BrandProvisioning.IssuedCredential> issuedSecrets(String brandId, Instant now) {
		return issued("brand_secrets", "null", brandId, now);
	}

	/** The brand's API keys that work at {@code now}, newest first, with their hints. */
	public List<BrandProvisioning.IssuedCredential> issuedApiKeys(String brandId, Instant now) {
		return issued("brand_api_keys", "key_hint", brandId, now);
	}

	private List<BrandProvisioning.IssuedCredential> issued(String table, String hint, String brandId, Instant now) {
		return this.jdbc.sql("""
				select created_at, expires_at, %s as hint from %s
				where brand_id = :brandId and (expires_at is null or expires_at > :now)
				order by id desc
				""".formatted(hint, table))
			.param("brandId", brandId)
			.param("now", utc(now))
			.query((rs, row) -> new BrandProvisioning.IssuedCredential(
					rs.getObject("created_at", OffsetDateTime.class).toInstant(), instantOrNull(rs, "expires_at"),
					rs.getString("hint")))
			.list();
	}

	public void insertSecret(String brandId, String secret, Instant now) {
		this.jdbc.sql("insert into brand_secrets (brand_id, secret, created_at) values (:brandId, :secret, :now)")
			.param("brandId", brandId)
			.param("secret", this.sealer.seal(SECRET_PURPOSE, secret))
			.param("now", utc(now))
			.update();
	}

	public void insertApiKey(String brandId, String keyHash, String hint, Instant now) {
		this.jdbc.sql("""
				insert into brand_api_keys (brand_id, key_hash, key_hint, created_at)
				values (:brandId, :hash, :hint, :now)
				""")
			.param("brandId", brandId)
			.param("hash", keyHash)
			.param("hint", hint)
			.param("now", utc(now))
			.update();
	}

	/**
	 * Makes every credential of the brand in {@code table} that is still active at
	 * {@code now} expire at {@code expiresAt} (or sooner, if it already expired sooner).
	 */
	public @Nullable Instant expireActive(String table, String brandId, Instant now, Instant expiresAt) {
		List<OffsetDateTime> expiries = this.jdbc.sql("""
				update %s set expires_at = least(coalesce(expires_at, :expiresAt), :expiresAt)
				where brand_id = :brandId and (expires_at is null or expires_at > :now)
				returning expires_at
				""".formatted(table))
			.param("expiresAt", utc(expiresAt))
			.param("brandId", brandId)
			.param("now", utc(now))
			.query(OffsetDateTime.class)
			.list();
		return expiries.stream().map(OffsetDateTime::toInstant).max(Instant::compareTo).orElse(null);
	}

	private static Brand brand(ResultSet rs, int row) throws SQLException {
		return new Brand(rs.getString("brand_id"), rs.getString("name"), rs.getInt("rate_limit_per_minute"),
				(Integer) rs.getObject("daily_event_limit"), rs.getBoolean("require_timestamp"),
				rs.getString("default_currency"), rs.getObject("created_at", OffsetDateTime.class).toInstant(),
				rs.getObject("updated_at", OffsetDateTime.class).toInstant(),
				List.of((String[]) rs.getArray("domains").getArray()), rs.getBoolean("allow_unsigned_manual_events"),
				rs.getLong("unsigned_manual_event_max_amount"));
	}

	/**
	 * Replaces the brand's domains; returns the domains that belong to another brand
	 * (nothing is changed then).
	 */
	public List<String> replaceDomains(String brandId, List<String> domains, Instant now) {
		List<String> taken = this.jdbc
			.sql("select domain from brand_domains where domain = any(:domains::text[]) and brand_id <> :brandId")
			.param("domains", domains.toArray(String[]::new))
			.param("brandId", brandId)
			.query(String.class)
			.list();
		if (!taken.isEmpty()) {
			return taken;
		}
		this.jdbc.sql("delete from brand_domains where brand_id = :brandId").param("brandId", brandId).update();
		this.jdbc.sql("""
				insert into brand_domains (domain, brand_id, created_at)
				select d, :brandId, :now from unnest(:domains::text[]) as d
				""")
			.param("domains", domains.toArray(String[]::new))
			.param("brandId", brandId)
			.param("now", utc(now))
			.update();
		return List.of();
	}

	/** The brand a domain belongs to, if any. */
	public Optional<String> brandOfDomain(String domain) {
		return this.jdbc.sql("select brand_id from brand_domains where domain = :domain")
			.param("domain", domain)
			.query(String.class)
			.optional();
	}

	private static @Nullable Instant instantOrNull(ResultSet rs, String column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return (value != null) ? value.toInstant() : null;
	}

	private static OffsetDateTime utc(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

}
