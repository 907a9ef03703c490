package dev.switchboard.order.adapter.out.grpc;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;

import dev.switchboard.contracts.inventory.v1.CheckAndReserveRequest;
import dev.switchboard.contracts.inventory.v1.InventoryServiceGrpc;
import dev.switchboard.contracts.inventory.v1.Line;
import dev.switchboard.contracts.inventory.v1.ListReservedBeforeRequest;
import dev.switchboard.contracts.inventory.v1.ReleaseRequest;
import dev.switchboard.contracts.inventory.v1.Reservation;
import dev.switchboard.order.application.port.out.InventoryPort;
import dev.switchboard.order.domain.InventoryUnavailableException;
import dev.switchboard.order.domain.OrderLine;
import dev.switchboard.order.domain.OutOfStockException;
import dev.switchboard.order.domain.PlaceOrderCommand.Item;
import dev.switchboard.order.domain.UnknownSkuException;
import dev.switchboard.platform.resilience.Edge;
import dev.switchboard.platform.resilience.EdgeUnavailableException;
import dev.switchboard.platform.resilience.Edges;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.grpc.client.GrpcChannelFactory;
import org.springframework.stereotype.Component;

/**
 * Inventory over gRPC (channel {@code inventory}; the default of
 * {@code switchboard.transports.inventory}) through the edge {@code inventory}: deadline
 * ({@code switchboard.edges.inventory.timeout}, by default the saga's reserve timeout),
 * bulkhead, circuit breaker, and retries, which are safe because both calls are keyed by
 * the order id: a repeated reservation with the same lines returns the first.
 */
@Component
@ConditionalOnProperty(name = "switchboard.transports.inventory", havingValue = "grpc", matchIfMissing = true)
class GrpcInventoryAdapter implements InventoryPort {

	private final InventoryServiceGrpc.InventoryServiceBlockingStub stub;

	private final Edge edge;

	GrpcInventoryAdapter(GrpcChannelFactory channels, Edges edges) {
		// Initialise the generated descriptors before the first burst of calls (see
		// gateway).
		InventoryServiceGrpc.getServiceDescriptor();
		ManagedChannel channel = channels.createChannel("inventory");
		this.stub = InventoryServiceGrpc.newBlockingStub(channel);
		this.edge = edges.edge("inventory").reconnectWith(channel::resetConnectBackoff);
	}

	@Override
	public List<OrderLine> reserve(String orderId, String attemptId, List<Item> items) {
		CheckAndReserveRequest.Builder request = CheckAndReserveRequest.newBuilder()
			.setOrderId(orderId)
			.setAttemptId(attemptId);
		items.forEach((i) -> request.addLines(Line.newBuilder().setSku(i.sku()).setQuantity(i.quantity())));
		Reservation reservation;
		try {
			reservation = call((deadline) -> this.stub.withDeadlineAfter(deadline).checkAndReserve(request.build()));
		}
		catch (StatusRuntimeException ex) {
			String message = ex.getStatus().getDescription();
			throw switch (ex.getStatus().getCode()) {
				case NOT_FOUND -> new UnknownSkuException(message);
				case FAILED_PRECONDITION -> new OutOfStockException(message);
				case ALREADY_EXISTS -> new ReservationConflictException(message);
				default -> unavailable(ex);
			};
		}
		return reservation.getLinesList()
			.stream()
			.map((l) -> new OrderLine(l.getSku(), l.getQuantity(), l.getUnitPriceCents()))
			.toList();
	}

	/**
	 * Runs outside the inbound call's context: a release undoes a reservation for a
	 * caller that may already have given up, and must not be cancelled with it.
	 */
	@Override
	public void release(String orderId, String attemptId) {
		try {
			Context.current()
				.fork()
				.run(() -> call((deadline) -> this.stub.withDeadlineAfter(deadline)
					.release(ReleaseRequest.newBuilder().setOrderId(orderId).setAttemptId(attemptId).build())));
		}
		catch (StatusRuntimeException ex) {
			throw unavailable(ex);
		}
	}

	@Override
	public List<HeldReservation> heldSince(Instant before, String afterOrderId, int limit) {
		try {
			return call((deadline) -> this.stub.withDeadlineAfter(deadline)
				.listReservedBefore(ListReservedBeforeRequest.newBuilder()
					.setReservedBeforeEpochMillis(before.toEpochMilli())
					.setAfterOrderId(afterOrderId)
					.setLimit(limit)
					.build()))
				.getReservationsList()
				.stream()
				.map((r) -> new HeldReservation(r.getOrderId(), r.getAttemptId(),
						Instant.ofEpochMilli(r.getReservedAtEpochMillis())))
				.toList();
		}
		catch (StatusRuntimeException ex) {
			throw unavailable(ex);
		}
	}

	private <T> T call(Function<Duration, T> attempt) {
		try {
			return this.edge.call(true, attempt);
		}
		catch (EdgeUnavailableException ex) {
			throw new InventoryUnavailableException(ex.getMessage(), ex.retryAfter(), ex);
		}
	}

	private static InventoryUnavailableException unavailable(StatusRuntimeException ex) {
		return new InventoryUnavailableException("inventory: " + ex.getStatus(), Duration.ofSeconds(1), ex);
	}

}
