package dev.switchboard.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import static dev.switchboard.e2e.Api.get;
import static dev.switchboard.e2e.Api.order;
import static dev.switchboard.e2e.Api.post;
import static dev.switchboard.e2e.E2e.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The OpenAPI document is the contract of the public API, so the gateway is held to it:
 * every answer of {@code /api/...} that any test class before this one got (Api records
 * them) has a status the document lists for its operation and a body that its JSON Schema
 * accepts; and every status an operation declares, with the shared ones (401, 403, 503)
 * somewhere, was seen at least once; 429 is provoked here.
 */
@PlatformTest
@Order(6)
class ApiContractIT {

	/** Statuses every route may answer, which need not be seen on each. */
	private static final Set<String> SHARED = Set.of("401", "403", "429", "503");

	@Test
	@Order(10)
	void theDocumentIsOpenApi31AndSwaggerUiShowsIt() {
		Api.Response document = get(platform.gatewayUrl() + "/v3/api-docs");
		assertThat(document.status()).isEqualTo(200);
		assertThat(document.json().path("openapi").asString()).startsWith("3.1");
		assertThat(document.json().path("paths").propertyNames()).contains("/api/v1/orders", "/api/v1/orders/{orderId}",
				"/api/v1/products", "/api/v1/products/{sku}", "/api/v1/analytics/summary");

		Api.Response ui = get(platform.gatewayUrl() + "/swagger-ui/index.html");
		assertThat(ui.status()).isEqualTo(200);
		assertThat(ui.header("Content-Type")).startsWith("text/html");
		assertThat(get(platform.gatewayUrl() + "/swagger-ui.html").status()).as("redirects to the UI").isEqualTo(302);
	}

	/**
	 * Every route once in each version, with the answers any client meets (the others
	 * come from the classes that test them: 409 from OrdersIT's race for the last units,
	 * 403 from its read-only token, 503 from ResilienceIT's faults).
	 */
	@Test
	@Order(15)
	void everyRouteOnce() {
		for (String api : List.of(E2e.api, E2e.api.replace("/api/v1", "/api/v2"))) {
			Api.Response placed = post(api + "/orders", "application/json", order("SKU-0067", 1, "tok_visa", "US"));
			assertThat(placed.status()).as(placed.body()).isEqualTo(201);
			String id = placed.json().path("orderId").asString();
			expected.put(id, "COMPLETED");
			for (String read : List.of("/orders/" + id, "/orders/" + id + "/saga", "/orders/" + id + "/notifications",
					"/products", "/products/SKU-0067", "/analytics/summary")) {
				assertThat(get(api + read).status()).as(read).isEqualTo(200);
			}
			for (String unknown : List.of("/orders/no-such-order", "/orders/no-such-order/saga",
					"/orders/no-such-order/notifications", "/products/SKU-9999")) {
				assertThat(get(api + unknown).status()).as(unknown).isEqualTo(404);
			}
			assertThat(get(api + "/orders/" + id, "Authorization", "Bearer not.a.token").status()).isEqualTo(401);
			assertThat(post(api + "/orders", "application/json", "{\"items\": []}").status()).isEqualTo(400);
			assertThat(post(api + "/orders", "text/plain", order("SKU-0067", 1, "tok_visa", "US")).status())
				.isEqualTo(415);
			assertThat(post(api + "/orders", "application/json", order("SKU-9999", 1, "tok_visa", "US")).status())
				.isEqualTo(422);
			assertThat(
					post(api + "/orders", "application/json", order("SKU-0067", 1, "x".repeat(70_000), "US")).status())
				.isEqualTo(413);

		}
	}

	/**
	 * A 504 no other test provokes for sure: order slower than the gateway's deadline on
	 * creating an order. The order is placed all the same; the client learns so by
	 * sending its request again under the same key.
	 */
	@Test
	@Order(20)
	void anOrderServiceSlowerThanTheDeadlineIsA504() throws Exception {
		String key = UUID.randomUUID().toString();
		String body = order("SKU-0066", 1, "tok_visa", "US");
		// Placing an order is the gRPC method CreateOrder, or POST /orders on order's
		// HTTP
		// port when the gateway's order edge is REST.
		String placing = args.contains("gateway-order=rest") ? "/orders" : "CreateOrder";
		switchboard("fault", "order", "--latency", "7s", "--route", placing, "--for", "60s", "--data-dir",
				dataDir.toString());
		try {
			Api.Response late = post(api + "/orders", "application/json", body, "Idempotency-Key", key);
			assertThat(late.status()).as(late.body()).isEqualTo(504);
		}
		finally {
			switchboard("fault", "order", "--clear", "--data-dir", dataDir.toString());
		}
		settle(key, body);
	}

	/**
	 * A client that sends more than its rate limit (the demo client: 100 requests per
	 * second, bursts of 200) gets 429 problems saying when to come back; its quota
	 * refills before the test ends, so the classes after it are not refused.
	 */
	@Test
	@Order(25)
	void aClientOverItsRateLimitIsRefusedWith429AndRetryAfter() throws Exception {
		String token = new dev.switchboard.launcher.platform.AccessTokens(platform.gatewayUrl(),
				dev.switchboard.launcher.platform.AccessTokens.DEMO,
				dev.switchboard.launcher.platform.AccessTokens.ALL_SCOPES)
			.token();
		java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
		java.net.http.HttpRequest request = java.net.http.HttpRequest
			.newBuilder(java.net.URI.create(api + "/products/SKU-0001"))
			.header("Authorization", "Bearer " + token)
			.build();
		List<java.net.http.HttpResponse<String>> answers = java.util.Collections.synchronizedList(new ArrayList<>());
		try (java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(32)) {
			for (int i = 0; i < 1000; i++) {
				clients
					.submit(() -> answers.add(http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString())));
			}
		}
		List<java.net.http.HttpResponse<String>> refused = answers.stream()
			.filter((answer) -> answer.statusCode() == 429)
			.toList();
		assertThat(refused).as("1,000 requests at once from one client").isNotEmpty();
		assertThat(refused).allSatisfy((answer) -> {
			assertThat(answer.headers().firstValue("Content-Type"))
				.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
			assertThat(answer.headers().firstValue("Retry-After")).isPresent();
			assertThat(answer.headers().firstValue("RateLimit-Policy"))
				.hasValueSatisfying((policy) -> assertThat(policy).startsWith("\"client\""));
		});
		assertThat(answers).as("only refusals and answers")
			.allSatisfy((answer) -> assertThat(answer.statusCode()).isIn(200, 429));
		// Until the bucket is nearly full again.
		await().atMost(Duration.ofSeconds(30)).until(() -> {
			java.net.http.HttpResponse<String> answer = http.send(request,
					java.net.http.HttpResponse.BodyHandlers.ofString());
			java.util.regex.Matcher left = Pattern.compile("r=(\\d+)")
				.matcher(answer.headers().firstValue("RateLimit").orElse(""));
			return answer.statusCode() == 200 && left.find() && Integer.parseInt(left.group(1)) >= 150;
		});
	}

	@Test
	@Order(30)
	void everyAnswerIsDocumentedAndMatchesItsSchema() {
		JsonNode document = get(platform.gatewayUrl() + "/v3/api-docs").json();
		List<Route> routes = routes(document);
		SchemaRegistry schemas = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

		Set<String> seen = new TreeSet<>();
		List<String> wrong = new ArrayList<>();
		int checked = 0;
		for (Api.Exchange exchange : Api.PUBLIC_ANSWERS) {
			Route route = routes.stream()
				.filter((candidate) -> candidate.matches(exchange.method(), exchange.path()))
				.findFirst()
				.orElse(null);
			if (route == null) {
				continue;
			}
			String status = Integer.toString(exchange.status());
			String what = exchange.method() + " " + exchange.path() + " " + status;
			JsonNode response = route.operation().path("responses").path(status);
			if (response.isMissingNode()) {
				wrong.add(what + ": not documented (" + abbreviated(exchange.body()) + ")");
				continue;
			}
			seen.add(route.key() + " " + status);
			checked++;
			String mediaType = exchange.contentType().split(";")[0].strip();
			JsonNode content = response.path("content");
			if (content.isMissingNode() || exchange.body().isEmpty()) {
				continue;
			}
			if (!content.has(mediaType)) {
				wrong.add(what + ": " + mediaType + " where the document says " + content.propertyNames());
				continue;
			}
			if (!mediaType.endsWith("json")) {
				// A stream of events: its type is checked above, its events by
				// LiveUpdatesIT.
				continue;
			}
			List<Error> errors = schema(schemas, document, route, status, mediaType)
				.validate(Api.JSON.readTree(exchange.body()));
			if (!errors.isEmpty()) {
				wrong.add(what + ": " + errors + " in " + abbreviated(exchange.body()));
			}
		}
		assertThat(wrong).as("answers the document does not describe").isEmpty();
		assertThat(checked).as("answers checked").isGreaterThan(100);

		Set<String> declared = new TreeSet<>();
		Set<String> sharedSeen = new TreeSet<>();
		for (Route route : routes) {
			route.operation()
				.path("responses")
				.propertyNames()
				.forEach((status) -> (SHARED.contains(status) ? sharedSeen : declared).add(route.key() + " " + status));
		}
		// A status seen in one version of a route counts for the other: both versions run
		// the same calls and map their failures alike; their bodies were each checked
		// above.
		assertThat(anyVersion(seen)).as("the statuses the routes declare, each seen").containsAll(anyVersion(declared));
		Set<String> sharedStatuses = new TreeSet<>();
		seen.forEach((entry) -> sharedStatuses.add(entry.substring(entry.lastIndexOf(' ') + 1)));
		assertThat(sharedStatuses).as("the shared statuses, each seen somewhere").contains("401", "403", "503");
	}

	/**
	 * The response schema as a schema of its own, its references to the document's
	 * components replaced by what they name (the gateway's schemas have no cycles).
	 */
	private static Schema schema(SchemaRegistry schemas, JsonNode document, Route route, String status,
			String mediaType) {
		JsonNode schema = route.operation()
			.path("responses")
			.path(status)
			.path("content")
			.path(mediaType)
			.path("schema");
		return schemas.getSchema(inline(schema, document.path("components").path("schemas")));
	}

	private static JsonNode inline(JsonNode node, JsonNode components) {
		if (node.isObject()) {
			String reference = node.path("$ref").asString("");
			if (reference.startsWith("#/components/schemas/")) {
				return inline(components.path(reference.substring("#/components/schemas/".length())), components);
			}
			ObjectNode copy = Api.JSON.createObjectNode();
			node.properties().forEach((entry) -> copy.set(entry.getKey(), inline(entry.getValue(), components)));
			return copy;
		}
		if (node.isArray()) {
			tools.jackson.databind.node.ArrayNode copy = Api.JSON.createArrayNode();
			node.forEach((element) -> copy.add(inline(element, components)));
			return copy;
		}
		return node;
	}

	private static Set<String> anyVersion(Set<String> routes) {
		Set<String> unversioned = new TreeSet<>();
		routes.forEach((route) -> unversioned.add(route.replaceFirst(" /api/v\\d+/", " /api/v*/")));
		return unversioned;
	}

	private static String abbreviated(String body) {
		return (body.length() > 300) ? body.substring(0, 300) + "..." : body;
	}

	private static List<Route> routes(JsonNode document) {
		List<Route> routes = new ArrayList<>();
		for (Map.Entry<String, JsonNode> path : document.path("paths").properties()) {
			for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
				routes.add(new Route(path.getKey(), operation.getKey(), operation.getValue()));
			}
		}
		return routes;
	}

	/** One operation of the document: a path template and a method. */
	record Route(String path, String method, JsonNode operation) {

		boolean matches(String requestMethod, String requestPath) {
			String template = Pattern.quote(this.path).replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q");
			return this.method.equalsIgnoreCase(requestMethod) && requestPath.split("\\?")[0].matches(template);
		}

		String key() {
			return this.method.toUpperCase() + " " + this.path;
		}

	}

}
