package dev.switchboard.gateway.orders;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import com.google.protobuf.util.JsonFormat;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.switchboard.contracts.order.v1.Address;
import dev.switchboard.contracts.order.v1.CreateOrderRequest;
import dev.switchboard.contracts.order.v1.CreateOrderResponse;
import dev.switchboard.contracts.order.v1.GetOrderRequest;
import dev.switchboard.contracts.order.v1.ListOrdersRequest;
import dev.switchboard.contracts.order.v1.ListOrdersResponse;
import dev.switchboard.contracts.order.v1.ListSagasResponse;
import dev.switchboard.contracts.order.v1.Order;
import dev.switchboard.contracts.order.v1.OrderLine;
import dev.switchboard.contracts.order.v1.OrderStatus;
import dev.switchboard.contracts.order.v1.Saga;
import dev.switchboard.contracts.order.v1.SagaStep;
import dev.switchboard.platform.resilience.RetryAfter;
import dev.switchboard.platform.security.InternalHttp;
import dev.switchboard.platform.security.ServiceCredential;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The gateway's REST calls to the order service against a stand-in of its HTTP binding on
 * a real socket: each call's method, path, token and body, the protobuf messages read
 * back whole from their JSON, and every refusal read back into the status the gRPC call
 * would have ended with, so that the routes answer the same either way.
 */
class RestOrderCallsTest {

	private static final Duration TIMEOUT = Duration.ofMillis(500);

	private static final Jwt CALLER = Jwt.withTokenValue("t0ken")
		.header("alg", "none")
		.subject("c-1")
		.issuedAt(Instant.now())
		.expiresAt(Instant.now().plusSeconds(60))
		.build();

	private static final Order ORDER = Order.newBuilder()
		.setOrderId("o-1")
		.setCustomerId("c-1")
		.setStatus(OrderStatus.COMPLETED)
		.addLines(OrderLine.newBuilder().setSku("SKU-0001").setQuantity(2).setUnitPriceCents(1999))
		.setTotalCents(3998)
		.setShippingAddress(Address.newBuilder().setCountry("US").setCity("Austin"))
		.build();

	/** What the stand-in saw last: method, path and query, authorization, body. */
	private final AtomicReference<String[]> asked = new AtomicReference<>();

	/** What it answers next: status, headers, body. */
	private final AtomicReference<Answer> next = new AtomicReference<>();

	private HttpServer order;

	private RestOrderCalls calls;

	record Answer(int status, Map<String, String> headers, String body, CountDownLatch held) {

		static Answer json(com.google.protobuf.Message message) throws IOException {
			return new Answer(200, Map.of("Content-Type", "application/json"), JsonFormat.printer().print(message),
					null);
		}

		static Answer problem(int status, String body, Map<String, String> headers) {
			Map<String, String> all = new java.util.HashMap<>(headers);
			all.put("Content-Type", "application/problem+json");
			return new Answer(status, all, body, null);
		}

	}

	@BeforeEach
	void start() throws IOException {
		this.order = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.order.createContext("/", this::answer);
		this.order.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
		this.order.start();
		this.calls = new RestOrderCalls("http://127.0.0.1:" + this.order.getAddress().getPort(), TIMEOUT, TIMEOUT,
				InternalHttp.plain(), new ServiceCredential(""), RestClient.builder());
	}

	@AfterEach
	void stop() {
		this.order.stop(0);
	}

	private void answer(HttpExchange exchange) throws IOException {
		this.asked.set(new String[] { exchange.getRequestMethod(), exchange.getRequestURI().toString(),
				exchange.getRequestHeaders().getFirst("Authorization"),
				new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
				exchange.getRequestHeaders().getFirst("Content-Type") });
		Answer answer = this.next.get();
		if (answer.held() != null) {
			try {
				answer.held().await(5, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
		byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
		exchange.sendResponseHeaders(answer.status(), body.length);
		exchange.getResponseBody().write(body);
		exchange.close();
	}

	@Test
	void eachCallIsItsRouteWithTheCallersTokenAndTheMessagesCrossWhole() throws Exception {
		CreateOrderRequest create = CreateOrderRequest.newBuilder()
			.setIdempotencyKey("k-1")
			.setPaymentToken("tok_visa")
			.addLines(OrderLine.newBuilder().setSku("SKU-0001").setQuantity(2))
			.build();
		this.next.set(Answer.json(CreateOrderResponse.newBuilder().setOrder(ORDER).setReplayed(true).build()));
		assertThat(this.calls.createOrder(CALLER, create, TIMEOUT))
			.isEqualTo(CreateOrderResponse.newBuilder().setOrder(ORDER).setReplayed(true).build());
		assertThat(this.asked.get()).startsWith("POST", "/orders", "Bearer t0ken");
		assertThat(this.asked.get()[4]).startsWith("application/json");
		CreateOrderRequest.Builder sent = CreateOrderRequest.newBuilder();
		JsonFormat.parser().merge(this.asked.get()[3], sent);
		assertThat(sent.build()).isEqualTo(create);

		this.next.set(Answer.json(ORDER));
		GetOrderRequest get = GetOrderRequest.newBuilder().setOrderId("o-1").build();
		assertThat(this.calls.getOrder(CALLER, get, TIMEOUT)).isEqualTo(ORDER);
		assertThat(this.asked.get()).startsWith("GET", "/orders/o-1", "Bearer t0ken");

		Saga saga = Saga.newBuilder()
			.setOrderId("o-1")
			.setMode("orchestration")
			.setStatus("completed")
			.addSteps(SagaStep.newBuilder().setName("charge").setState("succeeded").setAttempts(1))
			.build();
		this.next.set(Answer.json(saga));
		assertThat(this.calls.getSaga(CALLER, get, TIMEOUT)).isEqualTo(saga);
		assertThat(this.asked.get()).startsWith("GET", "/orders/o-1/saga");

		ListOrdersRequest list = ListOrdersRequest.newBuilder().addOrderIds("o-1").addOrderIds("o 2").build();
		this.next.set(Answer.json(ListOrdersResponse.newBuilder().addOrders(ORDER).build()));
		assertThat(this.calls.listOrders(CALLER, list, TIMEOUT).getOrdersList()).containsExactly(ORDER);
		assertThat(this.asked.get()).startsWith("GET", "/orders?orderId=o-1&orderId=o%202");
		this.next.set(Answer.json(ListSagasResponse.newBuilder().addSagas(saga).build()));
		assertThat(this.calls.listSagas(CALLER, list, TIMEOUT).getSagasList()).containsExactly(saga);
		assertThat(this.asked.get()).startsWith("GET", "/sagas?orderId=o-1&orderId=o%202");
	}

	@Test
	void fieldsANewerOrderServiceAddsAreLeftAside() throws Exception {
		String json = JsonFormat.printer().print(ORDER);
		this.next.set(new Answer(200, Map.of("Content-Type", "application/json"),
				json.substring(0, json.lastIndexOf('}')) + ", \"loyaltyPoints\": 12}", null));
		assertThat(this.calls.getOrder(CALLER, GetOrderRequest.newBuilder().setOrderId("o-1").build(), TIMEOUT))
			.isEqualTo(ORDER);
	}

	@Test
	void aRefusalIsTheStatusItsCodeNamesWithItsDetailAndRetryAfter() {
		this.next.set(Answer.problem(400,
				"{\"status\":400,\"detail\":\"not enough SKU-0001\",\"code\":\"FAILED_PRECONDITION\"}", Map.of()));
		assertThat(statusOf(() -> this.calls.createOrder(CALLER, CreateOrderRequest.getDefaultInstance(), TIMEOUT)))
			.satisfies((ex) -> {
				assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
				assertThat(ex.getStatus().getDescription()).isEqualTo("not enough SKU-0001");
			});

		this.next.set(Answer.problem(429, "{\"status\":429,\"detail\":\"too busy\",\"code\":\"RESOURCE_EXHAUSTED\"}",
				Map.of("Retry-After", "3")));
		StatusRuntimeException shed = statusOf(
				() -> this.calls.createOrder(CALLER, CreateOrderRequest.getDefaultInstance(), TIMEOUT));
		assertThat(shed.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
		assertThat(RetryAfter.of(shed)).hasValue(Duration.ofSeconds(3));

		this.next
			.set(Answer.problem(404, "{\"status\":404,\"detail\":\"no order o-9\",\"code\":\"NOT_FOUND\"}", Map.of()));
		assertThat(
				statusOf(() -> this.calls.getOrder(CALLER, GetOrderRequest.getDefaultInstance(), TIMEOUT)).getStatus()
					.getCode())
			.isEqualTo(Status.Code.NOT_FOUND);
	}

	@Test
	void aRefusalWithoutACodeIsWhatItsHttpStatusStandsFor() {
		// The access policy's refusal, a route the order service does not serve, a proxy
		// that has no upstream, something that is not a problem at all.
		Object[][] cases = { { 403, "{\"status\":403,\"detail\":\"not allowed\"}", Status.Code.PERMISSION_DENIED },
				{ 404, "{\"status\":404}", Status.Code.UNIMPLEMENTED },
				{ 502, "<html>bad gateway</html>", Status.Code.UNAVAILABLE }, { 503, "", Status.Code.UNAVAILABLE },
				{ 500, "{\"code\":\"NOT_A_CODE\"}", Status.Code.INTERNAL } };
		for (Object[] c : cases) {
			this.next.set(Answer.problem((int) c[0], (String) c[1], Map.of()));
			assertThat(statusOf(() -> this.calls.getOrder(CALLER, GetOrderRequest.getDefaultInstance(), TIMEOUT))
				.getStatus()
				.getCode()).as("%s %s", c[0], c[1]).isEqualTo(c[2]);
		}
	}

	@Test
	void noAnswerInTimeIsDeadlineExceededAndNoServiceUnavailable() {
		CountDownLatch held = new CountDownLatch(1);
		this.next.set(new Answer(200, Map.of(), "{}", held));
		try {
			assertThat(statusOf(() -> this.calls.getOrder(CALLER, GetOrderRequest.getDefaultInstance(), TIMEOUT))
				.getStatus()
				.getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
		}
		finally {
			held.countDown();
		}

		this.order.stop(0);
		assertThat(
				statusOf(() -> this.calls.getOrder(CALLER, GetOrderRequest.getDefaultInstance(), TIMEOUT)).getStatus()
					.getCode())
			.isEqualTo(Status.Code.UNAVAILABLE);
	}

	private static StatusRuntimeException statusOf(Runnable call) {
		try {
			call.run();
		}
		catch (StatusRuntimeException ex) {
			return ex;
		}
		throw new AssertionError("the call did not fail");
	}

}
