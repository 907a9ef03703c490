package dev.switchboard.platform.internal.outbox;

import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;

import dev.switchboard.platform.queue.MessageTooLargeException;

/**
 * Which send failures no retry cures: the broker refuses this message itself (too large,
 * a topic name it does not accept, a queue this service does not declare), whatever the
 * state of the broker or the network. The relay parks such a row in the dead outbox so
 * that it stops holding back the rows behind it; every other failure (the broker away, a
 * timeout, a leader moving) is retried for as long as it lasts.
 */
final class Undeliverable {

	private Undeliverable() {
	}

	/** Why this failure is for good, or {@code null} when trying again may succeed. */
	static String reason(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (cause instanceof RecordTooLargeException || cause instanceof RecordBatchTooLargeException
					|| cause instanceof InvalidTopicException || cause instanceof SerializationException
					|| cause instanceof UndeliverableMessageException || cause instanceof MessageTooLargeException) {
				return cause.getClass().getSimpleName() + ": " + cause.getMessage();
			}
		}
		return null;
	}

	/** A message that cannot be sent as it is, found before any broker was asked. */
	static final class UndeliverableMessageException extends RuntimeException {

		UndeliverableMessageException(String message) {
			super(message);
		}

	}

}
