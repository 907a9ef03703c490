package dev.switchboard.platform.queue;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.contracts.queues.QueueSpec;
import dev.switchboard.platform.messaging.MalformedEventException;

/**
 * Tries a handler on one message up to the queue's attempt limit, waiting the backoff
 * between tries, while the consumer holds the message unacknowledged. Both bindings use it,
 * so retries behave the same on each.
 *
 * <p>
 * Neither broker offers a delayed redelivery we can use: RabbitMQ's TTL-and-dead-letter
 * retry loop silently drops a message when the queue it returns to is full, and a Kafka
 * share group redelivers a released record at once. Waiting while holding the message
 * loses nothing and slows a failing consumer down, which is what a struggling downstream
 * needs.
 */
final class Attempts {

	private static final Logger log = LoggerFactory.getLogger(Attempts.class);

	private Attempts() {
	}

	static Outcome run(QueueSpec queue, QueueMessage message, QueueHandler handler) {
		for (int attempt = 1;; attempt++) {
			try {
				handler.handle(message, attempt);
				return new Outcome.Done();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return new Outcome.Abandoned();
			}
			catch (Exception ex) {
				if (Thread.currentThread().isInterrupted()) {
					return new Outcome.Abandoned();
				}
				if (MalformedEventException.isCauseOf(ex)) {
					return new Outcome.Dead(DeadLetterHeaders.MALFORMED, ex.toString(), attempt);
				}
				if (attempt >= queue.maxAttempts()) {
					log.warn("{}: {} {} failed {} times; dead-lettering it: {}", queue.name(), message.type(),
							message.id(), attempt, ex.toString());
					return new Outcome.Dead(DeadLetterHeaders.FAILED, ex.toString(), attempt);
				}
				Duration backoff = queue.backoffAfter(attempt);
				log.warn("{}: {} {} failed (attempt {}); retrying in {} ms: {}", queue.name(), message.type(),
						message.id(), attempt, backoff.toMillis(), ex.toString());
				try {
					Thread.sleep(backoff);
				}
				catch (InterruptedException ie) {
					Thread.currentThread().interrupt();
					return new Outcome.Abandoned();
				}
			}
		}
	}

	/** What became of a message. */
	sealed interface Outcome {

		/** Handled: acknowledge it. */
		record Done() implements Outcome {
		}

		/** Given up: dead-letter it, then acknowledge it. */
		record Dead(String reason, String error, int attempts) implements Outcome {
		}

		/** The consumer is stopping: leave it unacknowledged, the broker delivers it again. */
		record Abandoned() implements Outcome {
		}

	}

}
