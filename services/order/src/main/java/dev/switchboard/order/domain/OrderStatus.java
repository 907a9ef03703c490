package dev.switchboard.order.domain;

/**
 * Where an order is: {@link #PENDING} once accepted (stock reserved), {@link #PAID} once
 * charged, then {@link #COMPLETED} when shipped or {@link #CANCELLED} at any earlier point.
 * The two ends are final.
 */
public enum OrderStatus {

	PENDING, PAID, COMPLETED, CANCELLED;

	public boolean isTerminal() {
		return this == COMPLETED || this == CANCELLED;
	}

	public boolean canMoveTo(OrderStatus next) {
		return switch (this) {
			case PENDING -> next == PAID || next == CANCELLED;
			case PAID -> next == COMPLETED || next == CANCELLED;
			case COMPLETED, CANCELLED -> false;
		};
	}

}
