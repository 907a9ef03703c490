package dev.switchboard.order.domain;

import java.time.Duration;

/**
 * Inventory could not answer; the order was not accepted and may be retried, after
 * {@link #retryAfter()}.
 */
public class InventoryUnavailableException extends RuntimeException {

	private final Duration retryAfter;

	public InventoryUnavailableException(String message, Duration retryAfter, Throwable cause) {
		super(message, cause);
		this.retryAfter = retryAfter;
	}

	public Duration retryAfter() {
		return this.retryAfter;
	}

}
