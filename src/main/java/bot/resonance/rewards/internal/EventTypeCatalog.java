package bot.resonance.rewards.internal;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import bot.resonance.platform.cluster.ClusterSignals;
import bot.resonance.rewards.internal.ingest.BrandType;
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

	private static final long MAX_AGE_NANOS = 60_000_000_000L;

	private static final int MAX_BRANDS = 100_000;

	private final EventTypeRepository repository;

	private final ClusterSignals signals;

	private final ConcurrentHashMap<String, BrandTypes> brands = new ConcurrentHashMap<>();

	/** Counts evictions, so a read that raced with one is not stored. */
	private final AtomicLong evictions = new AtomicLong();

	EventTypeCatalog(EventTypeRepository repository, ClusterSignals signals) {
		this.repository = repository;
		this.signals = signals;
		signals.subscribe(CHANNEL, this::evict, this::clear);
	}

	/** The event types for (brand, type) pairs; unknown custom types are absent. */
	public Map<BrandType, EventType> find(Collection<BrandType> keys) {
		Map<BrandType, EventType> found = new HashMap<>();
		List<BrandType> misses = new java.util.ArrayList<>();
		long now = System.nanoTime();
		for (BrandType key : keys) {
			BrandTypes cached = this.brands.get(key.brandId());
			Optional<EventType> type = (cached != null && now - cached.loadedAt < MAX_AGE_NANOS)
					? cached.types.get(key.eventType()) : null;
			if (type == null) {
				misses.add(key);
			}
			else {
				type.ifPresent((value) -> found.put(key, value));
			}
		}
		if (!misses.isEmpty()) {
			long evictionsBefore = this.evictions.get();
			Map<BrandType, EventType> loaded = this.repository.findAll(misses);
			boolean store = this.evictions.get() == evictionsBefore;
			if (this.brands.size() > MAX_BRANDS) {
				this.brands.clear();
			}
			for (BrandType key : misses) {
				EventType type = loaded.get(key);
				if (type != null) {
					found.put(key, type);
				}
				if (store) {
					this.brands.compute(key.brandId(),
							(brand, cached) -> (cached != null && now - cached.loadedAt < MAX_AGE_NANOS) ? cached
									: new BrandTypes(now)).types
						.put(key.eventType(), Optional.ofNullable(type));
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
		evictEverywhere(brandId);
		return new Saved(updated, created);
	}

	@Transactional
	public boolean delete(String brandId, String name) {
		this.repository.lockForChange(brandId, name);
		boolean deleted = this.repository.delete(brandId, name);
		evictEverywhere(brandId);
		return deleted;
	}

	private void evictEverywhere(String brandId) {
		evict(brandId);
		this.signals.send(CHANNEL, brandId);
	}

	private void evict(String brandId) {
		this.evictions.incrementAndGet();
		this.brands.remove(brandId);
	}

	private void clear() {
		this.evictions.incrementAndGet();
		this.brands.clear();
	}

	/** A saved configuration, and whether it was stored for the first time. */
	public record Saved(EventType type, boolean created) {
	}

	private static final class BrandTypes {

		final long loadedAt;

		final Map<String, Optional<EventType>> types = new ConcurrentHashMap<>();

		BrandTypes(long loadedAt) {
			this.loadedAt = loadedAt;
		}

	}

}
