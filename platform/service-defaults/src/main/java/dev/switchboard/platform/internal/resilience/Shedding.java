package dev.switchboard.platform.internal.resilience;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
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

	/** Requests refused, by {@code transport} (grpc, http). */
	static final String REFUSED_METER = "switchboard.shedding.refused";

	private final LongAdder refusedGrpc = new LongAdder();

	private final LongAdder refusedHttp = new LongAdder();

	Shedding(ResilienceProperties.Shedding settings, BulkheadRegistry registry, MeterRegistry meters) {
		FunctionCounter.builder(REFUSED_METER, this.refusedGrpc, LongAdder::sum)
			.description("Requests a service refused at once because too many were in progress")
			.tag("transport", "grpc")
			.register(meters);
		FunctionCounter.builder(REFUSED_METER, this.refusedHttp, LongAdder::sum)
			.description("Requests a service refused at once because too many were in progress")
			.tag("transport", "http")
			.register(meters);
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

	void refusedGrpc() {
		this.refusedGrpc.increment();
	}

	void refusedHttp() {
		this.refusedHttp.increment();
	}

	Map<String, Object> snapshot() {
		return Map.of("maxConcurrentRequests", this.grpc.getMetrics().getMaxAllowedConcurrentCalls(), "grpcInFlight",
				this.grpc.getMetrics().getMaxAllowedConcurrentCalls()
						- this.grpc.getMetrics().getAvailableConcurrentCalls(),
				"httpInFlight",
				this.http.getMetrics().getMaxAllowedConcurrentCalls()
						- this.http.getMetrics().getAvailableConcurrentCalls(),
				"refused", this.refusedGrpc.sum() + this.refusedHttp.sum());
	}

}
