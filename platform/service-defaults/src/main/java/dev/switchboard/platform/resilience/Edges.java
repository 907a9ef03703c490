package dev.switchboard.platform.resilience;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.MeterRegistry;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;

import dev.switchboard.platform.internal.resilience.EdgeSettings;
import dev.switchboard.platform.internal.resilience.Failures;
import dev.switchboard.platform.internal.resilience.ResilienceProperties;

/**
 * The service's outgoing edges by name, each built once from
 * {@code switchboard.edges.<name>.*}. Their breakers and bulkheads live in Resilience4j
 * registries, whose metrics are exported ({@code resilience4j.circuitbreaker.state} and
 * friends, tagged with the edge's name).
 */
public final class Edges {

	private final ResilienceProperties properties;

	private final CircuitBreakerRegistry breakers;

	private final BulkheadRegistry bulkheads;

	private final Map<String, Edge> edges = new ConcurrentHashMap<>();

	private final MeterRegistry meters;

	/**
	 * @param meters where each edge's calls, retries and retry budget are measured
	 * ({@link Edge#CALLS_METER} and friends)
	 */
	public Edges(ResilienceProperties properties, CircuitBreakerRegistry breakers, BulkheadRegistry bulkheads,
			MeterRegistry meters) {
		this.properties = properties;
		this.breakers = breakers;
		this.bulkheads = bulkheads;
		this.meters = meters;
	}

	/** The edge of that name, created on first use. */
	public Edge edge(String name) {
		return this.edges.computeIfAbsent(name, this::create);
	}

	private Edge create(String name) {
		EdgeSettings settings = this.properties.edge(name);
		EdgeSettings.Breaker breaker = settings.breaker();
		CircuitBreakerConfig breakerConfig = CircuitBreakerConfig.custom()
			.slidingWindow(breaker.window(), breaker.minimumCalls(), SlidingWindowType.COUNT_BASED)
			.failureRateThreshold(breaker.failureRate())
			.slowCallRateThreshold(breaker.slowCallRate())
			.slowCallDurationThreshold(breaker.slowCallDuration())
			.waitDurationInOpenState(breaker.openWait())
			.permittedNumberOfCallsInHalfOpenState(breaker.halfOpenCalls())
			// Half-open as soon as the wait is over, not only when the next call arrives,
			// so the state (and its metric) tells the truth while no one calls.
			.automaticTransitionFromOpenToHalfOpenEnabled(true)
			.recordException(Failures::unhealthy)
			.build();
		BulkheadConfig bulkheadConfig = BulkheadConfig.custom()
			.maxConcurrentCalls(settings.bulkhead().maxConcurrentCalls())
			.maxWaitDuration(Duration.ZERO)
			.build();
		Bulkhead bulkhead = this.bulkheads.bulkhead(name, bulkheadConfig);
		return new Edge(name, settings, this.breakers.circuitBreaker(name, breakerConfig), bulkhead, this.meters);
	}

	/** Every edge used so far, by name. */
	public Map<String, Edge.Snapshot> snapshot() {
		Map<String, Edge.Snapshot> all = new TreeMap<>();
		this.edges.forEach((name, edge) -> all.put(name, edge.snapshot()));
		return all;
	}

}
