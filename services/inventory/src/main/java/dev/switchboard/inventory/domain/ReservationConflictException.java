package dev.switchboard.inventory.domain;

public class ReservationConflictException extends RuntimeException {

	public ReservationConflictException(String orderId) {
		super("order " + orderId + " already has a reservation with different lines");
	}

}
