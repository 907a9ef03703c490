package dev.switchboard.platform.internal.queue;

import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.contracts.queues.QueueSpec;
import dev.switchboard.platform.messaging.InfrastructureFailures;
import dev.switchboard.platform.messaging.MalformedEventException;
import dev.switchboard.platform.queue.DeadLetterHeaders;
import dev.switchboard.platform.queue.QueueHandler;
import dev.switchboard.platform.queue.QueueMessage;

/**
 * Tries a handler on one message up to the queue's attempt limit, waiting the backoff
 * between tries, while the consumer holds the message unacknowledged. Both bindings use
 * it, so retries behave the same on each.
 *
 * <p>
 * Neither broker offers a delayed redelivery we can use: RabbitMQ's TTL-and-dead-letter
 * retry loop silently drops a message when the queue it returns to is full, and a Kafka
 * share group redelivers a released record at once. Waiting while holding the message
 * loses nothing and slows a failing consumer down, which is what a struggling downstream
 * needs.
 */
public final class Attempts {

	private static final Logger log = LoggerFactory.getLogger(Attempts.class);

	private static final Duration OUTAGE_FIRST_BACKOFF = Duration.ofMillis(200);

	private static final Duration OUTAGE_MAX_BACKOFF = Duration.ofSeconds(5);

	private Attempts() {
	}

	public static Outcome run(QueueSpec queue, QueueMessage message, QueueHandler handler, Instant holdUntil) {
		int failures = 0;
		Duration outageBackoff = OUTAGE_FIRST_BACKOFF;
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
				if (InfrastructureFailures.isInfrastructure(ex)) {
					if (Instant.now().plus(outageBackoff).isAfter(holdUntil)) {
						log.warn("{}: {} {} waits for the infrastructure ({}); giving it back to the broker",
								queue.name(), message.type(), message.id(), ex.toString());
						return new Outcome.Released();
					}
					log.warn(
							"{}: {} {} cannot be handled for now ({}); trying again in {} ms, not counted as an attempt",
							queue.name(), message.type(), message.id(), ex.toString(), outageBackoff.toMillis());
					if (!sleep(outageBackoff)) {
						return new Outcome.Abandoned();
					}
					outageBackoff = min(outageBackoff.multipliedBy(2), OUTAGE_MAX_BACKOFF);
					continue;
				}
				failures++;
				if (failures >= queue.maxAttempts()) {
					log.warn("{}: {} {} failed {} times; dead-lettering it: {}", queue.name(), message.type(),
							message.id(), failures, ex.toString());
					return new Outcome.Dead(DeadLetterHeaders.FAILED, ex.toString(), failures);
				}
				Duration backoff = queue.backoffAfter(failures);
				log.warn("{}: {} {} failed (attempt {}); retrying in {} ms: {}", queue.name(), message.type(),
						message.id(), failures, backoff.toMillis(), ex.toString());
				if (!sleep(backoff)) {
					return new Outcome.Abandoned();
				}
			}
		}
	}

	private static boolean sleep(Duration duration) {
		try {
			Thread.sleep(duration);
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private static Duration min(Duration a, Duration b) {
		return (a.compareTo(b) <= 0) ? a : b;
	}

	/** What became of a message. */
	public sealed interface Outcome {

		/** Handled: acknowledge it. */
		record Done() implements Outcome {
		}

		/** Given up: dead-letter it, then acknowledge it. */
		record Dead(String reason, String error, int attempts) implements Outcome {
		}

		/**
		 * Held as long as the binding may while the infrastructure is away: give it back
		 * to the broker.
		 */
		record Released() implements Outcome {
		}

		/**
		 * The consumer is stopping: leave it unacknowledged, the broker delivers it
		 * again.
		 */
		record Abandoned() implements Outcome {
		}

	}

}
