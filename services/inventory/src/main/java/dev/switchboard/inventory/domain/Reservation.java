package dev.switchboard.inventory.domain;

import java.util.List;

/**
 * Stock set aside for one order.
 */
public record Reservation(String orderId, List<ReservedLine> lines, ReservationState state) {

	public Reservation {
		lines = List.copyOf(lines);
	}

	/** Whether this reservation was made for exactly the lines of {@code request}. */
	public boolean matches(ReservationRequest request) {
		if (!this.orderId.equals(request.orderId()) || this.lines.size() != request.lines().size()) {
			return false;
		}
		for (int i = 0; i < this.lines.size(); i++) {
			ReservedLine reserved = this.lines.get(i);
			StockLine asked = request.lines().get(i);
			if (!reserved.sku().equals(asked.sku()) || reserved.quantity() != asked.quantity()) {
				return false;
			}
		}
		return true;
	}

}
