package dev.switchboard.analytics.domain;

/**
 * Totals over all orders seen on the stream. Revenue counts completed orders only: money
 * of cancelled orders is refunded.
 */
public record OrderSummary(long ordersCreated, long ordersCompleted, long ordersCancelled, long revenueCents) {

	public static final OrderSummary EMPTY = new OrderSummary(0, 0, 0, 0);

	public OrderSummary created() {
		return new OrderSummary(this.ordersCreated + 1, this.ordersCompleted, this.ordersCancelled, this.revenueCents);
	}

	public OrderSummary completed(long totalCents) {
		return new OrderSummary(this.ordersCreated, this.ordersCompleted + 1, this.ordersCancelled,
				this.revenueCents + totalCents);
	}

	public OrderSummary cancelled() {
		return new OrderSummary(this.ordersCreated, this.ordersCompleted, this.ordersCancelled + 1, this.revenueCents);
	}

}
