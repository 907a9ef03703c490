package dev.switchboard.gateway;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.HttpServer;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.switchboard.contracts.inventory.v1.GetProductRequest;
import dev.switchboard.contracts.inventory.v1.InventoryServiceGrpc;
import dev.switchboard.contracts.inventory.v1.ListProductsRequest;
import dev.switchboard.contracts.inventory.v1.ListProductsResponse;
import dev.switchboard.contracts.inventory.v1.Product;
import dev.switchboard.contracts.order.v1.GetOrderRequest;
import dev.switchboard.contracts.order.v1.ListOrdersRequest;
import dev.switchboard.contracts.order.v1.ListOrdersResponse;
import dev.switchboard.contracts.order.v1.ListSagasResponse;
import dev.switchboard.contracts.order.v1.Order;
import dev.switchboard.contracts.order.v1.OrderLine;
import dev.switchboard.contracts.order.v1.OrderServiceGrpc;
import dev.switchboard.contracts.order.v1.OrderStatus;
import dev.switchboard.contracts.order.v1.OrderUpdate;
import dev.switchboard.contracts.order.v1.Saga;
import dev.switchboard.contracts.order.v1.SagaStep;
import dev.switchboard.contracts.order.v1.StreamOrderUpdatesRequest;
import dev.switchboard.testing.TestTokens;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * GraphQL at {@code /graphql} on the real gateway, with stand-in services on real sockets
 * that count the calls they get: a query about many orders costs one call to each service
 * for each level of the query, never one per order or per line; orders are the caller's
 * (token required, with its scope); limits refuse a query before anything is asked;
 * subscriptions over WebSocket forward the order service's stream.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "switchboard.edges.order.retry.max-attempts=1", "switchboard.gateway.graphql.max-complexity=60",
				"switchboard.gateway.streams.max-per-client=1" })
class GraphQlTest {

	private static final TestTokens tokens = TestTokens.start();

	private static final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

	private static final AtomicReference<String> forwardedAuthorization = new AtomicReference<>();

	private static final Server grpc = startGrpc();

	private static final HttpServer http = startHttp();

	private static final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient client = HttpClient.newHttpClient();

	private final String token = tokens.issue("c-1", "orders:read", "orders:write");

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void standIns(DynamicPropertyRegistry registry) {
		registry.add("spring.grpc.client.channel.order.target", () -> "127.0.0.1:" + grpc.getPort());
		registry.add("spring.grpc.client.channel.inventory.target", () -> "127.0.0.1:" + grpc.getPort());
		String services = "http://127.0.0.1:" + http.getAddress().getPort();
		registry.add("switchboard.services.payment.url", () -> services);
		registry.add("switchboard.services.shipping.url", () -> services);
		registry.add("switchboard.services.notification.url", () -> services);
		registry.add("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", tokens::jwkSetUri);
		registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", () -> TestTokens.ISSUER);
		registry.add("switchboard.services.identity.url", tokens::baseUrl);
	}

	@AfterAll
	static void stop() {
		grpc.shutdownNow();
		http.stop(0);
		tokens.close();
	}

	@BeforeEach
	void countAfresh() {
		calls.clear();
	}

	private static int calls(String name) {
		return calls.getOrDefault(name, new AtomicInteger()).get();
	}

	@Test
	void aQueryAboutManyOrdersCallsEachServiceOncePerLevel() throws Exception {
		JsonNode answer = query("""
				{ orders(orderIds: ["o-1", "o-2", "o-3", "someone-elses"]) {
				    orderId status total { amount currency }
				    lines { sku name quantity unitPrice { amount } product { name available price { amount } } }
				    saga { mode status steps { name state } }
				    payment { paymentId status amount { amount currency } }
				    shipment { status country }
				    notifications { kind subject }
				} }""", this.token);

		assertThat(answer.path("errors").isMissingNode()).as(answer.toString()).isTrue();
		JsonNode orders = answer.path("data").path("orders");
		assertThat(orders).extracting((o) -> o.path("orderId").asString()).containsExactly("o-1", "o-2", "o-3");
		JsonNode first = orders.get(0);
		assertThat(first.path("total").path("amount").asString()).isEqualTo("39.98");
		assertThat(first.path("lines").get(0).path("name").asString()).isEqualTo("Product SKU-0001");
		assertThat(first.path("lines").get(0).path("product").path("available").asInt()).isEqualTo(10);
		assertThat(first.path("saga").path("steps").get(0).path("name").asString()).isEqualTo("reserve");
		assertThat(first.path("payment").path("amount").path("amount").asString()).isEqualTo("39.98");
		assertThat(first.path("shipment").path("country").asString()).isEqualTo("US");
		assertThat(first.path("notifications")).hasSize(1);
		assertThat(orders.get(2).path("payment").isNull()).as("o-3 has no payment yet").isTrue();
		assertThat(orders.get(2).path("notifications")).isEmpty();

		assertThat(calls("ListOrders")).isEqualTo(1);
		assertThat(calls("ListSagas")).isEqualTo(1);
		assertThat(calls("/payments")).isEqualTo(1);
		assertThat(calls("/shipments")).isEqualTo(1);
		assertThat(calls("/notifications")).isEqualTo(1);
		assertThat(calls("GetOrder") + calls("GetSaga")).as("one by one").isZero();
		assertThat(calls("ListProducts")).as("names, then the lines' products: one read each at most").isBetween(1, 2);
		assertThat(forwardedAuthorization.get()).isEqualTo("Bearer " + this.token);
	}

	@Test
	void ordersNeedATokenWithTheirScopeAndProductsDoNot() throws Exception {
		JsonNode anonymous = query("{ order(orderId: \"o-1\") { status } }", null);
		assertThat(anonymous.path("errors").get(0).path("extensions").path("classification").asString())
			.isEqualTo("UNAUTHORIZED");
		assertThat(anonymous.path("data").path("order").isNull()).isTrue();

		JsonNode writeOnly = query("{ order(orderId: \"o-1\") { status } }", tokens.issue("c-1", "orders:write"));
		assertThat(writeOnly.path("errors").get(0).path("extensions").path("classification").asString())
			.isEqualTo("FORBIDDEN");
		assertThat(writeOnly.path("errors").get(0).path("message").asString()).contains("orders:read");

		JsonNode products = query("{ products { sku name } product(sku: \"SKU-0002\") { price { amount } } }", null);
		assertThat(products.path("data").path("products")).hasSize(3);
		assertThat(products.path("data").path("product").path("price").path("amount").asString()).isEqualTo("19.99");
		assertThat(calls("ListOrders")).isZero();
	}

	@Test
	void anOrderThatIsNotTheCallersIsNull() throws Exception {
		JsonNode answer = query("{ order(orderId: \"someone-elses\") { status } }", this.token);
		assertThat(answer.path("data").path("order").isNull()).isTrue();
		assertThat(answer.path("errors").isMissingNode()).isTrue();
	}

	@Test
	void queriesTooDeepOrTooLargeAreRefusedBeforeAnythingIsAsked() throws Exception {
		String nested = "{ __schema { types { fields { type " + "{ ofType ".repeat(14) + "{ name }" + " }".repeat(14)
				+ " } } } }";
		JsonNode deep = query(nested, null);
		assertThat(deep.path("errors").get(0).path("message").asString()).containsIgnoringCase("depth");

		StringBuilder wide = new StringBuilder("{");
		for (int i = 0; i < 20; i++) {
			wide.append(" o").append(i).append(": orders(orderIds: [\"o-1\"]) { orderId status customerId }");
		}
		JsonNode large = query(wide.append(" }").toString(), this.token);
		assertThat(large.path("errors").get(0).path("message").asString()).containsIgnoringCase("complexity");
		assertThat(calls("ListOrders")).isZero();

		StringBuilder ids = new StringBuilder();
		for (int i = 0; i <= 100; i++) {
			ids.append("\"o-").append(i).append("\",");
		}
		JsonNode tooMany = query("{ orders(orderIds: [" + ids + "]) { orderId } }", this.token);
		assertThat(tooMany.path("errors").get(0).path("message").asString()).contains("at most 100");
		assertThat(tooMany.path("errors").get(0).path("extensions").path("classification").asString())
			.isEqualTo("BAD_REQUEST");
	}

	@Test
	void anInvalidOrderIsRefusedWithWhatIsWrong() throws Exception {
		JsonNode answer = query("""
				mutation { placeOrder(order: { items: [{ sku: "SKU-0001", quantity: 0 }], paymentToken: "tok_visa",
				  shippingAddress: { country: "usa", city: "Austin", line1: "1 Main St", postalCode: "78701" } })
				  { order { orderId } } }""", this.token);
		JsonNode error = answer.path("errors").get(0);
		assertThat(error.path("extensions").path("classification").asString()).isEqualTo("BAD_REQUEST");
		assertThat(error.path("message").asString()).contains("quantity").contains("country");
		assertThat(calls("CreateOrder")).isZero();
	}

	@Test
	void aSubscriptionForwardsTheOrdersUpdatesOverWebSocket() throws Exception {
		BlockingQueue<String> messages = new LinkedBlockingQueue<>();
		WebSocket socket = this.client.newWebSocketBuilder()
			.subprotocols("graphql-transport-ws")
			.buildAsync(URI.create("ws://127.0.0.1:" + this.port + "/graphql"), new Collecting(messages))
			.get(10, TimeUnit.SECONDS);
		socket.sendText("{\"type\":\"connection_init\",\"payload\":{\"Authorization\":\"Bearer " + this.token + "\"}}",
				true);
		assertThat(next(messages).path("type").asString()).isEqualTo("connection_ack");
		socket.sendText("""
				{"id":"1","type":"subscribe","payload":{"query":
				 "subscription { orderUpdates(orderId: \\"o-1\\", after: \\"4\\") { seq orderId status } }"}}""", true);

		JsonNode first = next(messages);
		assertThat(first.path("type").asString()).as(first.toString()).isEqualTo("next");
		assertThat(first.path("payload").path("data").path("orderUpdates").path("seq").asString()).isEqualTo("5");
		JsonNode second = next(messages);
		assertThat(second.path("payload").path("data").path("orderUpdates").path("status").asString())
			.isEqualTo("COMPLETED");
		assertThat(next(messages).path("type").asString()).isEqualTo("complete");
		assertThat(forwardedAuthorization.get()).isEqualTo("Bearer " + this.token);

		socket.sendText("""
				{"id":"2","type":"subscribe","payload":{"query":
				 "subscription { orderUpdates(orderId: \\"someone-elses\\") { seq } }"}}""", true);
		JsonNode refused = next(messages);
		assertThat(refused.path("type").asString()).isEqualTo("error");
		assertThat(refused.path("payload").get(0).path("extensions").path("classification").asString())
			.isEqualTo("NOT_FOUND");
		socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
	}

	@Test
	void aClientGetsAsManyLiveStreamsAsItsShareAndOneMoreOnceOneEnds() throws Exception {
		BlockingQueue<String> messages = new LinkedBlockingQueue<>();
		WebSocket socket = this.client.newWebSocketBuilder()
			.subprotocols("graphql-transport-ws")
			.buildAsync(URI.create("ws://127.0.0.1:" + this.port + "/graphql"), new Collecting(messages))
			.get(10, TimeUnit.SECONDS);
		try {
			socket.sendText(
					"{\"type\":\"connection_init\",\"payload\":{\"Authorization\":\"Bearer " + this.token + "\"}}",
					true);
			assertThat(next(messages).path("type").asString()).isEqualTo("connection_ack");
			socket.sendText("""
					{"id":"held","type":"subscribe","payload":{"query":
					 "subscription { orderUpdates(orderId: \\"o-held\\") { seq } }"}}""", true);
			assertThat(next(messages).path("type").asString()).isEqualTo("next");

			socket.sendText("""
					{"id":"more","type":"subscribe","payload":{"query":
					 "subscription { orderUpdates(orderId: \\"o-1\\") { seq } }"}}""", true);
			JsonNode refused = next(messages);
			assertThat(refused.path("type").asString()).isEqualTo("error");
			assertThat(refused.path("payload").get(0).path("extensions").path("classification").asString())
				.isEqualTo("TOO_MANY_REQUESTS");
			HttpResponse<String> events = events("o-1");
			assertThat(events.statusCode()).isEqualTo(429);
			assertThat(events.headers().firstValue("Retry-After")).isPresent();
			assertThat(events.body()).contains("live streams open");

			socket.sendText("{\"id\":\"held\",\"type\":\"complete\"}", true);
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(events("o-1").body()).contains("COMPLETED"));
		}
		finally {
			socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
		}
	}

	/** The order's server-sent events, read to their end. */
	private HttpResponse<String> events(String orderId) throws IOException, InterruptedException {
		return this.client.send(HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/api/v1/orders/" + orderId + "/events"))
			.header("Authorization", "Bearer " + this.token)
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static JsonNode next(BlockingQueue<String> messages) throws InterruptedException {
		String message = messages.poll(10, TimeUnit.SECONDS);
		assertThat(message).as("a message within 10 s").isNotNull();
		return json.readTree(message);
	}

	private JsonNode query(String query, String token) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/graphql"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(Map.of("query", query))));
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		HttpResponse<String> response = this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return json.readTree(response.body());
	}

	private static final class Collecting implements WebSocket.Listener {

		private final BlockingQueue<String> messages;

		private final StringBuilder partial = new StringBuilder();

		Collecting(BlockingQueue<String> messages) {
			this.messages = messages;
		}

		@Override
		public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
			this.partial.append(data);
			if (last) {
				this.messages.add(this.partial.toString());
				this.partial.setLength(0);
			}
			socket.request(1);
			return null;
		}

	}

	/** c-1's orders o-1 (paid, shipped, notified), o-2 and o-3 (neither yet). */
	private static Order order(String id) {
		return Order.newBuilder()
			.setOrderId(id)
			.setCustomerId("c-1")
			.setStatus(OrderStatus.PAID)
			.addLines(OrderLine.newBuilder().setSku("SKU-0001").setQuantity(2).setUnitPriceCents(1999))
			.addLines(OrderLine.newBuilder().setSku("SKU-0002").setQuantity(1).setUnitPriceCents(1999))
			.setTotalCents(3998)
			.setCreatedAt("2026-12-02T10:00:00Z")
			.setUpdatedAt("2026-12-02T10:00:01Z")
			.build();
	}

	private static Server startGrpc() {
		ServerInterceptor authorization = new ServerInterceptor() {
			@Override
			public <Q, A> io.grpc.ServerCall.Listener<Q> interceptCall(io.grpc.ServerCall<Q, A> call, Metadata headers,
					io.grpc.ServerCallHandler<Q, A> next) {
				if (call.getMethodDescriptor().getServiceName().equals(OrderServiceGrpc.SERVICE_NAME)) {
					forwardedAuthorization
						.set(headers.get(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER)));
				}
				calls.computeIfAbsent(call.getMethodDescriptor().getBareMethodName(), (k) -> new AtomicInteger())
					.incrementAndGet();
				return next.startCall(call, headers);
			}
		};
		try {
			return ServerBuilder.forPort(0)
				.addService(ServerInterceptors.intercept(new StandInOrders(), authorization))
				.addService(ServerInterceptors.intercept(new StandInInventory(), authorization))
				.build()
				.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static final class StandInOrders extends OrderServiceGrpc.OrderServiceImplBase {

		private static final List<String> THEIRS = List.of("o-1", "o-2", "o-3", "o-held");

		@Override
		public void listOrders(ListOrdersRequest request, StreamObserver<ListOrdersResponse> response) {
			ListOrdersResponse.Builder answer = ListOrdersResponse.newBuilder();
			request.getOrderIdsList().stream().filter(THEIRS::contains).forEach((id) -> answer.addOrders(order(id)));
			response.onNext(answer.build());
			response.onCompleted();
		}

		@Override
		public void listSagas(ListOrdersRequest request, StreamObserver<ListSagasResponse> response) {
			ListSagasResponse.Builder answer = ListSagasResponse.newBuilder();
			request.getOrderIdsList()
				.stream()
				.filter(THEIRS::contains)
				.forEach((id) -> answer.addSagas(Saga.newBuilder()
					.setOrderId(id)
					.setMode("orchestration")
					.setStatus("RUNNING")
					.addSteps(SagaStep.newBuilder().setName("reserve").setState("succeeded").setAttempts(1))
					.setCreatedAt("2026-12-02T10:00:00Z")
					.setUpdatedAt("2026-12-02T10:00:01Z")));
			response.onNext(answer.build());
			response.onCompleted();
		}

		@Override
		public void getOrder(GetOrderRequest request, StreamObserver<Order> response) {
			response.onError(Status.NOT_FOUND.asRuntimeException());
		}

		@Override
		public void streamOrderUpdates(StreamOrderUpdatesRequest request, StreamObserver<OrderUpdate> updates) {
			if (!THEIRS.contains(request.getOrderId())) {
				updates
					.onError(Status.NOT_FOUND.withDescription("no order " + request.getOrderId()).asRuntimeException());
				return;
			}
			if (request.getOrderId().equals("o-held")) {
				// One update, then the stream stays open until the caller cancels it.
				updates.onNext(OrderUpdate.newBuilder()
					.setSeq(1)
					.setOrderId("o-held")
					.setStatus(OrderStatus.PENDING)
					.setAt("2026-12-02T10:00:00Z")
					.build());
				return;
			}
			long seq = request.getAfterSeq();
			for (OrderStatus status : List.of(OrderStatus.PAID, OrderStatus.COMPLETED)) {
				updates.onNext(OrderUpdate.newBuilder()
					.setSeq(++seq)
					.setOrderId(request.getOrderId())
					.setStatus(status)
					.setAt("2026-12-02T10:00:0" + seq + "Z")
					.build());
			}
			updates.onCompleted();
		}

	}

	static final class StandInInventory extends InventoryServiceGrpc.InventoryServiceImplBase {

		@Override
		public void listProducts(ListProductsRequest request, StreamObserver<ListProductsResponse> response) {
			ListProductsResponse.Builder answer = ListProductsResponse.newBuilder();
			for (String sku : List.of("SKU-0001", "SKU-0002", "SKU-0003")) {
				answer.addProducts(Product.newBuilder()
					.setSku(sku)
					.setName("Product " + sku)
					.setPriceCents(1999)
					.setAvailable(10));
			}
			response.onNext(answer.build());
			response.onCompleted();
		}

		@Override
		public void getProduct(GetProductRequest request, StreamObserver<Product> response) {
			response.onNext(Product.newBuilder()
				.setSku(request.getSku())
				.setName("Product " + request.getSku())
				.setPriceCents(1999)
				.setAvailable(10)
				.build());
			response.onCompleted();
		}

	}

	/** Payment, shipping and notification: o-1 has a payment, a shipment and an email. */
	private static HttpServer startHttp() {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
			answer(server, "/payments",
					"[{\"orderId\":\"o-1\",\"paymentId\":\"p-1\",\"amountCents\":3998," + "\"status\":\"APPROVED\"}]");
			answer(server, "/shipments",
					"[{\"orderId\":\"o-1\",\"shipmentId\":\"s-1\",\"status\":\"CREATED\",\"country\":\"US\"}]");
			answer(server, "/notifications", "[{\"id\":\"n-1\",\"orderId\":\"o-1\",\"kind\":\"ORDER_RECEIVED\","
					+ "\"subject\":\"Your order\",\"sentAt\":\"2026-12-02T10:00:00Z\"}]");
			server.start();
			return server;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void answer(HttpServer server, String path, String body) {
		server.createContext(path, (exchange) -> {
			calls.computeIfAbsent(path, (k) -> new AtomicInteger()).incrementAndGet();
			String query = exchange.getRequestURI().getQuery();
			boolean all = query != null && query.contains("orderId=o-1") && query.contains("orderId=o-2")
					&& query.contains("orderId=o-3");
			byte[] bytes = (all ? body : "[]").getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, bytes.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(bytes);
			}
		});
	}

}
