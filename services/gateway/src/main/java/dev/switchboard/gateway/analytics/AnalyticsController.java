package dev.switchboard.gateway.analytics;

import java.util.Map;

import dev.switchboard.platform.resilience.Edge;
import dev.switchboard.platform.resilience.Edges;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

@RestController
class AnalyticsController {

	private final RestClient analytics;

	private final Edge edge;

	AnalyticsController(@Qualifier("analyticsClient") RestClient analytics, Edges edges) {
		this.analytics = analytics;
		this.edge = edges.edge("analytics");
	}

	@GetMapping("/api/v1/analytics/summary")
	Map<String, Object> summary() {
		return this.edge.call(true,
				(deadline) -> this.analytics.get()
					.uri("/summary")
					.retrieve()
					.body(new ParameterizedTypeReference<Map<String, Object>>() {
					}));
	}

}
