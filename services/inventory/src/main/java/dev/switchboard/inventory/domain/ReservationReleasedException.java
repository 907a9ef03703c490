package dev.switchboard.inventory.domain;

/**
 * A reservation asked for again by the attempt that gave it up (a late copy of a call the
 * order service stopped waiting for), or with no attempt at all: it stays released.
 */
public class ReservationReleasedException extends RuntimeException {

	public ReservationReleasedException(String orderId) {
		super("the reservation of order " + orderId + " was released; only a new attempt to place the order"
				+ " reserves its stock again");
	}

}
