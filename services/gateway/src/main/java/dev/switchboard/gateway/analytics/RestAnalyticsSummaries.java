package dev.switchboard.gateway.analytics;

import java.util.Map;

import dev.switchboard.platform.resilience.Edge;
import dev.switchboard.platform.resilience.Edges;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

/** {@code GET /summary} on analytics, through the edge {@code analytics}. */
@Component
@ConditionalOnProperty(name = "switchboard.transports.analytics", havingValue = "rest", matchIfMissing = true)
class RestAnalyticsSummaries implements AnalyticsSummaries {

	private static final ParameterizedTypeReference<Map<String, Object>> SUMMARY = new ParameterizedTypeReference<>() {
	};

	private final RestClient analytics;

	private final Edge edge;

	RestAnalyticsSummaries(@Qualifier("analyticsClient") RestClient analytics, Edges edges) {
		this.analytics = analytics;
		this.edge = edges.edge("analytics");
	}

	@Override
	public Map<String, Object> summary() {
		return this.edge.call(true, (deadline) -> this.analytics.get().uri("/summary").retrieve().body(SUMMARY));
	}

}
