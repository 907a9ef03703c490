package dev.switchboard.platform.outbox;

import com.google.protobuf.Message;

/**
 * The only way a service publishes an event: the event is stored in the caller's
 * database transaction and published to Kafka after that transaction commits, so state
 * and events never disagree (no published event without its state change, no state
 * change without its event).
 */
public interface Outbox {

	/**
	 * Stores {@code event} for publication to {@code topic} with record key {@code key}.
	 * @throws IllegalStateException when no transaction is active
	 */
	void add(String topic, String key, Message event);

}
