package dev.switchboard.platform.messaging;

import com.google.protobuf.Message;

/**
 * Applies one event. Runs inside a database transaction that also records the event as
 * processed, so the handler's writes (including outbox rows) happen exactly once per
 * event id, however often Kafka delivers it. Throw to have the delivery retried.
 */
@FunctionalInterface
public interface EventHandler<T extends Message> {

	void handle(EventEnvelope envelope, T event);

}
