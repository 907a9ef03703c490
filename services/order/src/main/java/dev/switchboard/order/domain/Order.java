package dev.switchboard.order.domain;

import java.time.Instant;
import java.util.List;

/**
 * An order as the order service knows it.
 *
 * @param cancellationReason why it was cancelled; {@code null} unless
 * {@link OrderStatus#CANCELLED}
 */
public record Order(String id, String customerId, OrderStatus status, List<OrderLine> lines,
		ShippingAddress shippingAddress, String cancellationReason, Instant createdAt, Instant updatedAt) {

	public Order {
		lines = List.copyOf(lines);
	}

	/**
	 * A new order, as it is when placed: {@link OrderStatus#PENDING}, unchanged since
	 * {@code at}.
	 */
	public static Order placed(String id, String customerId, List<OrderLine> lines, ShippingAddress shippingAddress,
			Instant at) {
		return new Order(id, customerId, OrderStatus.PENDING, lines, shippingAddress, null, at, at);
	}

	/**
	 * This order as it was answered when placed (what a repeated request with the same
	 * idempotency key is answered), whatever happened to it since.
	 */
	public Order asPlaced() {
		return placed(this.id, this.customerId, this.lines, this.shippingAddress, this.createdAt);
	}

	public long totalCents() {
		return this.lines.stream().mapToLong(OrderLine::totalCents).reduce(0, Math::addExact);
	}

}
