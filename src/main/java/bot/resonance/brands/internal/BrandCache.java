package bot.resonance.brands.internal;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import bot.resonance.brands.BrandsProperties;
import bot.resonance.platform.cluster.ClusterSignals;
import org.springframework.stereotype.Component;

/**
 * Each node's copy of brands and their credentials, so the event API verifies signatures
 * without a database round trip. Entries live {@code resonance.brands.cache-ttl}; a check
 * that fails against a copy older than a second re-reads the brand at once, so a key
 * rotated on another node works here immediately. Unknown brands are remembered for a
 * second only.
 */
@Component
public class BrandCache {

	private static final long REFRESH_AFTER_FAILURE_NANOS = 1_000_000_000L;

	private static final long NEGATIVE_TTL_NANOS = 1_000_000_000L;

	private static final int MAX_ENTRIES = 200_000;

	static final String CHANNEL = "resonance_brand_changed";

	private final BrandRepository repository;

	private final long ttlNanos;

	private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

	private final ClusterSignals signals;

	BrandCache(BrandRepository repository, BrandsProperties properties, ClusterSignals signals) {
		this.repository = repository;
		this.ttlNanos = properties.cacheTtl().toNanos();
		this.signals = signals;
		signals.subscribe(CHANNEL, this::evict, this.entries::clear);
	}

	/**
	 * Forgets a brand on every node once the current transaction commits; call it from
	 * the transaction that changes the brand.
	 */
	public void evictEverywhere(String brandId) {
		this.entries.remove(brandId);
		this.signals.send(CHANNEL, brandId);
	}

	public Optional<BrandRecord> get(String brandId) {
		Entry entry = this.entries.get(brandId);
		long now = System.nanoTime();
		if (entry != null && now - entry.loadedAt < (entry.record == null ? NEGATIVE_TTL_NANOS : this.ttlNanos)) {
			return Optional.ofNullable(entry.record);
		}
		return Optional.ofNullable(load(brandId, now));
	}

	/**
	 * Re-reads the brand if the cached copy is older than a second (a check just failed
	 * against it); otherwise returns the copy unchanged, so garbage requests cannot turn
	 * into a database load.
	 */
	public Optional<BrandRecord> refreshAfterFailure(String brandId) {
		Entry entry = this.entries.get(brandId);
		long now = System.nanoTime();
		if (entry != null && now - entry.loadedAt < REFRESH_AFTER_FAILURE_NANOS) {
			return Optional.ofNullable(entry.record);
		}
		return Optional.ofNullable(load(brandId, now));
	}

	public void evict(String brandId) {
		this.entries.remove(brandId);
	}

	private @Nullable BrandRecord load(String brandId, long now) {
		BrandRecord record = this.repository.load(brandId).orElse(null);
		if (this.entries.size() >= MAX_ENTRIES) {
			this.entries.clear();
		}
		this.entries.put(brandId, new Entry(record, now));
		return record;
	}

	private record Entry(@Nullable BrandRecord record, long loadedAt) {
	}

}
