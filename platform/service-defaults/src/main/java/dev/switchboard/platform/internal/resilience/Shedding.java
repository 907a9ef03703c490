package dev.switchboard.platform.internal.resilience;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;

/**
 * A service's own front door: at most {@code maxConcurrentRequests} gRPC calls and as
 * many HTTP requests in progress at once. One more is refused at once (RESOURCE_EXHAUSTED
 * or 503, with a retry-after) rather than queued: with a thread per request, an unbounded
 * queue would be unbounded memory and ever longer waits.
 */
public final class Shedding {

	private final Bulkhead grpc;

	private final Bulkhead http;

	private final Duration retryAfter;

	private final LongAdder refused = new LongAdder();

	Shedding(ResilienceProperties.Shedding settings, BulkheadRegistry registry) {
		BulkheadConfig config = BulkheadConfig.custom()
			.maxConcurrentCalls(settings.maxConcurrentRequests())
			.maxWaitDuration(Duration.ZERO)
			.build();
		this.grpc = registry.bulkhead("server-grpc", config);
		this.http = registry.bulkhead("server-http", config);
		this.retryAfter = Duration.ofSeconds(settings.retryAfterSeconds());
	}

	Bulkhead grpc() {
		return this.grpc;
	}

	Bulkhead http() {
		return this.http;
	}

	Duration retryAfter() {
		return this.retryAfter;
	}

	void refused() {
		this.refused.increment();
	}

	Map<String, Object> snapshot() {
		return Map.of("maxConcurrentRequests", this.grpc.getMetrics().getMaxAllowedConcurrentCalls(), "grpcInFlight",
				this.grpc.getMetrics().getMaxAllowedConcurrentCalls()
						- this.grpc.getMetrics().getAvailableConcurrentCalls(),
				"httpInFlight", this.http.getMetrics().getMaxAllowedConcurrentCalls()
						- this.http.getMetrics().getAvailableConcurrentCalls(),
				"refused", this.refused.sum());
	}

}
