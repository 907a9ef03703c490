package dev.switchboard.order.domain;

public class IdempotencyKeyReusedException extends RuntimeException {

	public IdempotencyKeyReusedException(String message) {
		super(message);
	}

}
