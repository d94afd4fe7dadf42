package bot.resonance.brands.internal;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import bot.resonance.brands.BrandsProperties;
import bot.resonance.platform.cluster.ClusterSignals;
import bot.resonance.platform.logging.Failures;
import org.springframework.stereotype.Component;

/**
 * Each node's copy of brands and their credentials, so the event API verifies signatures
 * without a database round trip.
 *
 * <ul>
 * <li>A node that changes a brand tells every node to forget it (PostgreSQL NOTIFY, on
 * commit), so rotations and revocations apply everywhere at once.</li>
 * <li>Entries are refreshed in the background after {@code resonance.brands.cache-ttl};
 * requests keep using the copy they have meanwhile.</li>
 * <li>However many requests miss at once, one of them reads the database; the others wait
 * for its answer. A check that fails against a copy older than a second re-reads the
 * brand the same way, so garbage requests cannot turn into a database load.</li>
 * <li>Unknown brands are remembered for a second, apart from known ones, so requests
 * naming random brands can neither push real brands out nor read the database more than a
 * few at a time.</li>
 * </ul>
 */
@Component
public class BrandCache {

	static final String CHANNEL = "resonance_brand_changed";

	private static final Logger log = LoggerFactory.getLogger(BrandCache.class);

	private static final long REFRESH_AFTER_FAILURE_NANOS = 1_000_000_000L;

	private static final long NEGATIVE_TTL_NANOS = 1_000_000_000L;

	private static final int MAX_ENTRIES = 200_000;

	private static final int MAX_UNKNOWN = 50_000;

	/** Database reads of brands at once, whatever the number of misses. */
	private static final int MAX_CONCURRENT_LOADS = 8;

	private final BrandRepository repository;

	private final ClusterSignals signals;

	private final long ttlNanos;

	private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

	/** Brands found not to exist, and when (nanoTime). */
	private final ConcurrentHashMap<String, Long> unknown = new ConcurrentHashMap<>();

	private final Semaphore loadPermits = new Semaphore(MAX_CONCURRENT_LOADS);

	/** Loads in progress, so concurrent misses share one database read. */
	private final ConcurrentHashMap<String, CompletableFuture<Entry>> loading = new ConcurrentHashMap<>();

	private final Set<String> refreshing = ConcurrentHashMap.newKeySet();

	/**
	 * Counts evictions, so a load that read the database before an eviction does not
	 * store what it read after it.
	 */
	private final AtomicLong evictions = new AtomicLong();

	private final Executor refresher = Executors.newVirtualThreadPerTaskExecutor();

	BrandCache(BrandRepository repository, BrandsProperties properties, ClusterSignals signals) {
		this.repository = repository;
		this.ttlNanos = properties.cacheTtl().toNanos();
		this.signals = signals;
		signals.subscribe(CHANNEL, this::evict, this::clear);
	}

	public Optional<BrandRecord> get(String brandId) {
		Entry entry = this.entries.get(brandId);
		if (entry == null) {
			Long missingSince = this.unknown.get(brandId);
			if (missingSince != null && System.nanoTime() - missingSince < NEGATIVE_TTL_NANOS) {
				return Optional.empty();
			}
			return Optional.ofNullable(load(brandId).record);
		}
		if (System.nanoTime() - entry.loadedAt >= this.ttlNanos) {
			refreshInBackground(brandId);
		}
		return Optional.ofNullable(entry.record);
	}

	/**
	 * Re-reads the brand if the cached copy is older than a second (a check just failed
	 * against it); otherwise returns the copy unchanged.
	 */
	public Optional<BrandRecord> refreshAfterFailure(String brandId) {
		Entry entry = this.entries.get(brandId);
		if (entry != null && System.nanoTime() - entry.loadedAt < REFRESH_AFTER_FAILURE_NANOS) {
			return Optional.ofNullable(entry.record);
		}
		Long missingSince = this.unknown.get(brandId);
		if (entry == null && missingSince != null && System.nanoTime() - missingSince < REFRESH_AFTER_FAILURE_NANOS) {
			return Optional.empty();
		}
		return Optional.ofNullable(load(brandId).record);
	}

	public void evict(String brandId) {
		this.evictions.incrementAndGet();
		this.entries.remove(brandId);
		this.unknown.remove(brandId);
	}

	/**
	 * Forgets a brand on every node once the current transaction commits; call it from
	 * the transaction that changes the brand.
	 */
	public void evictEverywhere(String brandId) {
		evict(brandId);
		this.signals.send(CHANNEL, brandId);
	}

	private void clear() {
		this.evictions.incrementAndGet();
		this.entries.clear();
		this.unknown.clear();
	}

	/** Reads the brand, sharing the read with every concurrent caller. */
	private Entry load(String brandId) {
		CompletableFuture<Entry> mine = new CompletableFuture<>();
		CompletableFuture<Entry> running = this.loading.putIfAbsent(brandId, mine);
		if (running != null) {
			return running.join();
		}
		try {
			long evictionsBefore = this.evictions.get();
			Entry entry = new Entry(read(brandId), System.nanoTime());
			if (this.evictions.get() == evictionsBefore) {
				remember(brandId, entry);
			}
			mine.complete(entry);
			return entry;
		}
		catch (RuntimeException ex) {
			mine.completeExceptionally(ex);
			throw ex;
		}
		finally {
			this.loading.remove(brandId, mine);
		}
	}

	private @Nullable BrandRecord read(String brandId) {
		this.loadPermits.acquireUninterruptibly();
		try {
			return this.repository.load(brandId).orElse(null);
		}
		finally {
			this.loadPermits.release();
		}
	}

	private void remember(String brandId, Entry entry) {
		if (entry.record != null) {
			if (this.entries.size() >= MAX_ENTRIES) {
				this.entries.clear();
			}
			this.entries.put(brandId, entry);
			this.unknown.remove(brandId);
		}
		else {
			if (this.unknown.size() >= MAX_UNKNOWN) {
				this.unknown.clear();
			}
			this.unknown.put(brandId, entry.loadedAt);
			this.entries.remove(brandId);
		}
	}

	private void refreshInBackground(String brandId) {
		if (!this.refreshing.add(brandId)) {
			return;
		}
		this.refresher.execute(() -> {
			try {
				load(brandId);
			}
			catch (RuntimeException ex) {
				Failures.warn(log, ex, "Could not refresh brand {}; keeping the cached copy", brandId);
			}
			finally {
				this.refreshing.remove(brandId);
			}
		});
	}

	private record Entry(@Nullable BrandRecord record, long loadedAt) {
	}

}
