package dev.switchboard.platform.resilience;

import java.time.Duration;

/**
 * A call an edge refused without making it: its circuit breaker is open or its bulkhead
 * is full. The caller should answer "unavailable, retry after {@link #retryAfter()}".
 */
public class EdgeUnavailableException extends RuntimeException {

	private final String edge;

	private final Duration retryAfter;

	EdgeUnavailableException(String edge, String reason, Duration retryAfter, Throwable cause) {
		super(edge + " is not called: " + reason, cause);
		this.edge = edge;
		this.retryAfter = retryAfter;
	}

	public String edge() {
		return this.edge;
	}

	public Duration retryAfter() {
		return this.retryAfter;
	}

}
