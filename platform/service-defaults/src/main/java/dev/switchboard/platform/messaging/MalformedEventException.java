package dev.switchboard.platform.messaging;

/**
 * A record that can never be processed (no envelope, unreadable payload). It goes to the
 * dead-letter topic at once: retrying cannot help.
 */
public class MalformedEventException extends RuntimeException {

	public MalformedEventException(String message) {
		super(message);
	}

	public MalformedEventException(String message, Throwable cause) {
		super(message, cause);
	}

}
