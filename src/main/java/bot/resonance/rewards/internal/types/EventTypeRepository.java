package bot.resonance.rewards.internal.types;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import bot.resonance.rewards.internal.types.BrandType;
import bot.resonance.platform.db.TransactionLocks;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Event types as the brand configured them, merged with the built-in defaults.
 */
@Component
public class EventTypeRepository {

	private static final String COLUMNS = "name, enabled, amount, cooldown_seconds, daily_limit, max_amount, currency, updated_at, "
			+ "amount_field, amount_per_unit, affiliate_amount";

	private final JdbcClient jdbc;

	EventTypeRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * All event types of a brand: the built-ins (configured or default), then custom ones
	 * by name.
	 */
	public List<EventType> all(String brandId) {
		Map<String, EventType> stored = new TreeMap<>();
		this.jdbc.sql("select " + COLUMNS + " from reward_event_types where brand_id = :brand")
			.param("brand", brandId)
			.query(EventTypeRepository::eventType)
			.list()
			.forEach((type) -> stored.put(type.name(), type));
		List<EventType> all = new ArrayList<>();
		for (String name : BuiltInEventTypes.NAMES) {
			EventType type = stored.remove(name);
			all.add((type != null) ? type : BuiltInEventTypes.defaults(name).orElseThrow());
		}
		all.addAll(stored.values());
		return all;
	}

	public Optional<EventType> find(String brandId, String name) {
		return this.jdbc.sql("select " + COLUMNS + " from reward_event_types where brand_id = :brand and name = :name")
			.param("brand", brandId)
			.param("name", name)
			.query(EventTypeRepository::eventType)
			.optional()
			.or(() -> BuiltInEventTypes.defaults(name));
	}

	/**
	 * The event types for many (brand, type) pairs at once; unknown custom types are
	 * absent.
	 */
	public Map<BrandType, EventType> findAll(Collection<BrandType> keys) {
		Map<BrandType, EventType> found = new HashMap<>();
		if (keys.isEmpty()) {
			return found;
		}
		String[] brands = keys.stream().map(BrandType::brandId).toArray(String[]::new);
		String[] names = keys.stream().map(BrandType::eventType).toArray(String[]::new);
		this.jdbc
			.sql("""
					select e.brand_id, %s
					from reward_event_types e
					join unnest(:brands::text[], :names::text[]) as t(brand_id, name) on e.brand_id = t.brand_id and e.name = t.name
					"""
				.formatted(prefixed(COLUMNS)))
			.param("brands", brands)
			.param("names", names)
			.query((rs, row) -> found.put(new BrandType(rs.getString("brand_id"), rs.getString("name")),
					eventType(rs, row)))
			.list();
		for (BrandType key : keys) {
			if (!found.containsKey(key)) {
				BuiltInEventTypes.defaults(key.eventType()).ifPresent((type) -> found.put(key, type));
			}
		}
		return found;
	}

	/** Stores a brand's configuration of a type; returns whether the row is new. */
	public boolean save(String brandId, EventType type, Instant now) {
		return Boolean.TRUE.equals(this.jdbc.sql("""
				insert into reward_event_types
				    (brand_id, name, enabled, amount, cooldown_seconds, daily_limit, max_amount, currency,
				     amount_field, amount_per_unit, affiliate_amount, created_at, updated_at)
				values (:brand, :name, :enabled, :amount, :cooldown, :dailyLimit, :maxAmount, :currency,
				        :amountField, :amountPerUnit, :affiliateAmount, :now, :now)
				on conflict (brand_id, name) do update
				set enabled = excluded.enabled, amount = excluded.amount, cooldown_seconds = excluded.cooldown_seconds,
				    daily_limit = excluded.daily_limit, max_amount = excluded.max_amount, currency = excluded.currency,
				    amount_field = excluded.amount_field, amount_per_unit = excluded.amount_per_unit,
				    affiliate_amount = excluded.affiliate_amount,
				    updated_at = excluded.updated_at
				returning (xmax = 0) as inserted
				""")
			.param("brand", brandId)
			.param("name", type.name())
			.param("enabled", type.enabled())
			.param("amount", type.amount())
			.param("cooldown", type.cooldownSeconds())
			.param("dailyLimit", type.dailyLimit())
			.param("maxAmount", type.maxAmount())
			.param("currency", type.currency())
			.param("amountField", type.amountField())
			.param("amountPerUnit", type.amountPerUnit(), java.sql.Types.NUMERIC)
			.param("affiliateAmount", type.affiliateAmount())
			.param("now", now.atOffset(ZoneOffset.UTC))
			.query(Boolean.class)
			.single());
	}

	/**
	 * Takes a lock on one (brand, type) until the transaction ends, whether or not the
	 * type is stored yet.
	 */
	public void lockForChange(String brandId, String name) {
		TransactionLocks.lock(this.jdbc, "reward_event_types/" + brandId + "/" + name);
	}

	public boolean delete(String brandId, String name) {
		return this.jdbc.sql("delete from reward_event_types where brand_id = :brand and name = :name")
			.param("brand", brandId)
			.param("name", name)
			.update() == 1;
	}

	private static String prefixed(String columns) {
		return String.join(", ", java.util.Arrays.stream(columns.split(",\\s*")).map((c) -> "e." + c).toList());
	}

	private static EventType eventType(ResultSet rs, int row) throws SQLException {
		String name = rs.getString("name");
		return new EventType(name, rs.getBoolean("enabled"), rs.getLong("amount"), rs.getInt("cooldown_seconds"),
				(Integer) rs.getObject("daily_limit"), (Long) rs.getObject("max_amount"), rs.getString("currency"),
				BuiltInEventTypes.isBuiltIn(name), rs.getObject("updated_at", OffsetDateTime.class).toInstant(),
				rs.getString("amount_field"), AmountRules.normalise(rs.getBigDecimal("amount_per_unit")),
				(Long) rs.getObject("affiliate_amount"));
	}

}
