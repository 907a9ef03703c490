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

	/** Whether {@code ex} is, or was caused by, a malformed message. */
	public static boolean isCauseOf(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (cause instanceof MalformedEventException) {
				return true;
			}
		}
		return false;
	}

}
