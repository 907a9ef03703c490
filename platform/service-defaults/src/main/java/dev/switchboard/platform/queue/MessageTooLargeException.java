package dev.switchboard.platform.queue;

/**
 * A message larger than its broker accepts: no retry will send it.
 */
public final class MessageTooLargeException extends RuntimeException {

	public MessageTooLargeException(String message) {
		super(message);
	}

}
