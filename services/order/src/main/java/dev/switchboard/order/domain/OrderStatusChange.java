package dev.switchboard.order.domain;

import java.time.Instant;

/**
 * A status an order took.
 *
 * @param seq increases with every change, across orders: where a reader resumes
 * @param reason why it was cancelled; {@code null} otherwise
 */
public record OrderStatusChange(long seq, String orderId, OrderStatus status, String reason, Instant at) {

	/** Whether no change can follow this one. */
	public boolean finalStatus() {
		return this.status == OrderStatus.COMPLETED || this.status == OrderStatus.CANCELLED;
	}

}
