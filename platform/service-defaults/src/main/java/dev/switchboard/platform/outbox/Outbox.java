package dev.switchboard.platform.outbox;

import java.time.Duration;

import com.google.protobuf.Message;

import dev.switchboard.contracts.queues.QueueSpec;

/**
 * The only way a service publishes an event: the event is stored in the caller's database
 * transaction and published to Kafka after that transaction commits, so state and events
 * never disagree (no published event without its state change, no state change without
 * its event).
 */
public interface Outbox {

	/**
	 * Stores {@code event} for publication to {@code topic} with record key {@code key}.
	 * @return the message's id, as its consumers will see it
	 * @throws IllegalStateException when no transaction is active
	 */
	String add(String topic, String key, Message event);

	/**
	 * Stores {@code command} for a work queue, with priority 0 and no expiry.
	 * @throws IllegalStateException when no transaction is active
	 */
	default String enqueue(QueueSpec queue, String subject, Message command) {
		return enqueue(queue, subject, command, 0, null);
	}

	/**
	 * Stores {@code command} for a work queue. The relay keeps it while the queue refuses
	 * it for being full, and sends it once there is room.
	 * @param priority 0 (lowest) up to the queue's levels minus one
	 * @param timeToLive how long the message is worth delivering, or {@code null} for
	 * ever
	 * @return the message's id, as its consumer will see it
	 * @throws IllegalStateException when no transaction is active
	 */
	String enqueue(QueueSpec queue, String subject, Message command, int priority, Duration timeToLive);

}
