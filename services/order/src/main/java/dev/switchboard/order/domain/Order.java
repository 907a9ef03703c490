package dev.switchboard.order.domain;

import java.time.Instant;
import java.util.List;

/**
 * An order as the order service knows it.
 *
 * @param cancellationReason why it was cancelled; {@code null} unless {@link OrderStatus#CANCELLED}
 */
public record Order(String id, String customerId, OrderStatus status, List<OrderLine> lines,
		ShippingAddress shippingAddress, String cancellationReason, Instant createdAt, Instant updatedAt) {

	public Order {
		lines = List.copyOf(lines);
	}

	public long totalCents() {
		return this.lines.stream().mapToLong(OrderLine::totalCents).reduce(0, Math::addExact);
	}

}
