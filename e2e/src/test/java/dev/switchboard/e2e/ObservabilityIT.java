package dev.switchboard.e2e;

import java.util.List;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import static dev.switchboard.e2e.Api.get;
import static dev.switchboard.e2e.E2e.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a user can watch the running platform with: each service's metrics in Prometheus's
 * text format on its actuator port, for a scraper holding the operator's certificate.
 */
@PlatformTest
@Order(5)
class ObservabilityIT {

	private static final List<String> SERVICES = List.of("identity", "inventory", "order", "payment", "shipping",
			"notification", "analytics", "gateway");

	@Test
	@Order(10)
	void everyServiceServesItsMetricsInPrometheusFormat() {
		String order = place("SKU-0080", 1, "tok_visa", "US", "COMPLETED");
		awaitTerminal(order);
		for (String service : SERVICES) {
			Api.Response scraped = get(management(service, "/actuator/prometheus"));
			assertThat(scraped.status()).as(service).isEqualTo(200);
			assertThat(scraped.header("Content-Type")).as(service).startsWith("text/plain");
			assertThat(scraped.body()).as(service)
				.contains("jvm_memory_used_bytes{", "process_cpu_usage ", "http_server_requests_seconds_count{")
				.contains("application=\"" + service + "\"");
		}
		assertThat(get(management("order", "/actuator/prometheus")).body())
			.as("the order service's sagas, timed by mode and outcome")
			.containsPattern("switchboard_saga_duration_seconds_count\\{[^}]*outcome=\"completed\"[^}]*} [1-9]")
			.contains("switchboard_saga_duration_seconds_bucket{", "switchboard_outbox_backlog{")
			.containsPattern("switchboard_outbox_publish_delay_seconds_count\\{[^}]*} [1-9]");
		assertThat(get(management("gateway", "/actuator/prometheus")).body())
			.as("the gateway's breaker to each service it calls")
			.containsPattern(
					"resilience4j_circuitbreaker_state\\{[^}]*name=\"inventory\"[^}]*state=\"closed\"[^}]*} 1\\.0");
	}

}
