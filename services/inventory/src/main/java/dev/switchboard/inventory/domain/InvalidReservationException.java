package dev.switchboard.inventory.domain;

/**
 * A reservation request no stock could ever serve as asked: a blank or overlong SKU or
 * order id, a quantity below one, no lines or too many. The caller's mistake, told back
 * to it; an {@link IllegalArgumentException} elsewhere in the service is a bug and is not
 * mistaken for this.
 */
public class InvalidReservationException extends RuntimeException {

	public InvalidReservationException(String message) {
		super(message);
	}

}
