package dev.switchboard.platform.queue;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.switchboard.contracts.queues.QueueSpec;

/**
 * Work queues on one broker. Every binding keeps the promises of {@link QueueSpec}; where
 * a broker lacks a feature the binding builds it, and docs/messaging.md says how the
 * bindings differ.
 */
public interface WorkQueueBinding extends AutoCloseable {

	/** Creates the queue and its dead-letter queue if they do not exist. */
	void declare(QueueSpec queue);

	/**
	 * Sends a message; the future completes once the broker has it safely (publisher
	 * confirm, or acks=all), and fails with {@link QueueFullException} when the queue is
	 * at its maximum length.
	 */
	CompletableFuture<Void> send(QueueSpec queue, QueueMessage message);

	/**
	 * Starts {@code consumers} competing consumers, each holding at most {@code prefetch}
	 * unacknowledged messages. A message is acknowledged after {@code handler} returns.
	 */
	Consumers consume(QueueSpec queue, int consumers, int prefetch, QueueHandler handler);

	/**
	 * How many messages wait in the queue, at every priority level, as the broker counts
	 * them now: sent and not yet taken by a consumer.
	 * @throws IllegalStateException when the broker does not say
	 */
	long waiting(QueueSpec queue);

	@Override
	void close();

	/**
	 * Running consumers of one queue. Closing them returns unacknowledged messages to the
	 * queue.
	 */
	interface Consumers extends AutoCloseable {

		/**
		 * Why consumers that failed are down, one line each, while they wait to be
		 * started again; empty while every consumer runs.
		 */
		default List<String> failures() {
			return List.of();
		}

		/** How many times a consumer was started again after a failure. */
		default int restarts() {
			return 0;
		}

		@Override
		void close();

	}

}
