package dev.switchboard.order;

import java.io.IOException;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.switchboard.contracts.events.Topics;
import dev.switchboard.contracts.order.v1.CreateOrderRequest;
import dev.switchboard.contracts.order.v1.GetOrderRequest;
import dev.switchboard.contracts.order.v1.OrderLine;
import dev.switchboard.contracts.order.v1.OrderServiceGrpc;
import dev.switchboard.contracts.order.v1.OrderStatus;
import dev.switchboard.contracts.order.v1.Saga;
import dev.switchboard.contracts.payment.v1.PaymentServiceGrpc;
import dev.switchboard.contracts.queues.Queues;
import dev.switchboard.contracts.saga.v1.AllocateStock;
import dev.switchboard.contracts.saga.v1.ChargePayment;
import dev.switchboard.contracts.saga.v1.RefundPayment;
import dev.switchboard.contracts.saga.v1.SagaStep;
import dev.switchboard.contracts.saga.v1.StepReply;
import dev.switchboard.platform.resilience.Edges;
import dev.switchboard.testing.ServiceIntegrationTest;
import dev.switchboard.testing.TestEvents;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The order service with its payment edge on gRPC ({@code up --edge order-payment=grpc}):
 * a real database and broker, a stand-in payment speaking the real contract over a
 * socket. The saga charges by calling, hears the answer as it would a reply, and times
 * out and refunds a charge whose answer is lost, as on the work queue.
 */
@ServiceIntegrationTest(service = "order",
		topics = { Topics.PAYMENT_EVENTS, Topics.INVENTORY_EVENTS, Topics.SHIPPING_EVENTS },
		properties = { "server.port=0", "switchboard.transports.payment=grpc", "switchboard.saga.timeout.charge=3s",
				"switchboard.saga.timeout.allocate=60s", "switchboard.saga.timeout.compensation=1s" })
class PaymentOverGrpcIntegrationTest {

	private static final OrderServiceSockets sockets = new OrderServiceSockets();

	/** The calls the stand-in payment took: "charge ORDER AMOUNT", "refund ORDER". */
	private static final Queue<String> paymentCalls = new ConcurrentLinkedQueue<>();

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		sockets.register(registry);
		sockets.registerGrpcPayment(registry);
	}

	@BeforeAll
	static void start() throws IOException {
		sockets.serve(sockets.inventoryPort, new OrderIntegrationTest.StandInInventory());
		sockets.serve(sockets.paymentPort, new StandInPayment());
	}

	@AfterAll
	static void stop() {
		sockets.close();
	}

	@Test
	void theChargeIsACallAndItsAnswerMovesTheSagaOn() {
		String orderId = place("tok_visa");

		await().atMost(Duration.ofSeconds(30)).until(() -> status(orderId) == OrderStatus.PAID);
		assertThat(paymentCalls).contains("charge " + orderId + " 500");
		await().atMost(Duration.ofSeconds(30))
			.until(() -> TestEvents.read(Topics.INVENTORY_COMMANDS, orderId, AllocateStock.getDefaultInstance())
				.size() == 1);
		assertThat(TestEvents.read(Queues.PAYMENT_COMMANDS.name(), orderId, ChargePayment.getDefaultInstance()))
			.as("nothing went through the work queue")
			.isEmpty();
		assertThat(saga(orderId).getStepsList()).filteredOn((s) -> s.getName().equals("charge"))
			.singleElement()
			.satisfies((s) -> assertThat(s.getDetail()).isEqualTo("pay-" + orderId));
	}

	@Test
	void aChargeWhoseAnswerIsLostTimesOutAndIsRefundedByCall() {
		String orderId = place("tok_noReply");

		await().atMost(Duration.ofSeconds(30)).until(() -> status(orderId) == OrderStatus.CANCELLED);
		assertThat(orders().getOrder(GetOrderRequest.newBuilder().setOrderId(orderId).build()).getCancellationReason())
			.as("payment is not asked about a call: the step times out, it does not wait for a queue")
			.isEqualTo("charge timed out after 3000 ms");
		await().atMost(Duration.ofSeconds(30)).until(() -> paymentCalls.contains("refund " + orderId));
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(
					() -> assertThat(saga(orderId).getStepsList()).filteredOn((s) -> s.getName().equals("charge"))
						.singleElement()
						.satisfies((s) -> assertThat(s.getState()).isEqualTo("compensated")));
	}

	@Test
	void lessChargesAreInFlightThanPaymentHasDatabaseConnectionsAndEachHasTheChargeTimeout(@Autowired Edges edges,
			@Autowired Environment environment) {
		// A burst of charges waits on the order side instead of exhausting payment's pool
		// (every service's, switchboard-defaults.properties), whose timeouts would fail
		// charges and open the breaker.
		int paymentConnections = environment.getRequiredProperty("spring.datasource.hikari.maximum-pool-size",
				Integer.class);
		assertThat(edges.edge("payment").maxConcurrentCalls()).isLessThanOrEqualTo(paymentConnections / 2);
		assertThat(edges.edge("payment").timeout()).isEqualTo(Duration.ofSeconds(3));
	}

	@Test
	void aChargeIsSlowOnlyAfterHalfTheDefaultChargeTimeout(@Autowired Edges edges,
			@Autowired CircuitBreakerRegistry breakers) {
		edges.edge("payment");
		assertThat(breakers.circuitBreaker("payment").getCircuitBreakerConfig().getSlowCallDurationThreshold())
			.as("slow is half the default charge timeout (10 s), not the 1 s of other edges")
			.isEqualTo(Duration.ofSeconds(5));
	}

	private static String place(String paymentToken) {
		return orders()
			.createOrder(CreateOrderRequest.newBuilder()
				.setCustomerId("c-1")
				.setPaymentToken(paymentToken)
				.addLines(OrderLine.newBuilder().setSku("SKU-0001").setQuantity(2))
				.setShippingAddress(OrderServiceSockets.austin())
				.build())
			.getOrder()
			.getOrderId();
	}

	private static OrderStatus status(String orderId) {
		return orders().getOrder(GetOrderRequest.newBuilder().setOrderId(orderId).build()).getStatus();
	}

	private static Saga saga(String orderId) {
		return orders().getSaga(GetOrderRequest.newBuilder().setOrderId(orderId).build());
	}

	private static OrderServiceGrpc.OrderServiceBlockingStub orders() {
		return sockets.customer("c-1", Duration.ofSeconds(10));
	}

	/** Approves every charge but tok_noReply's, whose answer it loses. */
	static class StandInPayment extends PaymentServiceGrpc.PaymentServiceImplBase {

		@Override
		public void charge(ChargePayment request, StreamObserver<StepReply> response) {
			paymentCalls.add("charge " + request.getOrderId() + " " + request.getAmountCents());
			if (request.getPaymentToken().equals("tok_noReply")) {
				response.onError(Status.UNAVAILABLE.withDescription("answer lost").asRuntimeException());
				return;
			}
			response.onNext(StepReply.newBuilder()
				.setOrderId(request.getOrderId())
				.setStep(SagaStep.CHARGE)
				.setSucceeded(true)
				.setReference("pay-" + request.getOrderId())
				.build());
			response.onCompleted();
		}

		@Override
		public void refund(RefundPayment request, StreamObserver<StepReply> response) {
			paymentCalls.add("refund " + request.getOrderId());
			response.onNext(StepReply.newBuilder()
				.setOrderId(request.getOrderId())
				.setStep(SagaStep.CHARGE)
				.setCompensation(true)
				.setSucceeded(true)
				.build());
			response.onCompleted();
		}

	}

}
