package dev.switchboard.order;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import com.sun.net.httpserver.HttpServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.ConfigResource;

import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.switchboard.contracts.events.Topics;
import dev.switchboard.contracts.events.v1.OrderCancelled;
import dev.switchboard.contracts.events.v1.OrderCompleted;
import dev.switchboard.contracts.events.v1.OrderCreated;
import dev.switchboard.contracts.events.v1.SagaMode;
import dev.switchboard.contracts.inventory.v1.CheckAndReserveRequest;
import dev.switchboard.contracts.inventory.v1.InventoryServiceGrpc;
import dev.switchboard.contracts.inventory.v1.ListReservedBeforeRequest;
import dev.switchboard.contracts.inventory.v1.ListReservedBeforeResponse;
import dev.switchboard.contracts.inventory.v1.ReleaseRequest;
import dev.switchboard.contracts.inventory.v1.Reservation;
import dev.switchboard.contracts.inventory.v1.ReservedBefore;
import dev.switchboard.contracts.inventory.v1.ReservedLine;
import dev.switchboard.contracts.order.v1.Address;
import dev.switchboard.contracts.order.v1.CreateOrderRequest;
import dev.switchboard.contracts.order.v1.CreateOrderResponse;
import dev.switchboard.contracts.order.v1.GetOrderRequest;
import dev.switchboard.contracts.order.v1.RefusedChange;
import dev.switchboard.contracts.order.v1.AnnotateOrder;
import dev.switchboard.contracts.order.v1.CancelOrder;
import dev.switchboard.contracts.order.v1.OrderChange;
import dev.switchboard.contracts.order.v1.BulkUpdateSummary;
import dev.switchboard.contracts.order.v1.ListOrdersRequest;
import dev.switchboard.contracts.order.v1.ListOrdersResponse;
import dev.switchboard.contracts.order.v1.ListSagasResponse;
import dev.switchboard.contracts.order.v1.Order;
import dev.switchboard.contracts.order.v1.OrderLine;
import dev.switchboard.contracts.order.v1.OrderServiceGrpc;
import dev.switchboard.contracts.order.v1.OrderStatus;
import dev.switchboard.contracts.order.v1.OrderUpdate;
import dev.switchboard.contracts.order.v1.StreamOrderUpdatesRequest;
import dev.switchboard.contracts.order.v1.Saga;
import dev.switchboard.contracts.queues.Queues;
import dev.switchboard.contracts.saga.v1.AllocateStock;
import dev.switchboard.contracts.saga.v1.ChargePayment;
import dev.switchboard.contracts.saga.v1.RefundPayment;
import dev.switchboard.contracts.saga.v1.ReleaseStock;
import dev.switchboard.contracts.saga.v1.SagaStep;
import dev.switchboard.contracts.saga.v1.ScheduleShipment;
import dev.switchboard.contracts.saga.v1.StepReply;
import dev.switchboard.testing.SharedInfrastructure;
import dev.switchboard.testing.TestEvents;
import dev.switchboard.testing.TestTokens;
import dev.switchboard.testing.ServiceIntegrationTest;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * The order service with a real database, a real broker and a stand-in inventory that
 * speaks the real gRPC contract over a socket.
 */
@ServiceIntegrationTest(service = "order", webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		topics = { Topics.PAYMENT_EVENTS, Topics.INVENTORY_EVENTS, Topics.SHIPPING_EVENTS },
		properties = { "server.port=0", "switchboard.admin.token=s3cret", "switchboard.saga.timeout.charge=3s",
				"switchboard.saga.timeout.allocate=60s", "switchboard.saga.timeout.ship=60s",
				"switchboard.saga.timeout.compensation=1s", "switchboard.order.reservation-sweep.interval=1s",
				"switchboard.retention.interval=1s" })
class OrderIntegrationTest {

	private static final OrderServiceSockets sockets = new OrderServiceSockets();

	/**
	 * A stand-in payment service's message status endpoint: what it says of every message
	 * (by default, applied long ago with nothing left to send, so an unanswered charge
	 * times out as soon as it is due).
	 */
	private static HttpServer payment;

	@Autowired
	JdbcTemplate jdbc;

	@Value("${local.server.port}")
	int httpPort;

	@Autowired
	io.micrometer.core.instrument.MeterRegistry meters;

	private static final String DONE_LONG_AGO = "\"state\":\"DONE\",\"since\":\"2020-01-01T00:00:00Z\",\"outputPending\":false";

	private static volatile String paymentSays = DONE_LONG_AGO;

	/** The trace context the last status question carried, if any. */
	private static volatile String statusTraceparent;

	private static final TestTokens tokens = sockets.tokens;

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		sockets.register(registry);
		registry.add("switchboard.services.payment.url", () -> "http://127.0.0.1:" + sockets.paymentPort);
	}

	@BeforeAll
	static void start() throws IOException {
		sockets.serve(sockets.inventoryPort, new StandInInventory());
		payment = HttpServer.create(new InetSocketAddress("127.0.0.1", sockets.paymentPort), 0);
		payment.createContext("/internal/messages/status", (exchange) -> {
			if (!"Bearer s3cret".equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
				// As a real participant answers a caller without the admin token.
				exchange.sendResponseHeaders(401, -1);
				exchange.close();
				return;
			}
			statusTraceparent = exchange.getRequestHeaders().getFirst("traceparent");
			String asked = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
			Matcher ids = Pattern.compile("\"([0-9a-f-]{36})\"").matcher(asked);
			StringBuilder answer = new StringBuilder("{\"messages\":[");
			for (int i = 0; ids.find(); i++) {
				answer.append(i == 0 ? "" : ",")
					.append("{\"id\":\"")
					.append(ids.group(1))
					.append("\",")
					.append(paymentSays)
					.append('}');
			}
			byte[] body = answer.append("]}").toString().getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		payment.start();
	}

	@AfterAll
	static void stop() {
		payment.stop(0);
		sockets.close();
	}

	@AfterEach
	void paymentSaysWhatItUsuallySays() {
		paymentSays = DONE_LONG_AGO;
	}

	/** The order service as customer c-1 calls it, through the gateway. */
	private static OrderServiceGrpc.OrderServiceBlockingStub orders() {
		return as(tokens.issue("c-1", "orders:read", "orders:write"));
	}

	private static OrderServiceGrpc.OrderServiceBlockingStub as(String token) {
		return sockets.as(token, Duration.ofSeconds(10));
	}

	private static Status.Code codeOf(Runnable call) {
		try {
			call.run();
			return Status.Code.OK;
		}
		catch (StatusRuntimeException ex) {
			return ex.getStatus().getCode();
		}
	}

	@Test
	void everyCallNeedsAVerifiedTokenWithItsScope() {
		GetOrderRequest read = GetOrderRequest.newBuilder().setOrderId(UUID.randomUUID().toString()).build();
		assertThat(codeOf(() -> OrderServiceGrpc.newBlockingStub(sockets.channel()).getOrder(read)))
			.isEqualTo(Status.Code.UNAUTHENTICATED);
		assertThat(codeOf(() -> as(tokens.forged("c-1", "orders:read")).getOrder(read)))
			.isEqualTo(Status.Code.UNAUTHENTICATED);
		assertThat(codeOf(() -> as(tokens.expired("c-1", "orders:read")).getOrder(read)))
			.isEqualTo(Status.Code.UNAUTHENTICATED);
		assertThat(codeOf(() -> as(tokens.issueAs("http://elsewhere", "c-1", "orders:read")).getOrder(read)))
			.isEqualTo(Status.Code.UNAUTHENTICATED);
		assertThat(codeOf(() -> as(tokens.issue("c-1", "orders:read")).createOrder(request("", "SKU-0001", 1))))
			.isEqualTo(Status.Code.PERMISSION_DENIED);
		assertThat(codeOf(() -> as(tokens.issue("c-1", "orders:write")).getOrder(read)))
			.isEqualTo(Status.Code.PERMISSION_DENIED);
		assertThat(codeOf(() -> as(tokens.issue("c-1", "orders:read")).getOrder(read)))
			.isEqualTo(Status.Code.NOT_FOUND);
	}

	@Test
	void anOrderIsItsCallersAndAnotherCallerFindsNoSuchOrder() {
		CreateOrderRequest claimingSomeoneElse = request("", "SKU-0001", 1).toBuilder().setCustomerId("c-2").build();
		Order placed = orders().createOrder(claimingSomeoneElse).getOrder();
		assertThat(placed.getCustomerId()).as("the token's subject, not the request's customer").isEqualTo("c-1");

		GetOrderRequest read = GetOrderRequest.newBuilder().setOrderId(placed.getOrderId()).build();
		OrderServiceGrpc.OrderServiceBlockingStub other = as(tokens.issue("c-2", "orders:read", "orders:write"));
		assertThat(codeOf(() -> other.getOrder(read))).isEqualTo(Status.Code.NOT_FOUND);
		assertThat(codeOf(() -> other.getSaga(read))).isEqualTo(Status.Code.NOT_FOUND);
		assertThat(orders().getOrder(read).getOrderId()).isEqualTo(placed.getOrderId());
		assertThat(orders().getSaga(read).getOrderId()).isEqualTo(placed.getOrderId());
	}

	@Test
	void listsAnswerTheCallersOrdersAndSagasOfTheIdsAskedInTheirOrder() {
		Order first = orders().createOrder(request("", "SKU-0001", 1)).getOrder();
		Order second = orders().createOrder(request("", "SKU-0002", 2)).getOrder();
		Order theirs = as(tokens.issue("c-2", "orders:read", "orders:write")).createOrder(request("", "SKU-0001", 1))
			.getOrder();
		ListOrdersRequest asked = ListOrdersRequest.newBuilder()
			.addOrderIds(second.getOrderId())
			.addOrderIds(theirs.getOrderId())
			.addOrderIds("no-such-order")
			.addOrderIds(first.getOrderId())
			.addOrderIds(second.getOrderId())
			.build();

		assertThat(orders().listOrders(asked).getOrdersList()).extracting(Order::getOrderId)
			.as("the caller's, each once, as asked")
			.containsExactly(second.getOrderId(), first.getOrderId());
		assertThat(orders().listOrders(asked).getOrders(0).getLinesList()).extracting(OrderLine::getQuantity)
			.containsExactly(2);
		assertThat(orders().listSagas(asked).getSagasList()).extracting(Saga::getOrderId)
			.containsExactly(second.getOrderId(), first.getOrderId());
		assertThat(orders().listOrders(ListOrdersRequest.getDefaultInstance()).getOrdersList()).isEmpty();

		ListOrdersRequest.Builder tooMany = ListOrdersRequest.newBuilder();
		IntStream.range(0, 101).forEach((i) -> tooMany.addOrderIds("o-" + i));
		assertThat(codeOf(() -> orders().listOrders(tooMany.build()))).isEqualTo(Status.Code.INVALID_ARGUMENT);
		assertThat(codeOf(() -> as(tokens.issue("c-1", "orders:write")).listSagas(asked)))
			.isEqualTo(Status.Code.PERMISSION_DENIED);
	}

	@Test
	void theUnaryCallsAreServedOverHttpAsJsonWithTheSameAnswersAndRefusals() throws Exception {
		String token = tokens.issue("c-1", "orders:read", "orders:write");
		HttpResponse<String> created = overHttp("POST", "/orders", token,
				JsonFormat.printer().print(request("", "SKU-0001", 2).toBuilder().setCustomerId("c-2").build()));
		assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
		assertThat(created.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/json"));
		Order placed = parse(created, CreateOrderResponse.getDefaultInstance()).getOrder();
		assertThat(placed.getCustomerId()).as("the token's subject, as over gRPC").isEqualTo("c-1");
		assertThat(placed.getLinesList()).extracting(OrderLine::getSku, OrderLine::getQuantity)
			.containsExactly(tuple("SKU-0001", 2));

		String id = placed.getOrderId();
		GetOrderRequest read = GetOrderRequest.newBuilder().setOrderId(id).build();
		// The same messages both ways, every field (read until the saga stands still
		// between the two reads).
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(parse(overHttp("GET", "/orders/" + id, token, null), Order.getDefaultInstance()))
				.isEqualTo(orders().getOrder(read));
			assertThat(parse(overHttp("GET", "/orders/" + id + "/saga", token, null), Saga.getDefaultInstance()))
				.isEqualTo(orders().getSaga(read));
		});
		assertThat(parse(overHttp("GET", "/orders?orderId=no-such-order&orderId=" + id, token, null),
				ListOrdersResponse.getDefaultInstance())
			.getOrdersList()).extracting(Order::getOrderId).containsExactly(id);
		assertThat(parse(overHttp("GET", "/sagas?orderId=" + id, token, null), ListSagasResponse.getDefaultInstance())
			.getSagasList()).extracting(Saga::getOrderId).containsExactly(id);
		assertThat(parse(overHttp("GET", "/orders?orderId=", token, null), ListOrdersResponse.getDefaultInstance())
			.getOrdersList()).isEmpty();

		String order = JsonFormat.printer().print(request("", "SKU-0001", 1));
		assertRefused(overHttp("GET", "/orders/" + id, null, null), 401, "UNAUTHENTICATED");
		assertRefused(overHttp("GET", "/orders/" + id, tokens.forged("c-1", "orders:read"), null), 401,
				"UNAUTHENTICATED");
		assertRefused(overHttp("POST", "/orders", tokens.issue("c-1", "orders:read"), order), 403, "PERMISSION_DENIED");
		assertRefused(overHttp("GET", "/orders/" + id, tokens.issue("c-2", "orders:read"), null), 404, "NOT_FOUND");
		assertRefused(overHttp("GET", "/orders/" + id + "/saga", tokens.issue("c-2", "orders:read"), null), 404,
				"NOT_FOUND");
		assertRefused(overHttp("POST", "/orders", token, order.replace("SKU-0001", "SKU-9999")), 404, "NOT_FOUND");
		assertRefused(overHttp("POST", "/orders", token, JsonFormat.printer().print(request("", "SKU-0001", 999))), 400,
				"FAILED_PRECONDITION");
		assertRefused(overHttp("POST", "/orders", token, order.replace("\"paymentToken\"", "\"paymentTokn\"")), 400,
				"INVALID_ARGUMENT");
		assertRefused(overHttp("POST", "/orders", token, "{\"lines\":"), 400, "INVALID_ARGUMENT");
		String tooMany = IntStream.range(0, 101)
			.mapToObj((i) -> "orderId=o-" + i)
			.collect(java.util.stream.Collectors.joining("&"));
		assertRefused(overHttp("GET", "/sagas?" + tooMany, token, null), 400, "INVALID_ARGUMENT");
	}

	private HttpResponse<String> overHttp(String method, String path, String token, String body) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.httpPort + path))
			.method(method,
					(body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
		if (body != null) {
			request.header("Content-Type", "application/json");
		}
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		try (HttpClient http = HttpClient.newHttpClient()) {
			return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
	}

	@SuppressWarnings("unchecked")
	private static <M extends Message> M parse(HttpResponse<String> response, M type) throws Exception {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		Message.Builder into = type.newBuilderForType();
		JsonFormat.parser().merge(response.body(), into);
		return (M) into.build();
	}

	private static void assertRefused(HttpResponse<String> response, int status, String code) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(response.body()).contains("\"code\":\"" + code + "\"");
	}

	@Test
	void aBulkUpdateCancelsAndAnnotatesTheCallersOrdersAndSaysWhyTheOthersWereRefused() throws Exception {
		String cancelled = orders().createOrder(request("", "SKU-0001", 1)).getOrder().getOrderId();
		String annotated = orders().createOrder(request("", "SKU-0001", 1)).getOrder().getOrderId();
		OrderServiceGrpc.OrderServiceBlockingStub other = as(tokens.issue("c-2", "orders:read", "orders:write"));
		String theirs = other.createOrder(request("", "SKU-0001", 1)).getOrder().getOrderId();

		java.util.concurrent.CompletableFuture<BulkUpdateSummary> answer = new java.util.concurrent.CompletableFuture<>();
		io.grpc.stub.StreamObserver<OrderChange> changes = OrderServiceGrpc.newStub(sockets.channel())
			.withInterceptors(OrderServiceSockets.bearer(tokens.issue("c-1", "orders:write")))
			.withDeadlineAfter(Duration.ofSeconds(20))
			.bulkUpdateOrders(new io.grpc.stub.StreamObserver<>() {

				@Override
				public void onNext(BulkUpdateSummary summary) {
					answer.complete(summary);
				}

				@Override
				public void onError(Throwable t) {
					answer.completeExceptionally(t);
				}

				@Override
				public void onCompleted() {
				}

			});
		changes.onNext(OrderChange.newBuilder()
			.setOrderId(cancelled)
			.setCancel(CancelOrder.newBuilder().setReason("changed my mind"))
			.build());
		changes.onNext(OrderChange.newBuilder()
			.setOrderId(annotated)
			.setAnnotate(AnnotateOrder.newBuilder().setNote("leave it at the door"))
			.build());
		changes.onNext(OrderChange.newBuilder().setOrderId(theirs).setCancel(CancelOrder.getDefaultInstance()).build());
		changes.onNext(OrderChange.newBuilder().setOrderId(annotated).build());
		changes
			.onNext(OrderChange.newBuilder().setOrderId(cancelled).setCancel(CancelOrder.getDefaultInstance()).build());
		changes.onCompleted();

		BulkUpdateSummary summary = answer.get(20, TimeUnit.SECONDS);
		assertThat(summary.getReceived()).isEqualTo(5);
		assertThat(summary.getApplied()).isEqualTo(2);
		assertThat(summary.getRefused()).isEqualTo(3);
		assertThat(summary.getRefusalsList()).extracting(RefusedChange::getIndex).containsExactly(2, 3, 4);
		assertThat(summary.getRefusals(0).getReason()).isEqualTo("no order " + theirs);
		assertThat(summary.getRefusals(1).getReason()).contains("either cancel or annotate");
		assertThat(summary.getRefusals(2).getReason()).contains("already being cancelled");

		Order order = orders().getOrder(GetOrderRequest.newBuilder().setOrderId(cancelled).build());
		assertThat(order.getStatus()).isEqualTo(OrderStatus.CANCELLED);
		assertThat(order.getCancellationReason()).isEqualTo("changed my mind");
		assertThat(history(cancelled)).contains("cancellation requested").contains("stopped by the cancellation");
		assertThat(history(annotated)).contains("leave it at the door");
		assertThat(status(annotated)).isEqualTo(OrderStatus.PENDING);
		assertThat(other.getOrder(GetOrderRequest.newBuilder().setOrderId(theirs).build()).getStatus())
			.isEqualTo(OrderStatus.PENDING);
	}

	@Test
	void idempotencyKeysAreEachCustomersOwn() {
		String key = "shared-" + UUID.randomUUID();
		CreateOrderResponse mine = orders().createOrder(request(key, "SKU-0001", 1));
		CreateOrderResponse theirs = as(tokens.issue("c-2", "orders:read", "orders:write"))
			.createOrder(request(key, "SKU-0001", 1));

		assertThat(theirs.getReplayed()).isFalse();
		assertThat(theirs.getOrder().getOrderId()).isNotEqualTo(mine.getOrder().getOrderId());
		assertThat(theirs.getOrder().getCustomerId()).isEqualTo("c-2");
		assertThat(orders().createOrder(request(key, "SKU-0001", 1)).getReplayed()).isTrue();
	}

	private static CreateOrderRequest request(String key, String sku, int quantity) {
		return CreateOrderRequest.newBuilder()
			.setIdempotencyKey(key)
			.setCustomerId("c-1")
			.setPaymentToken("tok_visa")
			.addLines(OrderLine.newBuilder().setSku(sku).setQuantity(quantity))
			.setShippingAddress(OrderServiceSockets.austin())
			.build();
	}

	private static OrderStatus status(String orderId) {
		return orders().getOrder(GetOrderRequest.newBuilder().setOrderId(orderId).build()).getStatus();
	}

	private static String history(String orderId) {
		return orders().getSaga(GetOrderRequest.newBuilder().setOrderId(orderId).build()).toString();
	}

	private static void reply(String orderId, SagaStep step, boolean compensation, boolean succeeded, String reason) {
		TestEvents.publish(Topics.SAGA_REPLIES, orderId,
				StepReply.newBuilder()
					.setOrderId(orderId)
					.setStep(step)
					.setCompensation(compensation)
					.setSucceeded(succeeded)
					.setReason(reason)
					.build());
	}

	@Test
	void anOrchestratedOrderIsChargedAllocatedAndShippedThroughCommandsAndReplies() {
		long completedBefore = sagasEnded("completed");
		double admittedBefore = admitted();
		CreateOrderResponse created = orders().createOrder(request("", "SKU-0001", 2));
		assertThat(admitted()).as("admission control's count of admitted orders").isEqualTo(admittedBefore + 1);
		assertThat(this.meters.get("switchboard.admission.limit").gauge().value()).isPositive();
		String orderId = created.getOrder().getOrderId();
		// Answer at once: the charge has a short timeout in this test.
		String approved = TestEvents.publish(Topics.SAGA_REPLIES, orderId,
				StepReply.newBuilder()
					.setOrderId(orderId)
					.setStep(SagaStep.CHARGE)
					.setSucceeded(true)
					.setReference("p-1")
					.build());
		TestEvents.publish(Topics.SAGA_REPLIES, orderId,
				StepReply.newBuilder()
					.setOrderId(orderId)
					.setStep(SagaStep.CHARGE)
					.setSucceeded(true)
					.setReference("p-1")
					.build(),
				approved);

		assertThat(created.getOrder().getStatus()).isEqualTo(OrderStatus.PENDING);
		assertThat(created.getOrder().getTotalCents()).isEqualTo(2 * 250);
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(
					() -> assertThat(TestEvents.read(Topics.ORDER_EVENTS, orderId, OrderCreated.getDefaultInstance()))
						.singleElement()
						.satisfies((e) -> {
							assertThat(e.getSagaMode()).isEqualTo(SagaMode.ORCHESTRATION);
							// Revision 2 of OrderCreated: a US total includes no tax.
							assertThat(e.getCurrency()).isEqualTo("USD");
							assertThat(e.getTaxLinesList()).isEmpty();
						}));
		assertThat(TestEvents.read(Queues.PAYMENT_COMMANDS.name(), orderId, ChargePayment.getDefaultInstance()))
			.singleElement()
			.satisfies((c) -> assertThat(c.getAmountCents()).isEqualTo(500));
		await().atMost(Duration.ofSeconds(30)).until(() -> status(orderId) == OrderStatus.PAID);
		await().atMost(Duration.ofSeconds(30))
			.until(() -> TestEvents.read(Topics.INVENTORY_COMMANDS, orderId, AllocateStock.getDefaultInstance())
				.size() == 1);

		reply(orderId, SagaStep.ALLOCATE, false, true, "");
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(
					TestEvents.read(Topics.SHIPPING_COMMANDS, orderId, ScheduleShipment.getDefaultInstance()))
				.singleElement()
				.satisfies((c) -> assertThat(c.getShippingAddress().getCountry()).isEqualTo("US")));
		reply(orderId, SagaStep.SHIP, false, true, "");

		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(
					() -> assertThat(status(orderId)).as(() -> history(orderId)).isEqualTo(OrderStatus.COMPLETED));
		await().atMost(Duration.ofSeconds(30))
			.until(() -> TestEvents.read(Topics.ORDER_EVENTS, orderId, OrderCompleted.getDefaultInstance())
				.size() == 1);
		assertThat(TestEvents.read(Topics.INVENTORY_COMMANDS, orderId, AllocateStock.getDefaultInstance()))
			.as("the repeated charge reply started nothing twice")
			.hasSize(1);
		await().atMost(Duration.ofSeconds(10)).until(() -> sagasEnded("completed") > completedBefore);
		Saga saga = orders().getSaga(GetOrderRequest.newBuilder().setOrderId(orderId).build());
		assertThat(saga.getStatus()).isEqualTo("completed");
		assertThat(saga.getStepsList()).extracting(dev.switchboard.contracts.order.v1.SagaStep::getState)
			.containsOnly("succeeded");
	}

	@Test
	void aDeclinedChargeCancelsTheOrderAndReleasesTheReservation() {
		long cancelledBefore = sagasEnded("cancelled");
		String orderId = orders().createOrder(request("", "SKU-0002", 1)).getOrder().getOrderId();
		reply(orderId, SagaStep.CHARGE, false, false, "card declined");

		await().atMost(Duration.ofSeconds(30)).until(() -> status(orderId) == OrderStatus.CANCELLED);
		assertThat(orders().getOrder(GetOrderRequest.newBuilder().setOrderId(orderId).build()).getCancellationReason())
			.contains("card declined");
		await().atMost(Duration.ofSeconds(30))
			.until(() -> TestEvents.read(Topics.INVENTORY_COMMANDS, orderId, ReleaseStock.getDefaultInstance())
				.size() >= 1);
		assertThat(TestEvents.read(Queues.PAYMENT_COMMANDS.name(), orderId, RefundPayment.getDefaultInstance()))
			.as("nothing was charged")
			.isEmpty();
		reply(orderId, SagaStep.RESERVE, true, true, "");
		await().atMost(Duration.ofSeconds(30))
			.until(() -> orders().getSaga(GetOrderRequest.newBuilder().setOrderId(orderId).build())
				.getStatus()
				.equals("cancelled"));
		assertThat(TestEvents.read(Topics.ORDER_EVENTS, orderId, OrderCancelled.getDefaultInstance())).hasSize(1);
		assertThat(sagasEnded("cancelled")).as("the saga's end, timed").isGreaterThan(cancelledBefore);

		// Its status changes, streamed: in order, ending with the final one.
		List<OrderUpdate> updates = new java.util.ArrayList<>();
		orders().streamOrderUpdates(StreamOrderUpdatesRequest.newBuilder().setOrderId(orderId).build())
			.forEachRemaining(updates::add);
		assertThat(updates).extracting(OrderUpdate::getStatus)
			.containsExactly(OrderStatus.PENDING, OrderStatus.CANCELLED);
		assertThat(updates.get(1).getReason()).contains("card declined");
		assertThat(updates.get(1).getSeq()).isGreaterThan(updates.get(0).getSeq());
		List<OrderUpdate> resumed = new java.util.ArrayList<>();
		orders().streamOrderUpdates(
				StreamOrderUpdatesRequest.newBuilder().setOrderId(orderId).setAfterSeq(updates.get(0).getSeq()).build())
			.forEachRemaining(resumed::add);
		assertThat(resumed).containsExactly(updates.get(1));
		// The customer's stream has it too, and does not end.
		java.util.Iterator<OrderUpdate> mine = orders()
			.streamOrderUpdates(StreamOrderUpdatesRequest.newBuilder().setAfterSeq(0).build());
		List<OrderUpdate> seen = new java.util.ArrayList<>();
		while (!seen.contains(updates.get(1))) {
			seen.add(mine.next());
		}
		assertThat(seen).contains(updates.get(0))
			.isSortedAccordingTo(java.util.Comparator.comparing(OrderUpdate::getSeq));
		assertThat(codeOf(() -> as(tokens.issue("c-2", "orders:read"))
			.streamOrderUpdates(StreamOrderUpdatesRequest.newBuilder().setOrderId(orderId).build())
			.hasNext())).as("another customer's order").isEqualTo(Status.Code.NOT_FOUND);
	}

	@Test
	void anUnansweredChargeTimesOutIsCompensatedWithRetriesAndALateReplyChangesNothing() {
		String orderId = orders().createOrder(request("", "SKU-0003", 1)).getOrder().getOrderId();

		await().atMost(Duration.ofSeconds(30)).until(() -> status(orderId) == OrderStatus.CANCELLED);
		assertThat(orders().getOrder(GetOrderRequest.newBuilder().setOrderId(orderId).build()).getCancellationReason())
			.contains("charge timed out");
		// The charge may have happened with its answer lost, so it is refunded: retried
		// until confirmed.
		await().atMost(Duration.ofSeconds(30))
			.until(() -> TestEvents.read(Queues.PAYMENT_COMMANDS.name(), orderId, RefundPayment.getDefaultInstance())
				.size() >= 2);
		reply(orderId, SagaStep.CHARGE, true, true, "");
		await().atMost(Duration.ofSeconds(30))
			.until(() -> TestEvents.read(Topics.INVENTORY_COMMANDS, orderId, ReleaseStock.getDefaultInstance())
				.size() >= 1);
		reply(orderId, SagaStep.RESERVE, true, true, "");
		await().atMost(Duration.ofSeconds(30))
			.until(() -> orders().getSaga(GetOrderRequest.newBuilder().setOrderId(orderId).build())
				.getStatus()
				.equals("cancelled"));

		reply(orderId, SagaStep.CHARGE, false, true, "");
		await().atMost(Duration.ofSeconds(30))
			.until(() -> orders().getSaga(GetOrderRequest.newBuilder().setOrderId(orderId).build())
				.getHistoryList()
				.stream()
				.anyMatch((h) -> h.getEvent().startsWith("late answer")));
		assertThat(status(orderId)).isEqualTo(OrderStatus.CANCELLED);
		assertThat(TestEvents.read(Topics.INVENTORY_COMMANDS, orderId, AllocateStock.getDefaultInstance())).isEmpty();
		Saga saga = orders().getSaga(GetOrderRequest.newBuilder().setOrderId(orderId).build());
		assertThat(saga.getStepsList()).filteredOn((s) -> s.getName().equals("charge"))
			.singleElement()
			.satisfies((s) -> assertThat(s.getCompensationAttempts()).isGreaterThanOrEqualTo(2));
	}

	@Test
	void aChargeThePaymentServiceHasNotTakenWaitsForItInsteadOfTimingOut() {
		paymentSays = "\"state\":\"UNSEEN\",\"outputPending\":false";
		String orderId = orders().createOrder(request("", "SKU-0003", 1)).getOrder().getOrderId();

		// Well past the charge's 3 s: the saga asked, heard the command is still queued,
		// and waits.
		await().atMost(Duration.ofSeconds(30)).until(() -> history(orderId).contains("waiting for its participant"));
		assertThat(history(orderId)).contains("payment has not taken it yet");
		assertThat(status(orderId)).isEqualTo(OrderStatus.PENDING);
		// The question is a traced call: the participant's answer joins the trace.
		assertThat(statusTraceparent).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");

		// Taken and answered at last: the order goes on as if nothing had happened.
		reply(orderId, SagaStep.CHARGE, false, true, "");
		await().atMost(Duration.ofSeconds(30)).until(() -> status(orderId) == OrderStatus.PAID);
		assertThat(TestEvents.read(Topics.INVENTORY_COMMANDS, orderId, AllocateStock.getDefaultInstance())).hasSize(1);
	}

	@Test
	void aReservationNoOrderTookIsReleasedWithTheAttemptThatMadeItAndOneAnOrderTookIsKept() {
		String orderId = orders().createOrder(request("", "SKU-0001", 1)).getOrder().getOrderId();
		String orphan = "orphan-" + UUID.randomUUID();
		StandInInventory.heldSinceLongAgo.put(orderId, "attempt-of-the-order");
		StandInInventory.heldSinceLongAgo.put(orphan, "attempt-that-crashed");

		await().atMost(Duration.ofSeconds(30))
			.until(() -> StandInInventory.releasedAttempts.contains(orphan + " attempt-that-crashed"));
		// Swept a few times over by now (every second here): the order's reservation
		// stays.
		await().during(Duration.ofSeconds(3))
			.atMost(Duration.ofSeconds(10))
			.until(() -> StandInInventory.heldSinceLongAgo.containsKey(orderId));
		StandInInventory.heldSinceLongAgo.remove(orderId);
	}

	@Test
	void aReplyForAnUnknownOrderGoesToTheDeadLetterTopic() {
		String orderId = "no-such-order-" + System.nanoTime();
		reply(orderId, SagaStep.CHARGE, false, true, "");

		await().atMost(Duration.ofSeconds(60))
			.until(() -> TestEvents
				.read(Topics.SAGA_REPLIES + ".order.saga-replies.dlt", orderId, StepReply.getDefaultInstance())
				.size() == 1);
	}

	@Test
	void anOrderIsReadBackWholeWithItsLinesInSkuOrder() {
		CreateOrderRequest twoLines = request("", "SKU-0002", 1).toBuilder()
			.addLines(OrderLine.newBuilder().setSku("SKU-0001").setQuantity(2))
			.build();
		CreateOrderResponse created = orders().createOrder(twoLines);

		var read = orders().getOrder(GetOrderRequest.newBuilder().setOrderId(created.getOrder().getOrderId()).build());
		assertThat(read.getLinesList()).extracting(OrderLine::getSku, OrderLine::getQuantity)
			.containsExactly(tuple("SKU-0001", 2), tuple("SKU-0002", 1));
		assertThat(read.getTotalCents()).isEqualTo(created.getOrder().getTotalCents());
		assertThat(read.getCustomerId()).isEqualTo("c-1");
		assertThat(read.getShippingAddress().getCity()).isEqualTo("Austin");
	}

	@Test
	void anIdempotencyKeyReplaysTheFirstResponseAndRefusesAnotherRequest() {
		CreateOrderResponse first = orders().createOrder(request("key-1", "SKU-0003", 1));
		CreateOrderResponse again = orders().createOrder(request("key-1", "SKU-0003", 1));

		assertThat(first.getReplayed()).isFalse();
		assertThat(again.getReplayed()).isTrue();
		assertThat(again.getOrder()).isEqualTo(first.getOrder());
		// Whatever happens to the order afterwards, a repeat is answered with it as
		// placed.
		this.jdbc.update("UPDATE orders SET status = 'CANCELLED', cancellation_reason = 'test', updated_at = now() "
				+ "WHERE id = ?", first.getOrder().getOrderId());
		assertThat(orders().createOrder(request("key-1", "SKU-0003", 1)).getOrder()).isEqualTo(first.getOrder());
		assertThatThrownBy(() -> orders().createOrder(request("key-1", "SKU-0003", 2))).isInstanceOfSatisfying(
				StatusRuntimeException.class,
				(ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS));
	}

	@Test
	void aKeyIsForgottenAfterItsLifetimeAndThenRefusedAndEndedSagasLoseTheirHistoryButNotTheirOutcome() {
		String key = "key-" + UUID.randomUUID();
		String orderId = orders().createOrder(request(key, "SKU-0003", 1)).getOrder().getOrderId();
		this.jdbc.update("UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = ?",
				key + " c-1");

		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.jdbc.queryForObject("SELECT count(*) FROM idempotency_keys WHERE key = ?", Integer.class,
					key + " c-1") == 0);
		// Its answer is gone; the order it made stays, and the key does not make a second
		// one.
		assertThatThrownBy(() -> orders().createOrder(request(key, "SKU-0003", 1)))
			.isInstanceOfSatisfying(StatusRuntimeException.class, (ex) -> {
				assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
				assertThat(ex.getStatus().getDescription()).contains("longer ago than keys are kept");
			});
		assertThat(StandInInventory.attempts.get(orderId)).hasValue(1);

		// Its saga ended a month ago: the history goes, the steps and outcome stay.
		this.jdbc.update("UPDATE sagas SET status = 'CANCELLED', updated_at = now() - interval '31 days' "
				+ "WHERE order_id = ?", orderId);
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.jdbc.queryForObject("SELECT count(*) FROM saga_history WHERE order_id = ?", Integer.class,
					orderId) == 0);
		assertThat(
				this.jdbc.queryForObject("SELECT count(*) FROM saga_steps WHERE order_id = ?", Integer.class, orderId))
			.isEqualTo(4);
	}

	@Test
	void factsAreKeptForReplaysAndCommandsAndRepliesForAWeek() throws Exception {
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", SharedInfrastructure.kafkaBootstrapServers()))) {
			for (String topic : List.of(Topics.ORDER_EVENTS, Topics.SAGA_REPLIES, Topics.INVENTORY_COMMANDS)) {
				ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
				String retention = admin.describeConfigs(List.of(resource))
					.all()
					.get(30, TimeUnit.SECONDS)
					.get(resource)
					.get("retention.ms")
					.value();
				assertThat(retention).as(topic)
					.isEqualTo(topic.equals(Topics.ORDER_EVENTS) ? "-1" : Long.toString(Duration.ofDays(7).toMillis()));
			}
		}
	}

	@Test
	void inventoryRefusalsBecomePreciseStatuses() {
		assertThatThrownBy(() -> orders().createOrder(request("", "SKU-9999", 1))).isInstanceOfSatisfying(
				StatusRuntimeException.class,
				(ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
		assertThatThrownBy(() -> orders().createOrder(request("", "SKU-0001", 999))).isInstanceOfSatisfying(
				StatusRuntimeException.class,
				(ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION));
		assertThatThrownBy(() -> orders().createOrder(request("", "", 1))).isInstanceOfSatisfying(
				StatusRuntimeException.class,
				(ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
	}

	@Test
	void oversizedFieldsAreRefusedHereTooSoThatNoEventTooLargeToSendIsWritten() {
		// A caller that skips the gateway: a city just over the contract's 200 characters
		// is refused by the domain, and a 2 MB one by the gRPC server before it is even
		// parsed.
		CreateOrderRequest longCity = request("", "SKU-0001", 1).toBuilder()
			.setShippingAddress(Address.newBuilder()
				.setCountry("US")
				.setCity("A".repeat(201))
				.setLine1("1 Main St")
				.setPostalCode("78701"))
			.build();
		assertThatThrownBy(() -> orders().createOrder(longCity)).isInstanceOfSatisfying(StatusRuntimeException.class,
				(ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
		CreateOrderRequest hugeCity = request("", "SKU-0001", 1).toBuilder()
			.setShippingAddress(Address.newBuilder()
				.setCountry("US")
				.setCity("A".repeat(2 * 1024 * 1024))
				.setLine1("1 Main St")
				.setPostalCode("78701"))
			.build();
		assertThatThrownBy(() -> orders().createOrder(hugeCity)).isInstanceOfSatisfying(StatusRuntimeException.class,
				(ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
		assertThatThrownBy(() -> orders().createOrder(request("", "S".repeat(65), 1))).isInstanceOfSatisfying(
				StatusRuntimeException.class,
				(ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
	}

	@Test
	void aReservationThatFailsTwiceIsRetriedAndTheOrderTakenOnce() {
		CreateOrderResponse created = orders().createOrder(request("flaky-1", "SKU-0003", FLAKY_QUANTITY));

		assertThat(created.getOrder().getStatus()).isEqualTo(OrderStatus.PENDING);
		assertThat(StandInInventory.attempts.get(created.getOrder().getOrderId())).hasValue(3);
	}

	@Test
	void aCallerThatGivesUpDuringTheReservationGetsNoOrderAndTheStockIsReleased() {
		// The caller gives up exactly while inventory holds the reservation: no deadline
		// to race against a slow machine.
		var call = OrderServiceGrpc.newFutureStub(sockets.channel())
			.withInterceptors(OrderServiceSockets.bearer(tokens.issue("c-1", "orders:write")))
			.createOrder(request("", "SKU-0002", SLOW_QUANTITY));
		await().atMost(Duration.ofSeconds(10)).until(() -> !StandInInventory.slow.isEmpty());
		call.cancel(true);

		// The reservation's outcome is unknown to the order service (its call was
		// cancelled with the caller's), so it releases whatever inventory may have
		// reserved.
		await().atMost(Duration.ofSeconds(10))
			.until(() -> StandInInventory.released.containsAll(StandInInventory.slow));
		assertThat(call).isCancelled();
		StandInInventory.slow.forEach((orderId) -> assertThatThrownBy(() -> status(orderId)).isInstanceOfSatisfying(
				StatusRuntimeException.class,
				(ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND)));
	}

	/** The stand-in fails the first two reservations of an order for this many units. */
	static final int FLAKY_QUANTITY = 5;

	/**
	 * The stand-in holds a reservation of this many units until the order service gives
	 * up on it.
	 */
	static final int SLOW_QUANTITY = 7;

	/**
	 * Knows SKU-0001..0003 at 2.50 each; 999 units is always too many; see
	 * {@link #FLAKY_QUANTITY} and {@link #SLOW_QUANTITY}.
	 */
	static class StandInInventory extends InventoryServiceGrpc.InventoryServiceImplBase {

		static final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();

		static final Set<String> released = ConcurrentHashMap.newKeySet();

		static final Set<String> slow = ConcurrentHashMap.newKeySet();

		/** "orderId attemptId" of each release. */
		static final Set<String> releasedAttempts = ConcurrentHashMap.newKeySet();

		/** Reservations it holds from long ago, as the sweep lists them. */
		static final Map<String, String> heldSinceLongAgo = new ConcurrentHashMap<>();

		@Override
		public void listReservedBefore(ListReservedBeforeRequest request,
				StreamObserver<ListReservedBeforeResponse> response) {
			ListReservedBeforeResponse.Builder page = ListReservedBeforeResponse.newBuilder();
			heldSinceLongAgo.entrySet()
				.stream()
				.filter((held) -> held.getKey().compareTo(request.getAfterOrderId()) > 0)
				.sorted(Map.Entry.comparingByKey())
				.limit(request.getLimit())
				.forEach((held) -> page.addReservations(ReservedBefore.newBuilder()
					.setOrderId(held.getKey())
					.setAttemptId(held.getValue())
					.setReservedAtEpochMillis(0)));
			response.onNext(page.build());
			response.onCompleted();
		}

		@Override
		public void checkAndReserve(CheckAndReserveRequest request, StreamObserver<Reservation> response) {
			int attempt = attempts.computeIfAbsent(request.getOrderId(), (id) -> new AtomicInteger()).incrementAndGet();
			if (request.getLines(0).getQuantity() == FLAKY_QUANTITY && attempt <= 2) {
				response.onError(Status.UNAVAILABLE.withDescription("flaky").asRuntimeException());
				return;
			}
			if (request.getLines(0).getQuantity() == SLOW_QUANTITY) {
				// Like a real inventory, it finishes the reservation even though its
				// caller went away; it only waits until that has happened.
				CountDownLatch callerGone = new CountDownLatch(1);
				Context.current().addListener((context) -> callerGone.countDown(), Runnable::run);
				slow.add(request.getOrderId());
				try {
					callerGone.await(10, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			Reservation.Builder reservation = Reservation.newBuilder().setOrderId(request.getOrderId());
			for (var line : request.getLinesList()) {
				if (!line.getSku().matches("SKU-000[1-3]")) {
					response.onError(
							Status.NOT_FOUND.withDescription("unknown SKU: " + line.getSku()).asRuntimeException());
					return;
				}
				if (line.getQuantity() >= 999) {
					response
						.onError(Status.FAILED_PRECONDITION.withDescription("not enough stock").asRuntimeException());
					return;
				}
				reservation.addLines(ReservedLine.newBuilder()
					.setSku(line.getSku())
					.setQuantity(line.getQuantity())
					.setUnitPriceCents(250));
			}
			response.onNext(reservation.build());
			response.onCompleted();
		}

		@Override
		public void release(ReleaseRequest request, StreamObserver<Reservation> response) {
			released.add(request.getOrderId());
			releasedAttempts.add(request.getOrderId() + " " + request.getAttemptId());
			heldSinceLongAgo.remove(request.getOrderId());
			response.onNext(Reservation.newBuilder().setOrderId(request.getOrderId()).build());
			response.onCompleted();
		}

	}

	private double admitted() {
		return this.meters.get("switchboard.admission.orders").tag("result", "admitted").functionCounter().count();
	}

	/** How many orchestrated sagas ended so: the count of their duration timer. */
	private long sagasEnded(String outcome) {
		io.micrometer.core.instrument.Timer timer = this.meters.find("switchboard.saga.duration")
			.tags("mode", "orchestration", "outcome", outcome)
			.timer();
		return (timer != null) ? timer.count() : 0;
	}

}
