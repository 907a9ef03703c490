package dev.switchboard.order;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

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
import dev.switchboard.contracts.payment.v1.PaymentServiceGrpc;
import dev.switchboard.contracts.saga.v1.ChargePayment;
import dev.switchboard.contracts.saga.v1.SagaStep;
import dev.switchboard.contracts.saga.v1.StepReply;
import dev.switchboard.testing.ServiceIntegrationTest;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * More charges at once than the payment edge lets through, on a small connection pool:
 * the charges wait their turn without holding the order service's database connections,
 * so every order is placed while payment holds the charge it has, and each is charged
 * once payment answers. (When the thread that committed an order waited for a free call,
 * it still held its transaction's connection: the pool ran dry and orders were refused at
 * creation.)
 */
@ServiceIntegrationTest(service = "order",
		topics = { Topics.PAYMENT_EVENTS, Topics.INVENTORY_EVENTS, Topics.SHIPPING_EVENTS },
		properties = { "server.port=0", "switchboard.transports.payment=grpc",
				"switchboard.edges.payment.bulkhead.max-concurrent-calls=1",
				"spring.datasource.hikari.maximum-pool-size=3", "spring.datasource.hikari.connection-timeout=1000",
				"switchboard.saga.timeout.charge=60s", "switchboard.saga.timeout.allocate=60s" })
class PaymentCallBurstIntegrationTest {

	private static final int ORDERS = 8;

	/** Payment holds every charge until this opens. */
	private static final CountDownLatch paymentAnswers = new CountDownLatch(1);

	private static final OrderServiceSockets sockets = new OrderServiceSockets();

	private static final Set<String> charged = ConcurrentHashMap.newKeySet();

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		sockets.register(registry);
		sockets.registerGrpcPayment(registry);
	}

	@BeforeAll
	static void start() throws IOException {
		sockets.serve(sockets.inventoryPort, new OrderIntegrationTest.StandInInventory());
		sockets.serve(sockets.paymentPort, new HeldPayment());
	}

	@AfterAll
	static void stop() {
		paymentAnswers.countDown();
		sockets.close();
	}

	@Test
	void aBurstOfChargesWaitsForItsTurnsWithoutHoldingTheDatabase() throws Exception {
		List<String> placed = new ArrayList<>();
		try (ExecutorService clients = Executors.newFixedThreadPool(ORDERS)) {
			List<Future<String>> orders = new ArrayList<>();
			for (int i = 0; i < ORDERS; i++) {
				orders.add(clients.submit(PaymentCallBurstIntegrationTest::place));
			}
			for (Future<String> order : orders) {
				// Throws if an order was refused (UNAVAILABLE for want of a connection).
				placed.add(order.get());
			}
		}
		assertThat(charged).as("payment has answered nothing yet").isEmpty();
		paymentAnswers.countDown();

		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(placed)
				.allSatisfy((orderId) -> assertThat(status(orderId)).isIn(OrderStatus.PAID, OrderStatus.COMPLETED)));
		assertThat(charged).containsExactlyInAnyOrderElementsOf(placed);
	}

	private static String place() {
		return orders()
			.createOrder(CreateOrderRequest.newBuilder()
				.setCustomerId("c-1")
				.setPaymentToken("tok_visa")
				.addLines(OrderLine.newBuilder().setSku("SKU-0001").setQuantity(1))
				.setShippingAddress(OrderServiceSockets.austin())
				.build())
			.getOrder()
			.getOrderId();
	}

	private static OrderStatus status(String orderId) {
		return orders().getOrder(GetOrderRequest.newBuilder().setOrderId(orderId).build()).getStatus();
	}

	private static OrderServiceGrpc.OrderServiceBlockingStub orders() {
		return sockets.customer("c-1", Duration.ofSeconds(20));
	}

	/** Approves every charge once {@link #paymentAnswers} opens. */
	static class HeldPayment extends PaymentServiceGrpc.PaymentServiceImplBase {

		@Override
		public void charge(ChargePayment request, StreamObserver<StepReply> response) {
			try {
				if (!paymentAnswers.await(60, TimeUnit.SECONDS)) {
					response.onError(Status.UNAVAILABLE.withDescription("never let answer").asRuntimeException());
					return;
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				response.onError(Status.CANCELLED.asRuntimeException());
				return;
			}
			charged.add(request.getOrderId());
			response.onNext(StepReply.newBuilder()
				.setOrderId(request.getOrderId())
				.setStep(SagaStep.CHARGE)
				.setSucceeded(true)
				.setReference("pay-" + request.getOrderId())
				.build());
			response.onCompleted();
		}

	}

}
