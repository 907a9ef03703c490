package dev.switchboard.e2e;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import static dev.switchboard.e2e.Api.get;
import static dev.switchboard.e2e.E2e.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a user can watch the running platform with: each service's metrics in Prometheus's
 * text format on its actuator port, for a scraper holding the operator's certificate, and
 * every order's trace in the trace view {@code up} runs.
 */
@PlatformTest
@Order(5)
class ObservabilityIT {

	/** The span attribute naming the order a span works on. */
	private static final String ORDER_ID = "switchboard.order.id";

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

	/**
	 * One order, one trace in the trace view that {@code up} runs: found by its order id,
	 * from the gateway's request through every service the saga touched, with a span for
	 * each saga step, for each message the outbox relay published and each one consumed.
	 */
	@Test
	@Order(20)
	void anOrdersTraceShowsEveryServiceItsSagaStepsAndItsMessagesInTheTraceView() {
		String order = place("SKU-0081", 1, "tok_visa", "US", "COMPLETED");
		awaitTerminal(order);
		String zipkin = platform.tracesUrl().orElseThrow().replaceFirst("/zipkin/$", "");
		List<JsonNode> spans = new ArrayList<>();
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			Api.Response found = get(zipkin + "/api/v2/traces?limit=5&annotationQuery="
					+ URLEncoder.encode(ORDER_ID + "=" + order, StandardCharsets.UTF_8));
			assertThat(found.status()).isEqualTo(200);
			JsonNode traces = Api.JSON.readTree(found.body());
			assertThat(traces).as("traces naming order %s", order).hasSize(1);
			spans.clear();
			traces.get(0).forEach(spans::add);
			assertThat(names(spans)).contains("saga ship", "process switchboard.shipping.commands",
					"process switchboard.notification.emails");
		});
		assertThat(spans.stream().map((span) -> span.path("localEndpoint").path("serviceName").asString()))
			.as("services in the trace")
			.contains("gateway", "order", "inventory", "payment", "shipping", "notification", "analytics");
		assertThat(names(spans)).contains("http post /api/{version}/orders", "saga reserve", "saga charge",
				"saga allocate", "publish switchboard.payment.commands", "process switchboard.payment.commands",
				"publish switchboard.order.events", "process switchboard.order.events");
		assertThat(spans.stream().filter((span) -> span.path("name").asString().startsWith("saga ")))
			.allSatisfy((span) -> assertThat(span.path("tags").path(ORDER_ID).asString()).isEqualTo(order));
		// The relay's span starts at the writer's commit: a child of the span that wrote
		// the row.
		JsonNode publish = spans.stream()
			.filter((span) -> span.path("name").asString().equals("publish switchboard.payment.commands"))
			.findFirst()
			.orElseThrow();
		assertThat(publish.path("kind").asString()).isEqualTo("PRODUCER");
		assertThat(spans).anySatisfy(
				(span) -> assertThat(span.path("id").asString()).isEqualTo(publish.path("parentId").asString()));
	}

	private static List<String> names(List<JsonNode> spans) {
		return spans.stream().map((span) -> span.path("name").asString()).toList();
	}

}
