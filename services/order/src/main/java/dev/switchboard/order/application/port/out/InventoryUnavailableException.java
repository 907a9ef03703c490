package dev.switchboard.order.application.port.out;

/**
 * Inventory could not answer; the order was not accepted and may be retried.
 */
public class InventoryUnavailableException extends RuntimeException {

	public InventoryUnavailableException(String message, Throwable cause) {
		super(message, cause);
	}

}
