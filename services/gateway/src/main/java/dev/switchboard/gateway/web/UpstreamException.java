package dev.switchboard.gateway.web;

import java.time.Duration;

import org.springframework.http.HttpStatus;

/**
 * A downstream service's refusal or failure, already translated to what the client should
 * see; a 503 says when to try again.
 */
public class UpstreamException extends RuntimeException {

	private final HttpStatus status;

	private final String title;

	private final Duration retryAfter;

	public UpstreamException(HttpStatus status, String title, String detail) {
		this(status, title, detail, Duration.ofSeconds(1));
	}

	public UpstreamException(HttpStatus status, String title, String detail, Duration retryAfter) {
		super(detail);
		this.status = status;
		this.title = title;
		this.retryAfter = retryAfter;
	}

	public HttpStatus status() {
		return this.status;
	}

	public String title() {
		return this.title;
	}

	public Duration retryAfter() {
		return this.retryAfter;
	}

}
