package dev.switchboard.order;

import java.io.IOException;
import java.time.Duration;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.switchboard.contracts.events.Topics;
import dev.switchboard.contracts.events.v1.OrderCancelled;
import dev.switchboard.contracts.events.v1.OrderCompleted;
import dev.switchboard.contracts.events.v1.OrderCreated;
import dev.switchboard.contracts.events.v1.OrderPaid;
import dev.switchboard.contracts.events.v1.PaymentApproved;
import dev.switchboard.contracts.events.v1.PaymentDeclined;
import dev.switchboard.contracts.events.v1.ShipmentCreated;
import dev.switchboard.contracts.inventory.v1.CheckAndReserveRequest;
import dev.switchboard.contracts.inventory.v1.InventoryServiceGrpc;
import dev.switchboard.contracts.inventory.v1.ReleaseRequest;
import dev.switchboard.contracts.inventory.v1.Reservation;
import dev.switchboard.contracts.inventory.v1.ReservedLine;
import dev.switchboard.contracts.order.v1.Address;
import dev.switchboard.contracts.order.v1.CreateOrderRequest;
import dev.switchboard.contracts.order.v1.CreateOrderResponse;
import dev.switchboard.contracts.order.v1.GetOrderRequest;
import dev.switchboard.contracts.order.v1.OrderLine;
import dev.switchboard.contracts.order.v1.OrderServiceGrpc;
import dev.switchboard.contracts.order.v1.OrderStatus;
import dev.switchboard.embedded.FreePorts;
import dev.switchboard.testing.SharedInfrastructure;
import dev.switchboard.testing.TestEvents;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The order service with a real database, a real broker and a stand-in inventory that
 * speaks the real gRPC contract over a socket.
 */
@SpringBootTest(properties = "server.port=0")
class OrderIntegrationTest {

	private static final int GRPC_PORT = FreePorts.next();

	private static final int INVENTORY_PORT = FreePorts.next();

	private static Server inventory;

	private static ManagedChannel channel;

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		SharedInfrastructure.register(registry, "order");
		registry.add("spring.grpc.server.port", () -> GRPC_PORT);
		registry.add("spring.grpc.client.channel.inventory.target", () -> "127.0.0.1:" + INVENTORY_PORT);
	}

	@BeforeAll
	static void start() throws IOException {
		TestEvents.createTopics(Topics.PAYMENT_EVENTS, Topics.SHIPPING_EVENTS);
		inventory = ServerBuilder.forPort(INVENTORY_PORT).addService(new StandInInventory()).build().start();
		channel = ManagedChannelBuilder.forAddress("127.0.0.1", GRPC_PORT).usePlaintext().build();
	}

	@AfterAll
	static void stop() {
		channel.shutdownNow();
		inventory.shutdownNow();
	}

	private static OrderServiceGrpc.OrderServiceBlockingStub orders() {
		return OrderServiceGrpc.newBlockingStub(channel).withDeadlineAfter(Duration.ofSeconds(10));
	}

	private static CreateOrderRequest request(String key, String sku, int quantity) {
		return CreateOrderRequest.newBuilder()
			.setIdempotencyKey(key)
			.setCustomerId("c-1")
			.setPaymentToken("tok_visa")
			.addLines(OrderLine.newBuilder().setSku(sku).setQuantity(quantity))
			.setShippingAddress(
					Address.newBuilder().setCountry("US").setCity("Austin").setLine1("1 Main St").setPostalCode("78701"))
			.build();
	}

	private static OrderStatus status(String orderId) {
		return orders().getOrder(GetOrderRequest.newBuilder().setOrderId(orderId).build()).getStatus();
	}

	@Test
	void anAcceptedOrderIsAnnouncedAndFollowsPaymentAndShipping() {
		CreateOrderResponse created = orders().createOrder(request("", "SKU-0001", 2));
		String orderId = created.getOrder().getOrderId();

		assertThat(created.getOrder().getStatus()).isEqualTo(OrderStatus.PENDING);
		assertThat(created.getOrder().getTotalCents()).isEqualTo(2 * 250);
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(TestEvents.read(Topics.ORDER_EVENTS, orderId, OrderCreated.getDefaultInstance()))
				.singleElement()
				.satisfies((e) -> assertThat(e.getTotalCents()).isEqualTo(500)));

		String approvedId = TestEvents.publish(Topics.PAYMENT_EVENTS, orderId,
				PaymentApproved.newBuilder().setOrderId(orderId).setPaymentId("p-1").build());
		TestEvents.publish(Topics.PAYMENT_EVENTS, orderId,
				PaymentApproved.newBuilder().setOrderId(orderId).setPaymentId("p-1").build(), approvedId);
		await().atMost(Duration.ofSeconds(30)).until(() -> status(orderId) == OrderStatus.PAID);

		TestEvents.publish(Topics.SHIPPING_EVENTS, orderId,
				ShipmentCreated.newBuilder().setOrderId(orderId).setShipmentId("s-1").build());
		await().atMost(Duration.ofSeconds(30)).until(() -> status(orderId) == OrderStatus.COMPLETED);
		assertThat(TestEvents.read(Topics.ORDER_EVENTS, orderId, OrderPaid.getDefaultInstance())).hasSize(1);
		assertThat(TestEvents.read(Topics.ORDER_EVENTS, orderId, OrderCompleted.getDefaultInstance())).hasSize(1);
	}

	@Test
	void aDeclinedPaymentCancelsTheOrderWithItsReason() {
		String orderId = orders().createOrder(request("", "SKU-0002", 1)).getOrder().getOrderId();

		TestEvents.publish(Topics.PAYMENT_EVENTS, orderId,
				PaymentDeclined.newBuilder().setOrderId(orderId).setReason("card declined").build());

		await().atMost(Duration.ofSeconds(30)).until(() -> status(orderId) == OrderStatus.CANCELLED);
		assertThat(orders().getOrder(GetOrderRequest.newBuilder().setOrderId(orderId).build()).getCancellationReason())
			.contains("card declined");
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(
					TestEvents.read(Topics.ORDER_EVENTS, orderId, OrderCancelled.getDefaultInstance()))
				.hasSize(1));
	}

	@Test
	void anIdempotencyKeyReplaysTheFirstResponseAndRefusesAnotherRequest() {
		CreateOrderResponse first = orders().createOrder(request("key-1", "SKU-0003", 1));
		CreateOrderResponse again = orders().createOrder(request("key-1", "SKU-0003", 1));

		assertThat(first.getReplayed()).isFalse();
		assertThat(again.getReplayed()).isTrue();
		assertThat(again.getOrder()).isEqualTo(first.getOrder());
		assertThatThrownBy(() -> orders().createOrder(request("key-1", "SKU-0003", 2)))
			.isInstanceOfSatisfying(StatusRuntimeException.class,
					(ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS));
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

	/** Knows SKU-0001..0003 at 2.50 each; 999 units is always too many. */
	static class StandInInventory extends InventoryServiceGrpc.InventoryServiceImplBase {

		@Override
		public void checkAndReserve(CheckAndReserveRequest request, StreamObserver<Reservation> response) {
			Reservation.Builder reservation = Reservation.newBuilder().setOrderId(request.getOrderId());
			for (var line : request.getLinesList()) {
				if (!line.getSku().matches("SKU-000[1-3]")) {
					response.onError(Status.NOT_FOUND.withDescription("unknown SKU: " + line.getSku()).asRuntimeException());
					return;
				}
				if (line.getQuantity() >= 999) {
					response.onError(Status.FAILED_PRECONDITION.withDescription("not enough stock").asRuntimeException());
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
			response.onNext(Reservation.newBuilder().setOrderId(request.getOrderId()).build());
			response.onCompleted();
		}

	}

}
