package bot.resonance.platform.cluster;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * A node's cache of per-brand data that every node forgets together: a node that changes
 * a brand's data calls {@link #evictEverywhere}, and every node drops its copy when the
 * change commits (PostgreSQL NOTIFY through {@link ClusterSignals}); if the listening
 * connection drops, everything is forgotten. Copies are also re-read after a maximum age,
 * and a copy read while an eviction happened is not kept, so a stale read never outlives
 * the change that made it stale.
 *
 * @param <V> what is cached per brand
 */
public final class ClusterCache<V> {

	private final ConcurrentHashMap<String, Entry<V>> entries = new ConcurrentHashMap<>();

	/** Counts evictions, so a read that raced with one is not stored. */
	private final AtomicLong evictions = new AtomicLong();

	private final ClusterSignals signals;

	private final String channel;

	private final int maxEntries;

	private final long maxAgeNanos;

	public ClusterCache(ClusterSignals signals, String channel, int maxEntries, Duration maxAge) {
		this.signals = signals;
		this.channel = channel;
		this.maxEntries = maxEntries;
		this.maxAgeNanos = maxAge.toNanos();
		signals.subscribe(channel, this::evict, this::clear);
	}

	/** The brand's copy, if there is one younger than the maximum age. */
	public @Nullable V get(String brandId) {
		Entry<V> entry = this.entries.get(brandId);
		return (entry != null && System.nanoTime() - entry.loadedAt() < this.maxAgeNanos) ? entry.value() : null;
	}

	/**
	 * The brand's copy; if there is none, {@code read} reads it, and it is kept unless an
	 * eviction happened while it was read.
	 */
	public V get(String brandId, Supplier<V> read) {
		V cached = get(brandId);
		if (cached != null) {
			return cached;
		}
		long stamp = stamp();
		V value = read.get();
		put(brandId, value, stamp);
		return value;
	}

	/** Take before reading from the database; pass to {@link #put} or {@link #holder}. */
	public long stamp() {
		return this.evictions.get();
	}

	/** Keeps a copy read after {@code stamp}, unless an eviction happened since. */
	public void put(String brandId, V value, long stamp) {
		if (this.evictions.get() == stamp) {
			trim();
			this.entries.put(brandId, new Entry<>(value, System.nanoTime()));
		}
	}

	/**
	 * The brand's current copy, made with {@code empty} if there is none (or it is too
	 * old), for filling in place; {@code null} if an eviction happened since
	 * {@code stamp} (what was read must then not be kept).
	 */
	public @Nullable V holder(String brandId, long stamp, Supplier<V> empty) {
		if (this.evictions.get() != stamp) {
			return null;
		}
		trim();
		long now = System.nanoTime();
		return this.entries
			.compute(brandId, (key, entry) -> (entry != null && now - entry.loadedAt() < this.maxAgeNanos) ? entry
					: new Entry<>(empty.get(), now))
			.value();
	}

	/**
	 * Forgets a brand on every node once the current transaction commits, and on this
	 * node at once and again when the transaction ends (so nothing the transaction read
	 * before it committed or rolled back is kept).
	 */
	public void evictEverywhere(String brandId) {
		evict(brandId);
		this.signals.send(this.channel, brandId);
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCompletion(int status) {
					evict(brandId);
				}
			});
		}
	}

	private void evict(String brandId) {
		this.evictions.incrementAndGet();
		this.entries.remove(brandId);
	}

	private void clear() {
		this.evictions.incrementAndGet();
		this.entries.clear();
	}

	private void trim() {
		if (this.entries.size() > this.maxEntries) {
			this.entries.clear();
		}
	}

	private record Entry<V>(V value, long loadedAt) {
	}

}
