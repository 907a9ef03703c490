package dev.switchboard.gateway.analytics;

import java.util.Map;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

@RestController
class AnalyticsController {

	private final RestClient analytics;

	AnalyticsController(@Qualifier("analyticsClient") RestClient analytics) {
		this.analytics = analytics;
	}

	@GetMapping("/api/v1/analytics/summary")
	Map<String, Object> summary() {
		return this.analytics.get().uri("/summary").retrieve().body(new ParameterizedTypeReference<>() {
		});
	}

}
