package dev.switchboard.platform.queue;

/**
 * The queue refused a message because it holds its maximum number: backpressure. The
 * sender keeps the message and tries again later (the outbox does).
 */
public class QueueFullException extends RuntimeException {

	public QueueFullException(String queue) {
		super("Queue " + queue + " is full; try again later");
	}

}
