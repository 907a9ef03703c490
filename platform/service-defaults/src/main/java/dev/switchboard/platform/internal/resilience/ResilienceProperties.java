package dev.switchboard.platform.internal.resilience;

import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Resilience settings of a service: its outgoing edges ({@code switchboard.edges.*}) and
 * how much work it accepts at once ({@code switchboard.shedding.*}).
 *
 * @param edges the settings of each named edge; an edge not named here gets the defaults
 */
@ConfigurationProperties("switchboard")
public record ResilienceProperties(Map<String, EdgeSettings> edges, @DefaultValue Shedding shedding) {

	public ResilienceProperties {
		edges = (edges != null) ? Map.copyOf(edges) : Map.of();
	}

	public EdgeSettings edge(String name) {
		return this.edges.getOrDefault(name, EdgeSettings.defaults());
	}

	/**
	 * Load shedding at a service's own front door.
	 *
	 * @param maxConcurrentRequests gRPC calls and HTTP requests (each counted on its own)
	 * in progress at once; one more is refused at once with RESOURCE_EXHAUSTED or 503
	 * @param retryAfterSeconds what a refused caller is told to wait
	 */
	public record Shedding(@DefaultValue("256") int maxConcurrentRequests, @DefaultValue("1") int retryAfterSeconds) {
	}

}
