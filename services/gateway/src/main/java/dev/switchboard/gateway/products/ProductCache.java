package dev.switchboard.gateway.products;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.switchboard.gateway.web.UpstreamException;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/**
 * Inventory's answers by key, kept for two uses. <em>Fresh</em>: served instead of asking
 * inventory, for up to the time to live, while the gateway watches inventory's changes
 * ({@link InventoryWatch}) and so hears when one goes out of date. <em>Last known</em>:
 * served, marked stale ({@code Age}, {@code Switchboard-Stale: true}), when inventory
 * cannot answer. Only answers to real keys are kept, and at most {@value #MAX_ENTRIES},
 * so memory stays bounded.
 *
 * <p>
 * An answer is remembered as fresh only if nothing about its key changed while it was
 * being fetched: each key counts its changes (its epoch) and the cache counts its resyncs
 * (its generation); a fetch takes a {@link Stamp} of both before asking, and an answer
 * whose stamp is out of date is kept as last known only. Written by hand because a cache
 * library's loading would hold a lock of its map across the call to inventory, and its
 * invalidation would drop the value the stale fallback needs.
 */
final class ProductCache<T> {

	static final String STALE_HEADER = "Switchboard-Stale";

	/** What clients and caches on the way may do with a product answer. */
	static final CacheControl CACHE_CONTROL = CacheControl.maxAge(Duration.ofSeconds(30)).cachePublic();

	private static final int MAX_ENTRIES = 10_000;

	private final Map<String, Entry<T>> entries = new ConcurrentHashMap<>();

	private final AtomicLong generation = new AtomicLong();

	private final Duration timeToLive;

	private final InstantSource clock;

	private volatile boolean watching;

	ProductCache(Duration timeToLive, InstantSource clock) {
		this.timeToLive = timeToLive;
		this.clock = clock;
	}

	/** What to take before asking inventory for {@code key}'s answer. */
	Stamp stamp(String key) {
		long generation = this.generation.get();
		Entry<T> entry = this.entries.get(key);
		return new Stamp(generation, (entry != null) ? entry.epoch() : 0);
	}

	/** The answer inventory gave for {@code key}, asked after {@code stamp} was taken. */
	void remember(String key, T value, Stamp stamp) {
		Instant now = this.clock.instant();
		this.entries.compute(key, (k, entry) -> {
			if (entry == null && this.entries.size() >= MAX_ENTRIES) {
				return null;
			}
			long epoch = (entry != null) ? entry.epoch() : 0;
			boolean fresh = this.watching && stamp.generation() == this.generation.get() && stamp.epoch() == epoch;
			return new Entry<>(value, now, epoch, fresh);
		});
	}

	/** The answer for {@code key} if it may be served without asking inventory. */
	Optional<ResponseEntity<T>> fresh(String key) {
		Entry<T> entry = this.entries.get(key);
		if (!this.watching || entry == null || !entry.fresh()) {
			return Optional.empty();
		}
		Duration age = Duration.between(entry.at(), this.clock.instant());
		if (age.compareTo(this.timeToLive) >= 0) {
			return Optional.empty();
		}
		return Optional.of(ResponseEntity.ok()
			.cacheControl(CACHE_CONTROL)
			.header(HttpHeaders.AGE, Long.toString(age.toSeconds()))
			.body(entry.value()));
	}

	/** The last answer known for {@code key}, however old. */
	Optional<T> lastKnown(String key) {
		Entry<T> entry = this.entries.get(key);
		return (entry != null) ? Optional.ofNullable(entry.value()) : Optional.empty();
	}

	/** {@code key}'s answer is out of date. */
	void changed(String key) {
		this.entries.compute(key, (k, entry) -> {
			if (entry == null) {
				// Marks the key, so that an answer being fetched now is not taken as
				// fresh.
				return (this.entries.size() < MAX_ENTRIES) ? new Entry<>(null, Instant.EPOCH, 1, false) : null;
			}
			return new Entry<>(entry.value(), entry.at(), entry.epoch() + 1, false);
		});
	}

	/**
	 * Every answer may be out of date; from now on changes are heard ({@code watching})
	 * or not.
	 */
	void resync(boolean watching) {
		this.generation.incrementAndGet();
		this.watching = watching;
		this.entries.replaceAll((key, entry) -> new Entry<>(entry.value(), entry.at(), entry.epoch(), false));
	}

	/**
	 * The last known answer for {@code key} if the failure is one it may cover (the
	 * source is unavailable) and one is known; otherwise throws {@code failure}.
	 */
	ResponseEntity<T> orElseThrow(String key, UpstreamException failure) {
		Entry<T> entry = this.entries.get(key);
		if (failure.status() != HttpStatus.SERVICE_UNAVAILABLE || entry == null || entry.value() == null) {
			throw failure;
		}
		long age = Duration.between(entry.at(), this.clock.instant()).toSeconds();
		return ResponseEntity.ok()
			.cacheControl(CacheControl.noCache())
			.header(HttpHeaders.AGE, Long.toString(age))
			.header(STALE_HEADER, "true")
			.body(entry.value());
	}

	/** The state of a key and of the cache when a fetch began. */
	record Stamp(long generation, long epoch) {
	}

	private record Entry<T>(T value, Instant at, long epoch, boolean fresh) {
	}

}
