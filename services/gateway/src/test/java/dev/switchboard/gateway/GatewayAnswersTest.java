package dev.switchboard.gateway;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import dev.switchboard.contracts.inventory.v1.GetProductRequest;
import dev.switchboard.contracts.inventory.v1.InventoryServiceGrpc;
import dev.switchboard.contracts.inventory.v1.ListProductsRequest;
import dev.switchboard.contracts.inventory.v1.ListProductsResponse;
import dev.switchboard.contracts.inventory.v1.Product;
import dev.switchboard.contracts.order.v1.Address;
import dev.switchboard.contracts.order.v1.CreateOrderRequest;
import dev.switchboard.contracts.order.v1.CreateOrderResponse;
import dev.switchboard.contracts.order.v1.GetOrderRequest;
import dev.switchboard.contracts.order.v1.Order;
import dev.switchboard.contracts.order.v1.OrderLine;
import dev.switchboard.contracts.order.v1.OrderServiceGrpc;
import dev.switchboard.contracts.order.v1.OrderStatus;
import dev.switchboard.contracts.order.v1.OrderUpdate;
import dev.switchboard.contracts.order.v1.StreamOrderUpdatesRequest;
import dev.switchboard.platform.resilience.RetryAfter;
import dev.switchboard.testing.TestTokens;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every answer the gateway maps, with the gateway running for real and stand-in order and
 * inventory services on real sockets that answer what each test asks of them: the client
 * gets a status that says what happened (its fault, the platform's, nothing done, outcome
 * unknown) and an {@code application/problem+json} body that says why. Breakers are kept
 * closed (a high minimum of calls) so each answer is the mapping's, not the breaker's;
 * the creation deadline is 2 s, well above a cold first call, so only "never-answers"
 * meets it. Tokens come from a stand-in issuer ({@link TestTokens}) whose keys the
 * gateway fetches over HTTP, as it fetches the identity service's.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "switchboard.edges.order-create.timeout=2s",
				"switchboard.edges.order-create.retry.max-attempts=1", "switchboard.edges.order.retry.max-attempts=1",
				"switchboard.edges.inventory.retry.max-attempts=1",
				"switchboard.edges.order-create.breaker.minimum-calls=1000",
				"switchboard.edges.order.breaker.minimum-calls=1000",
				"switchboard.edges.inventory.breaker.minimum-calls=1000", "switchboard.gateway.max-body-size=2KB" })
class GatewayAnswersTest {

	private static final String ORDER = """
			{"customerId":"c-1","items":[{"sku":"SKU-0001","quantity":1}],"paymentToken":"tok_visa",
			 "shippingAddress":{"country":"US","city":"Austin","line1":"1 Main St","postalCode":"78701"}}""";

	private static final TestTokens tokens = TestTokens.start();

	/** What the stand-in order service last received: the caller's credentials. */
	private static final AtomicReference<String> forwardedAuthorization = new AtomicReference<>();

	private static final AtomicReference<String> forwardedCustomer = new AtomicReference<>();

	private static final Server services = start();

	/** The demo client's token, with every scope. */
	private final String token = tokens.issue("demo-client", "orders:read", "orders:write", "analytics:read");

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	@DynamicPropertySource
	static void standIns(DynamicPropertyRegistry registry) {
		registry.add("spring.grpc.client.channel.order.target", () -> "127.0.0.1:" + services.getPort());
		registry.add("spring.grpc.client.channel.inventory.target", () -> "127.0.0.1:" + services.getPort());
		registry.add("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", tokens::jwkSetUri);
		registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", () -> TestTokens.ISSUER);
		registry.add("switchboard.services.identity.url", tokens::baseUrl);
	}

	@AfterAll
	static void stop() {
		services.shutdownNow();
		tokens.close();
	}

	@Test
	void ordersNeedAValidTokenAndProductsDoNot() throws Exception {
		assertThat(get("/api/v1/products/SKU-0001", null).statusCode()).isEqualTo(200);
		for (String path : new String[] { "/api/v1/orders/o-1", "/api/v1/orders/o-1/saga",
				"/api/v1/orders/o-1/notifications", "/api/v1/analytics/summary" }) {
			HttpResponse<String> anonymous = get(path, null);
			assertProblem(anonymous, 401, "needs an access token");
			assertThat(anonymous.headers().firstValue("WWW-Authenticate")).as(path)
				.hasValueSatisfying((value) -> assertThat(value).startsWith("Bearer"));
		}
		assertProblem(send(post("ok", ORDER).header("Content-Type", "application/json"), null), 401,
				"POST /oauth2/token");
		HttpResponse<String> metadata = get("/.well-known/oauth-protected-resource", null);
		assertThat(metadata.statusCode()).as("the resource metadata the challenge names (RFC 9728)").isEqualTo(200);
		for (String bad : new String[] { "not-a-jwt", tokens.expired("demo-client", "orders:read"),
				tokens.forged("demo-client", "orders:read"),
				tokens.issueAs("http://elsewhere", "demo-client", "orders:read") }) {
			HttpResponse<String> refused = get("/api/v1/orders/o-1", bad);
			assertProblem(refused, 401, "the bearer token is not valid");
			assertThat(refused.headers().firstValue("WWW-Authenticate"))
				.hasValueSatisfying((value) -> assertThat(value).startsWith("Bearer error=\"invalid_token\""));
		}
	}

	@Test
	void eachRouteNeedsItsScope() throws Exception {
		String readOnly = tokens.issue("demo-client", "orders:read");
		HttpResponse<String> placing = send(post("ok", ORDER).header("Content-Type", "application/json"), readOnly);
		assertProblem(placing, 403, "the token does not grant the scope this needs: orders:write");
		assertThat(placing.headers().firstValue("WWW-Authenticate"))
			.hasValueSatisfying((value) -> assertThat(value).contains("insufficient_scope"));
		assertThat(get("/api/v1/orders/o-1", readOnly).statusCode()).isEqualTo(200);
		assertProblem(get("/api/v1/analytics/summary", readOnly), 403, "analytics:read");
		assertProblem(get("/api/v1/orders/o-1", tokens.issue("demo-client", "orders:write")), 403, "orders:read");
	}

	@Test
	void theOrderIsTheTokenSubjectsAndTheTokenGoesWithTheCall() throws Exception {
		String someone = tokens.issue("someone", "orders:write");
		assertThat(send(post("ok", ORDER).header("Content-Type", "application/json"), someone).statusCode())
			.isEqualTo(201);
		assertThat(forwardedCustomer.get()).as("the body's customerId is ignored").isEqualTo("someone");
		assertThat(forwardedAuthorization.get()).isEqualTo("Bearer " + someone);
	}

	@Test
	void theTokenEndpointAndKeysAreServedThroughTheGateway() throws Exception {
		HttpResponse<String> issued = send(tokenRequest("demo-client:demo-secret"), null);
		assertThat(issued.statusCode()).as(issued.body()).isEqualTo(200);
		assertThat(issued.body()).contains("\"access_token\"", "\"token_type\":\"Bearer\"");
		assertThat(issued.headers().firstValue("Cache-Control")).hasValue("no-store");

		HttpResponse<String> refused = send(tokenRequest("demo-client:wrong"), null);
		assertThat(refused.statusCode()).isEqualTo(401);
		assertThat(refused.body()).contains("invalid_client");

		HttpResponse<String> keys = get("/oauth2/jwks", null);
		assertThat(keys.statusCode()).isEqualTo(200);
		assertThat(keys.body()).contains("\"keys\"");
	}

	private HttpRequest.Builder tokenRequest(String credentials) {
		return HttpRequest.newBuilder(uri("/oauth2/token"))
			.header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(credentials.getBytes()))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=orders:read"));
	}

	@Test
	void thePublicPortTellsTheHealthStatusAloneAndTheActuatorIsOnItsOwnPort() throws Exception {
		HttpResponse<String> health = get("/actuator/health");
		assertThat(health.statusCode()).isEqualTo(200);
		assertThat(health.body()).isEqualTo("{\"status\":\"UP\"}");
		assertThat(get("/actuator/metrics").statusCode()).isEqualTo(404);
		assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(404);

		HttpResponse<String> details = send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.managementPort + "/actuator/health"))
					.GET());
		assertThat(details.statusCode()).isEqualTo(200);
		assertThat(details.body()).contains("\"components\"");
	}

	@Test
	void jsonIsReadAsWrittenAndTextHoldsNoControlCharacter() throws Exception {
		assertProblem(create("ok", ORDER.replace("\"quantity\":1", "\"quantity\":1.9")), 400,
				"a value of the wrong type (numbers are not quoted, counts have no fraction, texts are quoted)"
						+ " at items[0].quantity");
		assertProblem(create("ok", ORDER.replace("\"quantity\":1", "\"quantity\":\"5\"")), 400, "at items[0].quantity");
		assertProblem(create("ok", ORDER.replace("\"customerId\":\"c-1\"", "\"customerId\":42")), 400,
				"a value of the wrong type");
		assertProblem(
				create("ok", ORDER.replace("\"customerId\":\"c-1\"", "\"customerId\":\"a\",\"customerId\":\"b\"")), 400,
				"a key given twice");
		assertProblem(create("ok", "{\"customerId\":"), 400, "malformed JSON");
		for (String control : new String[] { "\\u0000", "\\n", "\\u001b", "\\u0085" }) {
			assertProblem(create("ok", ORDER.replace("Austin", "Aus" + control + "tin")), 400,
					"shippingAddress.city must not contain control characters");
		}
		assertProblem(create("ok", ORDER.replace("SKU-0001", "SKU\\u00000001")), 400,
				"items[0].sku must not contain control characters");
		assertThat(create("ok", ORDER.replace("Austin", "Saint-\\u00c9tienne")).statusCode())
			.as("letters beyond ASCII are text")
			.isEqualTo(201);
	}

	@Test
	void whatTheContainerAndTheFirewallRefuseIsAProblemToo() throws Exception {
		// Tomcat itself: an encoded slash, backslash or NUL in the path.
		for (String path : new String[] { "/api/v1/orders/a%2Fb", "/api/v1/products/a%5Cb", "/x%00" }) {
			assertProblem(get(path), 400, "");
		}
		// Spring Security's firewall: an encoded percent, a double slash.
		assertProblem(get("/api/v1/orders/%25zz"), 400, "");
		assertProblem(send(HttpRequest.newBuilder(uri("/api/v1/products"))
			.header("Accept", "text/html")
			.GET()
			.uri(uri("/api//products"))), 400, "");
		// A form in a PUT that cannot be decoded.
		assertProblem(send(HttpRequest.newBuilder(uri("/oauth2/x"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.PUT(HttpRequest.BodyPublishers.ofString("a=%zz"))), 404, "");
		// A multipart type, which no route reads.
		assertProblem(send(post("ok", ORDER).header("Content-Type", "multipart/form-data")), 415, "");
		// A type no body can have, on any route (Spring's functional endpoints,
		// GraphQL's,
		// failed on it with a 500).
		for (String type : new String[] { "*/*", "application/*", "not a type" }) {
			assertProblem(send(HttpRequest.newBuilder(uri("/api/v1/products"))
				.header("Content-Type", type)
				.method("DELETE", HttpRequest.BodyPublishers.noBody())), 415, "");
			assertProblem(send(post("ok", ORDER).header("Content-Type", type)), 415, "");
		}
	}

	@Test
	void anIdempotencyKeyIsOneTo255VisibleAsciiCharacters() throws Exception {
		for (String key : new String[] { "two words", "k".repeat(256), "" }) {
			assertProblem(create(key, ORDER), 400, "Idempotency-Key must be 1 to 255 visible ASCII characters");
		}
	}

	@Test
	void aPlacedOrderIs201WithItsLocation() throws Exception {
		HttpResponse<String> response = create("ok", ORDER);

		assertThat(response.statusCode()).isEqualTo(201);
		assertThat(response.headers().firstValue("Location")).hasValue("/api/v1/orders/o-1");
		assertThat(response.headers().firstValue("Idempotent-Replayed")).hasValue("false");
		assertThat(response.body()).contains("\"status\":\"PENDING\"", "\"total\":19.99");
	}

	@Test
	void theClientsMistakesAre400415And413() throws Exception {
		assertProblem(create("ok", "{\"customerId\":"), 400, "");
		assertProblem(create("ok", "{\"customerId\":\"c-1\",\"items\":[]}"), 400, "invalid fields");
		assertProblem(create(" ", ORDER), 400, "Idempotency-Key");
		assertProblem(create("status:INVALID_ARGUMENT", ORDER), 400, "refused by the stand-in");
		assertProblem(send(post("ok", ORDER).header("Content-Type", "text/plain")), 415, "");
		assertProblem(send(post("ok", ORDER).header("Content-Type", "application/json; charset=nonsense")), 415,
				"Could not parse Content-Type");
		assertProblem(create("ok", ORDER.replace("Austin", "A".repeat(4096))), 413, "");
	}

	@Test
	void aRequestTheOrderServiceRefusesIs422Or409() throws Exception {
		assertProblem(create("status:NOT_FOUND", ORDER), 422, "refused by the stand-in");
		assertProblem(create("status:ALREADY_EXISTS", ORDER), 422, "refused by the stand-in");
		assertProblem(create("status:FAILED_PRECONDITION", ORDER), 409, "refused by the stand-in");
	}

	@Test
	void nothingDoneIs503WithTheRetryAfterTheServiceAskedFor() throws Exception {
		HttpResponse<String> shed = create("status:RESOURCE_EXHAUSTED", ORDER);
		assertProblem(shed, 503, "unavailable");
		assertThat(shed.headers().firstValue("Retry-After")).hasValue("7");
		assertProblem(create("status:UNAVAILABLE", ORDER), 503, "unavailable");
	}

	@Test
	void noAnswerWithinTheDeadlineIs504ThatSaysTheOrderMayHaveBeenPlaced() throws Exception {
		HttpResponse<String> response = create("never-answers", ORDER);

		assertProblem(response, 504, "may have been placed");
		assertThat(response.headers().firstValue("Retry-After")).isPresent();
		assertThat(response.body()).contains("same Idempotency-Key");
	}

	@Test
	void aServiceThatFailsIs502() throws Exception {
		assertProblem(create("status:INTERNAL", ORDER), 502, "a service failed");
		assertProblem(get("/api/v1/orders/status:DATA_LOSS"), 502, "a service failed");
	}

	@Test
	void readsAnswer404ForWhatDoesNotExist() throws Exception {
		assertThat(get("/api/v1/orders/o-1").statusCode()).isEqualTo(200);
		assertProblem(get("/api/v1/orders/status:NOT_FOUND"), 404, "refused by the stand-in");
		assertProblem(get("/api/v1/products/status:NOT_FOUND"), 404, "refused by the stand-in");
		assertProblem(get("/api/v1/nothing-here"), 404, "");
		assertProblem(send(HttpRequest.newBuilder(uri("/api/v1/orders/o-1")).DELETE()), 405, "");
	}

	@Test
	void version2WritesMoneyAsAmountsWithTheirCurrencyAndNamesTheLines() throws Exception {
		HttpResponse<String> product = get("/api/v2/products/SKU-0001");
		assertThat(product.statusCode()).isEqualTo(200);
		assertThat(product.body()).contains("\"price\":{\"amount\":\"19.99\",\"currency\":\"USD\"}");
		assertThat(product.headers().firstValue("Deprecation")).isEmpty();

		HttpResponse<String> order = get("/api/v2/orders/o-1");
		assertThat(order.statusCode()).as(order.body()).isEqualTo(200);
		assertThat(order.body()).contains("\"total\":{\"amount\":\"19.99\",\"currency\":\"USD\"}")
			.contains("\"lines\":[{\"sku\":\"SKU-0001\",\"name\":\"Thing\",\"quantity\":1,"
					+ "\"unitPrice\":{\"amount\":\"19.99\",\"currency\":\"USD\"}}]")
			.doesNotContain("\"items\"");

		HttpResponse<String> placed = send(HttpRequest.newBuilder(uri("/api/v2/orders"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(ORDER)));
		assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
		assertThat(placed.headers().firstValue("Location")).hasValue("/api/v2/orders/o-1");
		assertThat(placed.body()).contains("\"total\":{\"amount\":\"19.99\"");

		assertThat(get("/api/v2/orders/o-1/saga").statusCode()).as("routes alike in both versions").isNotEqualTo(404);
	}

	@Test
	void theVersionHeaderOrQueryChoosesTheVersionWhateverThePathSays() throws Exception {
		for (HttpRequest.Builder asV2 : List.of(
				HttpRequest.newBuilder(uri("/api/v1/products/SKU-0001")).header("API-Version", "2"),
				HttpRequest.newBuilder(uri("/api/v1/products/SKU-0001?version=2")))) {
			HttpResponse<String> answer = send(asV2);
			assertThat(answer.body()).contains("\"amount\":\"19.99\"");
			assertThat(answer.headers().firstValue("Deprecation")).isEmpty();
		}
		HttpResponse<String> asV1 = send(
				HttpRequest.newBuilder(uri("/api/v2/products/SKU-0001")).header("API-Version", "1"));
		assertThat(asV1.body()).contains("\"price\":19.99");
		assertThat(asV1.headers().firstValue("Deprecation")).isPresent();
	}

	@Test
	void version1AnswersSayTheyAreDeprecatedWhenTheyGoAndWhereTheirSuccessorIs() throws Exception {
		HttpResponse<String> v1 = get("/api/v1/products/SKU-0001");
		assertThat(v1.statusCode()).isEqualTo(200);
		assertThat(v1.body()).contains("\"price\":19.99");
		// RFC 9745: a Structured Fields date, seconds since the epoch.
		assertThat(v1.headers().firstValue("Deprecation")).hasValue("@1796083200");
		// RFC 8594: an HTTP date.
		assertThat(v1.headers().firstValue("Sunset")).hasValue("Wed, 1 Dec 2027 00:00:00 GMT");
		assertThat(v1.headers().allValues("Link")).contains("</api/v2/products/SKU-0001>; rel=\"successor-version\"");
	}

	@Test
	void anOrderPageWhoseSourcesAreAwayIsTheOrderWithThemNamedAsMissing() throws Exception {
		// No notification or shipping service listens here, and the stand-in order
		// service
		// has no sagas: the page is the order alone, saying what it lacks.
		HttpResponse<String> web = get("/bff/web/orders/o-1");
		assertThat(web.statusCode()).as(web.body()).isEqualTo(200);
		assertThat(web.body()).contains("\"name\":\"Thing\"")
			.contains("\"partial\":[\"saga\",\"shipment\",\"notifications\"]")
			.doesNotContain("\"saga\":{");
		HttpResponse<String> mobile = get("/bff/mobile/orders/o-1");
		assertThat(mobile.statusCode()).as(mobile.body()).isEqualTo(200);
		assertThat(mobile.body()).contains("\"total\":\"19.99 USD\"").contains("\"units\":1");
		assertThat(mobile.body().length()).as("the mobile page is the smaller").isLessThan(web.body().length());

		assertProblem(get("/bff/web/orders/status:NOT_FOUND"), 404, "refused by the stand-in");
		assertProblem(get("/bff/mobile/orders/status:UNAVAILABLE"), 503, "");
		assertThat(get("/bff/web/orders/o-1", null).statusCode()).isEqualTo(401);
		assertThat(get("/bff/web/orders/o-1", tokens.issue("demo-client", "orders:write")).statusCode()).isEqualTo(403);
	}

	@Test
	void anOrdersStatusChangesAreServerSentEventsThatResumeAfterTheLastEventId() throws Exception {
		HttpResponse<String> all = get("/api/v1/orders/o-1/events");
		assertThat(all.statusCode()).as(all.body()).isEqualTo(200);
		assertThat(all.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("text/event-stream"));
		assertThat(all.body()).contains("id:1\nevent:status\ndata:{\"orderId\":\"o-1\",\"status\":\"PENDING\"")
			.contains("id:3\nevent:status\ndata:{\"orderId\":\"o-1\",\"status\":\"COMPLETED\"");
		HttpResponse<String> resumed = send(
				HttpRequest.newBuilder(uri("/api/v2/orders/o-1/events")).header("Last-Event-ID", "1"));
		assertThat(resumed.body()).doesNotContain("id:1\n").contains("id:2\n").contains("id:3\n");

		assertProblem(send(HttpRequest.newBuilder(uri("/api/v1/orders/o-1/events")).header("Last-Event-ID", "x")), 400,
				"Last-Event-ID");
		assertProblem(get("/api/v1/orders/status:NOT_FOUND/events"), 404, "refused by the stand-in");
		assertThat(get("/api/v1/orders/o-1/events", null).statusCode()).isEqualTo(401);
	}

	@Test
	void orderUpdatesComeOverAWebSocketAuthenticatedByHeaderOrByQueryParameter() throws Exception {
		Messages byHeader = new Messages();
		java.net.http.WebSocket socket = this.http.newWebSocketBuilder()
			.header("Authorization", "Bearer " + this.token)
			.buildAsync(URI.create("ws://127.0.0.1:" + this.port + "/ws/orders"), byHeader)
			.get(10, java.util.concurrent.TimeUnit.SECONDS);
		socket.sendText("{\"subscribe\": \"o-1\"}", true);
		assertThat(byHeader.next()).contains("\"seq\":1").contains("\"status\":\"PENDING\"");
		assertThat(byHeader.next()).contains("\"seq\":2");
		assertThat(byHeader.next()).contains("\"seq\":3").contains("COMPLETED");
		assertThat(byHeader.next()).isEqualTo("{\"completed\":\"o-1\"}");
		socket.sendText("{\"subscribe\": \"status:NOT_FOUND\"}", true);
		assertThat(byHeader.next()).contains("\"error\":\"no order status:NOT_FOUND\"");
		socket.sendText("not json", true);
		assertThat(byHeader.next()).contains("not a subscription");
		socket.sendClose(java.net.http.WebSocket.NORMAL_CLOSURE, "done");

		Messages byQuery = new Messages();
		java.net.http.WebSocket browserLike = this.http.newWebSocketBuilder()
			.buildAsync(URI.create("ws://127.0.0.1:" + this.port + "/ws/orders?access_token=" + this.token), byQuery)
			.get(10, java.util.concurrent.TimeUnit.SECONDS);
		browserLike.sendText("{\"subscribe\": \"o-1\", \"after\": 2}", true);
		assertThat(byQuery.next()).contains("\"seq\":3");
		assertThat(byQuery.next()).isEqualTo("{\"completed\":\"o-1\"}");
		browserLike.sendClose(java.net.http.WebSocket.NORMAL_CLOSURE, "done");

		assertThat(this.http.newWebSocketBuilder()
			.buildAsync(URI.create("ws://127.0.0.1:" + this.port + "/ws/orders"), new Messages())
			.handle((connected, failure) -> failure)
			.get(10, java.util.concurrent.TimeUnit.SECONDS)).as("no token, no connection")
			.hasStackTraceContaining("status code 401");
	}

	/** What a WebSocket client received, a message at a time. */
	static final class Messages implements java.net.http.WebSocket.Listener {

		private final java.util.concurrent.BlockingQueue<String> received = new java.util.concurrent.LinkedBlockingQueue<>();

		private final StringBuilder partial = new StringBuilder();

		@Override
		public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket socket, CharSequence data,
				boolean last) {
			this.partial.append(data);
			if (last) {
				this.received.add(this.partial.toString());
				this.partial.setLength(0);
			}
			socket.request(1);
			return null;
		}

		String next() throws InterruptedException {
			String message = this.received.poll(10, java.util.concurrent.TimeUnit.SECONDS);
			assertThat(message).as("a message within 10 s").isNotNull();
			return message;
		}

	}

	@Test
	void theDocumentDescribesEachVersionOfARouteAndMarksVersion1Deprecated() throws Exception {
		tools.jackson.databind.JsonNode document = tools.jackson.databind.json.JsonMapper.builder()
			.build()
			.readTree(get("/v3/api-docs", null).body());
		for (String version : List.of("v1", "v2")) {
			tools.jackson.databind.JsonNode placing = document.path("paths")
				.path("/api/" + version + "/orders")
				.path("post");
			assertThat(placing.path("responses").propertyNames()).as(version)
				.contains("201", "400", "409", "413", "415", "422", "504");
			assertThat(placing.path("deprecated").asBoolean(false)).as(version).isEqualTo(version.equals("v1"));
			tools.jackson.databind.JsonNode reading = document.path("paths")
				.path("/api/" + version + "/orders/{orderId}")
				.path("get");
			assertThat(reading.path("responses").propertyNames()).as(version).contains("200", "304", "404");
			assertThat(reading.path("summary").asString()).isEqualTo("One of the caller's orders");
			assertThat(document.path("paths").has("/api/" + version + "/products/{sku}")).isTrue();
			assertThat(document.path("paths").has("/api/" + version + "/orders/{orderId}/events")).isTrue();
		}
	}

	@Test
	void aVersionNotServedIs400() throws Exception {
		assertProblem(get("/api/v3/products/SKU-0001"), 400, "API version '3' is not served");
		assertProblem(send(HttpRequest.newBuilder(uri("/api/v1/products/SKU-0001")).header("API-Version", "7")), 400,
				"");
	}

	private void assertProblem(HttpResponse<String> response, int status, String detail) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		assertThat(response.body()).contains("\"status\":" + status).contains(detail);
	}

	private HttpResponse<String> create(String key, String body) throws IOException, InterruptedException {
		return send(post(key, body).header("Content-Type", "application/json"));
	}

	private HttpRequest.Builder post(String key, String body) {
		return HttpRequest.newBuilder(uri("/api/v1/orders"))
			.header("Idempotency-Key", key)
			.POST(HttpRequest.BodyPublishers.ofString(body));
	}

	private HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return send(HttpRequest.newBuilder(uri(path)).GET());
	}

	private HttpResponse<String> get(String path, String bearer) throws IOException, InterruptedException {
		return send(HttpRequest.newBuilder(uri(path)).GET(), bearer);
	}

	/** Sends with the demo client's token. */
	private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
		return send(request, this.token);
	}

	private HttpResponse<String> send(HttpRequest.Builder request, String bearer)
			throws IOException, InterruptedException {
		if (bearer != null) {
			request.header("Authorization", "Bearer " + bearer);
		}
		return this.http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

	private static Server start() {
		try {
			return ServerBuilder.forPort(0)
				.addService(ServerInterceptors.intercept(new StandInOrders(), new RememberCaller()))
				.addService(new StandInInventory())
				.build()
				.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Fails a call whose key or id is {@code status:CODE} with that code
	 * (RESOURCE_EXHAUSTED with Retry-After 7 s), never answers {@code never-answers}, and
	 * answers anything else.
	 */
	private static boolean failed(String what, StreamObserver<?> response) {
		if (what.equals("never-answers")) {
			return true;
		}
		if (what.startsWith("status:")) {
			Status status = Status.fromCode(Status.Code.valueOf(what.substring("status:".length())))
				.withDescription("refused by the stand-in");
			response.onError(status.getCode() == Status.Code.RESOURCE_EXHAUSTED
					? status.asRuntimeException(RetryAfter.trailers(Duration.ofSeconds(7)))
					: status.asRuntimeException());
			return true;
		}
		return false;
	}

	private static Order order(String id) {
		return Order.newBuilder()
			.setOrderId(id)
			.setCustomerId("c-1")
			.setStatus(OrderStatus.PENDING)
			.addLines(OrderLine.newBuilder().setSku("SKU-0001").setQuantity(1).setUnitPriceCents(1999))
			.setTotalCents(1999)
			.setShippingAddress(Address.newBuilder()
				.setCountry("US")
				.setCity("Austin")
				.setLine1("1 Main St")
				.setPostalCode("78701"))
			.setCreatedAt("2026-12-01T10:00:00Z")
			.setUpdatedAt("2026-12-01T10:00:00Z")
			.build();
	}

	static final class RememberCaller implements ServerInterceptor {

		@Override
		public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
				ServerCallHandler<Q, A> next) {
			forwardedAuthorization.set(headers.get(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER)));
			return next.startCall(call, headers);
		}

	}

	static final class StandInOrders extends OrderServiceGrpc.OrderServiceImplBase {

		@Override
		public void createOrder(CreateOrderRequest request, StreamObserver<CreateOrderResponse> response) {
			forwardedCustomer.set(request.getCustomerId());
			if (!failed(request.getIdempotencyKey(), response)) {
				response.onNext(CreateOrderResponse.newBuilder().setOrder(order("o-1")).build());
				response.onCompleted();
			}
		}

		/** Three changes of any order, seq 1 to 3, after the seq asked for. */
		@Override
		public void streamOrderUpdates(StreamOrderUpdatesRequest request, StreamObserver<OrderUpdate> response) {
			if (failed(request.getOrderId(), response)) {
				return;
			}
			OrderStatus[] statuses = { OrderStatus.PENDING, OrderStatus.PAID, OrderStatus.COMPLETED };
			for (int seq = (int) request.getAfterSeq() + 1; seq <= statuses.length; seq++) {
				response.onNext(OrderUpdate.newBuilder()
					.setSeq(seq)
					.setOrderId(request.getOrderId())
					.setStatus(statuses[seq - 1])
					.setAt("2026-12-01T10:00:0" + seq + "Z")
					.build());
			}
			response.onCompleted();
		}

		@Override
		public void getOrder(GetOrderRequest request, StreamObserver<Order> response) {
			if (!failed(request.getOrderId(), response)) {
				response.onNext(order(request.getOrderId()));
				response.onCompleted();
			}
		}

	}

	static final class StandInInventory extends InventoryServiceGrpc.InventoryServiceImplBase {

		@Override
		public void listProducts(ListProductsRequest request, StreamObserver<ListProductsResponse> response) {
			response.onNext(ListProductsResponse.newBuilder()
				.addProducts(Product.newBuilder().setSku("SKU-0001").setName("Thing").setPriceCents(1999))
				.build());
			response.onCompleted();
		}

		@Override
		public void getProduct(GetProductRequest request, StreamObserver<Product> response) {
			if (!failed(request.getSku(), response)) {
				response
					.onNext(Product.newBuilder().setSku(request.getSku()).setName("Thing").setPriceCents(1999).build());
				response.onCompleted();
			}
		}

	}

}
