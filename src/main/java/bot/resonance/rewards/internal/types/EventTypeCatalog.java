package bot.resonance.rewards.internal.types;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import bot.resonance.platform.cluster.ClusterCache;
import bot.resonance.platform.cluster.ClusterSignals;
import bot.resonance.rewards.internal.types.BrandType;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Brands' event types, cached on each node so the event pipeline needs no query for them.
 * A node that changes an event type tells every node to forget the brand's types
 * (PostgreSQL NOTIFY, on commit), so changes apply everywhere within milliseconds; cached
 * types are also re-read after a minute.
 */
@Component
public class EventTypeCatalog {

	static final String CHANNEL = "resonance_event_types_changed";

	private final EventTypeRepository repository;

	/**
	 * Per brand, the types looked up so far (empty: a custom type that does not exist).
	 */
	private final ClusterCache<Map<String, Optional<EventType>>> brands;

	EventTypeCatalog(EventTypeRepository repository, ClusterSignals signals) {
		this.repository = repository;
		this.brands = new ClusterCache<>(signals, CHANNEL, 100_000, Duration.ofMinutes(1));
	}

	/** The event types for (brand, type) pairs; unknown custom types are absent. */
	public Map<BrandType, EventType> find(Collection<BrandType> keys) {
		Map<BrandType, EventType> found = new HashMap<>();
		List<BrandType> misses = new java.util.ArrayList<>();
		for (BrandType key : keys) {
			Map<String, Optional<EventType>> cached = this.brands.get(key.brandId());
			Optional<EventType> type = (cached != null) ? cached.get(key.eventType()) : null;
			if (type == null) {
				misses.add(key);
			}
			else {
				type.ifPresent((value) -> found.put(key, value));
			}
		}
		if (!misses.isEmpty()) {
			long stamp = this.brands.stamp();
			Map<BrandType, EventType> loaded = this.repository.findAll(misses);
			for (BrandType key : misses) {
				EventType type = loaded.get(key);
				if (type != null) {
					found.put(key, type);
				}
				Map<String, Optional<EventType>> holder = this.brands.holder(key.brandId(), stamp,
						ConcurrentHashMap::new);
				if (holder != null) {
					holder.put(key.eventType(), Optional.ofNullable(type));
				}
			}
		}
		return found;
	}

	/**
	 * Changes a brand's configuration of a type: {@code change} gets the current
	 * configuration (a built-in type's defaults, or empty for an unknown custom type) and
	 * returns the new one. Changes of one type are serialized, so concurrent partial
	 * updates never lose each other's fields.
	 */
	@Transactional
	public Saved change(String brandId, String name, Instant now, Function<Optional<EventType>, EventType> change) {
		this.repository.lockForChange(brandId, name);
		EventType updated = change.apply(this.repository.find(brandId, name));
		boolean created = this.repository.save(brandId, updated, now);
		this.brands.evictEverywhere(brandId);
		return new Saved(updated, created);
	}

	@Transactional
	public boolean delete(String brandId, String name) {
		this.repository.lockForChange(brandId, name);
		boolean deleted = this.repository.delete(brandId, name);
		this.brands.evictEverywhere(brandId);
		return deleted;
	}

	/** A saved configuration, and whether it was stored for the first time. */
	public record Saved(EventType type, boolean created) {
	}

}
