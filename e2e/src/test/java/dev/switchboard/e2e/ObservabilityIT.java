package dev.switchboard.e2e;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

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

	/**
	 * A metric's name in a PromQL query: a word followed by its label selector or range
	 * (every query of the dashboards selects).
	 */
	private static final Pattern METRIC_IN_QUERY = Pattern.compile("\\b([a-z][a-z0-9_]*)(?=[{\\[])");

	/**
	 * Meters that exist only once what they count happened, with tags known only then:
	 * refusals by caller and target.
	 */
	private static final Set<String> BORN_OF_EVENTS = Set.of("switchboard_authorization_denied_total");

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
			// Each service sends its spans in batches of its own: the last may come a
			// second after the others.
			assertThat(names(spans)).contains("saga ship", "process switchboard.shipping.commands",
					"process switchboard.notification.emails");
			assertThat(spans.stream().map((span) -> span.path("localEndpoint").path("serviceName").asString()))
				.as("services in the trace")
				.contains("gateway", "order", "inventory", "payment", "shipping", "notification", "analytics");
		});
		assertThat(names(spans)).contains("http post /api/{version}/orders", "saga reserve", "saga charge",
				"saga allocate", "publish switchboard.order.events", "process switchboard.order.events");
		// The charge as this platform makes it (up --edge order-payment=...): a message
		// published and taken, or a call.
		String charge = args.contains("order-payment=grpc") ? null : args.contains("order-payment=stream")
				? "switchboard.payment.command-stream" : "switchboard.payment.commands";
		assertThat(names(spans)).as("the charge")
			.containsAll((charge == null) ? List.of("switchboard.payment.v1.paymentservice/charge")
					: List.of("publish " + charge, "process " + charge));
		assertThat(spans.stream().filter((span) -> span.path("name").asString().startsWith("saga ")))
			.allSatisfy((span) -> assertThat(span.path("tags").path(ORDER_ID).asString()).isEqualTo(order));
		// The relay's span starts at the writer's commit: a child of the span that wrote
		// the row.
		String relayed = "publish " + ((charge != null) ? charge : "switchboard.inventory.commands");
		JsonNode publish = spans.stream()
			.filter((span) -> span.path("name").asString().equals(relayed))
			.findFirst()
			.orElseThrow();
		assertThat(publish.path("kind").asString()).isEqualTo("PRODUCER");
		assertThat(spans).anySatisfy(
				(span) -> assertThat(span.path("id").asString()).isEqualTo(publish.path("parentId").asString()));
	}

	/**
	 * The Grafana dashboards in docs/grafana are dashboards a user imports: each is valid
	 * JSON whose panels query Prometheus, and every metric a query names is one the
	 * running platform serves, so no panel stays empty for want of a meter.
	 */
	@Test
	@Order(30)
	void everyMetricTheGrafanaDashboardsQueryIsServed() throws Exception {
		place("SKU-0082", 1, "tok_visa", "US", "COMPLETED");
		StringBuilder served = new StringBuilder();
		for (String service : SERVICES) {
			served.append(get(management(service, "/actuator/prometheus")).body());
		}
		Path dashboards = Path.of(System.getProperty("switchboard.home"), "docs", "grafana");
		List<Path> files;
		try (Stream<Path> listed = Files.list(dashboards)) {
			files = listed.filter((file) -> file.toString().endsWith(".json")).sorted().toList();
		}
		assertThat(files).hasSizeGreaterThanOrEqualTo(2);
		for (Path file : files) {
			JsonNode dashboard = Api.JSON.readTree(Files.readString(file));
			assertThat(dashboard.path("uid").asString()).as(file.toString()).isNotBlank();
			List<String> queries = new ArrayList<>();
			dashboard.path("panels")
				.forEach((panel) -> panel.path("targets")
					.forEach((target) -> queries.add(target.path("expr").asString())));
			assertThat(queries).as(file.toString()).hasSizeGreaterThan(10).doesNotContain("");
			for (String query : queries) {
				Matcher metric = METRIC_IN_QUERY.matcher(query);
				while (metric.find()) {
					String name = metric.group(1);
					if (!BORN_OF_EVENTS.contains(name)) {
						assertThat(served).as("%s: %s, in %s", file.getFileName(), name, query)
							.containsPattern("(?m)^" + name + "[{ ]");
					}
				}
			}
		}
	}

	private static List<String> names(List<JsonNode> spans) {
		return spans.stream().map((span) -> span.path("name").asString()).toList();
	}

}
