package dev.switchboard.order.adapter.out;

import java.time.Instant;

import dev.switchboard.contracts.order.v1.Address;
import dev.switchboard.contracts.order.v1.Order;
import dev.switchboard.contracts.order.v1.OrderLine;
import dev.switchboard.contracts.order.v1.OrderStatus;
import dev.switchboard.order.domain.ShippingAddress;

/**
 * Maps orders to and from the {@code order.v1} contract messages, for the gRPC API and for
 * stored idempotent responses.
 */
public final class OrderMessages {

	private OrderMessages() {
	}

	public static Order toProto(dev.switchboard.order.domain.Order order) {
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

	public static dev.switchboard.order.domain.Order fromProto(Order order) {
		Address a = order.getShippingAddress();
		return new dev.switchboard.order.domain.Order(order.getOrderId(), order.getCustomerId(),
				dev.switchboard.order.domain.OrderStatus.valueOf(order.getStatus().name()),
				order.getLinesList()
					.stream()
					.map((l) -> new dev.switchboard.order.domain.OrderLine(l.getSku(), l.getQuantity(),
							l.getUnitPriceCents()))
					.toList(),
				new ShippingAddress(a.getCountry(), a.getCity(), a.getLine1(), a.getPostalCode()),
				order.getCancellationReason().isEmpty() ? null : order.getCancellationReason(),
				Instant.parse(order.getCreatedAt()), Instant.parse(order.getUpdatedAt()));
	}

}
