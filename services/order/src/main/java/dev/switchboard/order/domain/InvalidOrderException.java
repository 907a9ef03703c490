package dev.switchboard.order.domain;

/**
 * An order request that breaks a rule of the order itself; it can never succeed as sent.
 */
public class InvalidOrderException extends RuntimeException {

	public InvalidOrderException(String message) {
		super(message);
	}

}
