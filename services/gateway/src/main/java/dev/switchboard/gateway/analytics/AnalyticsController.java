package dev.switchboard.gateway.analytics;

import io.swagger.v3.oas.annotations.tags.Tag;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.switchboard.gateway.web.Amount;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "analytics", description = "Sales figures")
class AnalyticsController {

	private final AnalyticsSummaries analytics;

	AnalyticsController(AnalyticsSummaries analytics) {
		this.analytics = analytics;
	}

	@GetMapping(path = "/api/{version}/analytics/summary", version = "v1")
	@Operation(summary = "Sales so far: orders by status, revenue",
			security = @SecurityRequirement(name = "oauth2", scopes = "analytics:read"))
	@ApiResponse(responseCode = "200", description = "The summary")
	Map<String, Object> summary() {
		return this.analytics.summary();
	}

	@GetMapping(path = "/api/{version}/analytics/summary", version = "v2")
	@Operation(summary = "Sales so far: orders by status, revenue", operationId = "summaryV2",
			security = @SecurityRequirement(name = "oauth2", scopes = "analytics:read"))
	@ApiResponse(responseCode = "200", description = "The summary; revenue an amount with its currency")
	Map<String, Object> summaryV2() {
		Map<String, Object> summary = new LinkedHashMap<>(summary());
		if (summary.get("revenue") instanceof Number revenue) {
			summary.put("revenue", Amount.of(new BigDecimal(revenue.toString())));
		}
		return summary;
	}

}
