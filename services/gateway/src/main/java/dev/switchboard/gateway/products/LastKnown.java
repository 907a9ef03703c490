package dev.switchboard.gateway.products;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.switchboard.gateway.web.UpstreamException;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/**
 * The last successful answer per key, to fall back on while the source is unavailable. A
 * fallback is honest: it carries {@code Age} (seconds since it was fresh) and
 * {@code Switchboard-Stale: true}, so a client can tell it from a live answer. Only
 * answers to real keys are kept, and at most {@value #MAX_ENTRIES}, so memory stays
 * bounded.
 */
final class LastKnown<T> {

	static final String STALE_HEADER = "Switchboard-Stale";

	private static final int MAX_ENTRIES = 10_000;

	private final Map<String, Entry<T>> entries = new ConcurrentHashMap<>();

	void remember(String key, T value) {
		if (this.entries.size() < MAX_ENTRIES || this.entries.containsKey(key)) {
			this.entries.put(key, new Entry<>(value, Instant.now()));
		}
	}

	/**
	 * The stale answer for {@code key} if the failure is one a stale answer may cover
	 * (the source is unavailable) and one is known; otherwise throws {@code failure}.
	 */
	ResponseEntity<T> orElseThrow(String key, UpstreamException failure) {
		Entry<T> entry = this.entries.get(key);
		if (failure.status() != HttpStatus.SERVICE_UNAVAILABLE || entry == null) {
			throw failure;
		}
		long age = Duration.between(entry.at(), Instant.now()).toSeconds();
		return ResponseEntity.ok()
			.header(HttpHeaders.AGE, Long.toString(age))
			.header(STALE_HEADER, "true")
			.body(entry.value());
	}

	private record Entry<T>(T value, Instant at) {
	}

}
