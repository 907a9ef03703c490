package dev.switchboard.order.adapter.in.grpc;

import dev.switchboard.contracts.order.v1.Address;
import dev.switchboard.contracts.order.v1.Order;
import dev.switchboard.contracts.order.v1.OrderLine;
import dev.switchboard.contracts.order.v1.OrderStatus;
import dev.switchboard.order.domain.ShippingAddress;

/**
 * Maps domain orders to the {@code order.v1} contract messages of the gRPC API.
 */
final class OrderMessages {

	private OrderMessages() {
	}

	static Order toProto(dev.switchboard.order.domain.Order order) {
		ShippingAddress a = order.shippingAddress();
		Order.Builder builder = Order.newBuilder()
			.setOrderId(order.id())
			.setCustomerId(order.customerId())
			.setStatus(OrderStatus.valueOf(order.status().name()))
			.setTotalCents(order.totalCents())
			.setShippingAddress(Address.newBuilder()
				.setCountry(a.country())
				.setCity(a.city())
				.setLine1(a.line1())
				.setPostalCode(a.postalCode()))
			.setCreatedAt(order.createdAt().toString())
			.setUpdatedAt(order.updatedAt().toString());
		order.lines()
			.forEach((l) -> builder.addLines(OrderLine.newBuilder()
				.setSku(l.sku())
				.setQuantity(l.quantity())
				.setUnitPriceCents(l.unitPriceCents())));
		if (order.cancellationReason() != null) {
			builder.setCancellationReason(order.cancellationReason());
		}
		return builder.build();
	}

}
