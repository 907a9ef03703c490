package dev.switchboard.platform.queue;

/**
 * Headers a dead-lettered queue message carries on both bindings, saying why it was given
 * up, where it came from and how often it was tried. (RabbitMQ dead-letters expired
 * messages itself; those carry its {@code x-death} header with reason {@code expired}
 * instead.)
 */
public final class DeadLetterHeaders {

	/** {@code expired}, {@code failed} (every attempt threw) or {@code malformed}. */
	public static final String REASON = "dlq-reason";

	/** The last exception, as text. */
	public static final String ERROR = "dlq-error";

	/** How many times the handler was tried. */
	public static final String ATTEMPTS = "dlq-attempts";

	/** The queue the message was taken from. */
	public static final String ORIGIN = "dlq-origin";

	public static final String EXPIRED = "expired";

	public static final String FAILED = "failed";

	public static final String MALFORMED = "malformed";

	private DeadLetterHeaders() {
	}

}
