package dev.switchboard.order.application.port.in;

import java.time.Duration;

/**
 * The order was not taken because too many orders are still in progress; the client
 * should try again after {@link #retryAfter()}.
 */
public class OverloadedException extends RuntimeException {

	private final Duration retryAfter;

	public OverloadedException(String message, Duration retryAfter) {
		super(message);
		this.retryAfter = retryAfter;
	}

	public Duration retryAfter() {
		return this.retryAfter;
	}

}
