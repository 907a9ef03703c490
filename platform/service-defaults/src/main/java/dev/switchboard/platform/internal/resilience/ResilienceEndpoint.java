package dev.switchboard.platform.internal.resilience;

import java.util.Map;

import dev.switchboard.platform.resilience.Edges;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@code GET /actuator/resilience}: each outgoing edge's breaker state, rates, recent
 * state changes, bulkhead and retry budget, and the service's own load shedding.
 */
@Endpoint(id = "resilience")
public class ResilienceEndpoint {

	private final Edges edges;

	private final Shedding shedding;

	ResilienceEndpoint(Edges edges, Shedding shedding) {
		this.edges = edges;
		this.shedding = shedding;
	}

	@ReadOperation
	public Map<String, Object> resilience() {
		return Map.of("edges", this.edges.snapshot(), "shedding", this.shedding.snapshot());
	}

}
