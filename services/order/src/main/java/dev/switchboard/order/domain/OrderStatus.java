package dev.switchboard.order.domain;

/**
 * Where an order is: {@link #PENDING} once accepted (stock reserved), {@link #PAID} once
 * charged, then {@link #COMPLETED} when shipped or {@link #CANCELLED} at any earlier
 * point. The two ends are final: the repository moves an order only from the status it
 * expects ({@code UPDATE ... WHERE status = ...}), so a late or repeated message cannot
 * move it back.
 */
public enum OrderStatus {

	PENDING, PAID, COMPLETED, CANCELLED;

	public boolean isTerminal() {
		return this == COMPLETED || this == CANCELLED;
	}

}
