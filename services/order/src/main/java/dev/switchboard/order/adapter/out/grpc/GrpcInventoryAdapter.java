package dev.switchboard.order.adapter.out.grpc;

import java.time.Duration;
import java.util.List;

import io.grpc.StatusRuntimeException;

import dev.switchboard.contracts.inventory.v1.CheckAndReserveRequest;
import dev.switchboard.contracts.inventory.v1.InventoryServiceGrpc;
import dev.switchboard.contracts.inventory.v1.Line;
import dev.switchboard.contracts.inventory.v1.ReleaseRequest;
import dev.switchboard.contracts.inventory.v1.Reservation;
import dev.switchboard.order.application.port.out.InventoryPort;
import dev.switchboard.order.application.port.out.InventoryUnavailableException;
import dev.switchboard.order.domain.OrderLine;
import dev.switchboard.order.domain.OutOfStockException;
import dev.switchboard.order.domain.PlaceOrderCommand.Item;
import dev.switchboard.order.domain.UnknownSkuException;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.grpc.client.GrpcChannelFactory;
import org.springframework.stereotype.Component;

/**
 * Inventory over gRPC (channel {@code inventory}), every call with a deadline.
 */
@Component
class GrpcInventoryAdapter implements InventoryPort {

	private final InventoryServiceGrpc.InventoryServiceBlockingStub stub;

	private final Duration deadline;

	GrpcInventoryAdapter(GrpcChannelFactory channels, @Value("${switchboard.saga.timeout.reserve:5s}") Duration deadline) {
		// Initialise the generated descriptors before the first burst of calls (see gateway).
		InventoryServiceGrpc.getServiceDescriptor();
		this.stub = InventoryServiceGrpc.newBlockingStub(channels.createChannel("inventory"));
		this.deadline = deadline;
	}

	@Override
	public List<OrderLine> reserve(String orderId, List<Item> items) {
		CheckAndReserveRequest.Builder request = CheckAndReserveRequest.newBuilder().setOrderId(orderId);
		items.forEach((i) -> request.addLines(Line.newBuilder().setSku(i.sku()).setQuantity(i.quantity())));
		Reservation reservation;
		try {
			reservation = this.stub.withDeadlineAfter(this.deadline).checkAndReserve(request.build());
		}
		catch (StatusRuntimeException ex) {
			String message = ex.getStatus().getDescription();
			throw switch (ex.getStatus().getCode()) {
				case NOT_FOUND -> new UnknownSkuException(message);
				case FAILED_PRECONDITION -> new OutOfStockException(message);
				case ALREADY_EXISTS -> new ReservationConflictException(message);
				default -> new InventoryUnavailableException("inventory: " + ex.getStatus(), ex);
			};
		}
		return reservation.getLinesList()
			.stream()
			.map((l) -> new OrderLine(l.getSku(), l.getQuantity(), l.getUnitPriceCents()))
			.toList();
	}

	@Override
	public void release(String orderId) {
		try {
			this.stub.withDeadlineAfter(this.deadline).release(ReleaseRequest.newBuilder().setOrderId(orderId).build());
		}
		catch (StatusRuntimeException ex) {
			throw new InventoryUnavailableException("inventory: " + ex.getStatus(), ex);
		}
	}

}
