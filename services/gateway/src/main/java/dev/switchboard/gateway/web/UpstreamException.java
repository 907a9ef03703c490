package dev.switchboard.gateway.web;

import org.springframework.http.HttpStatus;

/**
 * A downstream service's refusal or failure, already translated to what the client should
 * see.
 */
public class UpstreamException extends RuntimeException {

	private final HttpStatus status;

	private final String title;

	public UpstreamException(HttpStatus status, String title, String detail) {
		super(detail);
		this.status = status;
		this.title = title;
	}

	public HttpStatus status() {
		return this.status;
	}

	public String title() {
		return this.title;
	}

}
