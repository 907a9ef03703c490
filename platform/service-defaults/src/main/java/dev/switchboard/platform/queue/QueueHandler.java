package dev.switchboard.platform.queue;

/**
 * Applies one message. Returning acknowledges it; throwing makes the binding try again
 * after a backoff, and after the queue's last attempt moves it to the dead-letter queue.
 * Throw {@link dev.switchboard.platform.messaging.MalformedEventException} for a message
 * that can never succeed: it is dead-lettered at once.
 */
@FunctionalInterface
public interface QueueHandler {

	/**
	 * @param attempt 1 for the first try of this delivery, then 2, 3, ...
	 */
	void handle(QueueMessage message, int attempt) throws Exception;

	/**
	 * Whether what this handler needs (its database) answers now. A binding that gave
	 * messages back during an outage waits for this before it takes more.
	 */
	default boolean ready() {
		return true;
	}

}
