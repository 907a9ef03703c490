package dev.switchboard.platform.queue;

import java.time.Instant;
import java.util.Objects;

/**
 * One message on a work queue: its envelope (CloudEvents id, type, subject, time), its
 * protobuf payload, its priority and, optionally, when it expires.
 *
 * @param id unique per message; consumers use it to apply a redelivered message once
 * @param type the protobuf full name of the payload
 * @param subject what the message is about (an order id); keeps one subject's messages on
 * one Kafka partition
 * @param time when the message was created
 * @param payload the serialised message
 * @param priority 0 (lowest) up to the queue's {@code priorities - 1}
 * @param expiresAt when an undelivered message stops being worth delivering, or
 * {@code null}; an expired message goes to the dead-letter queue with reason
 * {@code expired}
 * @param dataschema the payload's schema revision (CloudEvents {@code dataschema}, see
 * {@link dev.switchboard.platform.internal.messaging.SchemaRevision}), {@code null} for
 * revision 1
 * @param traceparent the W3C trace context the message was written in, or {@code null}
 */
public record QueueMessage(String id, String type, String subject, Instant time, byte[] payload, int priority,
		Instant expiresAt, String dataschema, String traceparent) {

	public QueueMessage {
		Objects.requireNonNull(id, "id");
		Objects.requireNonNull(type, "type");
		Objects.requireNonNull(subject, "subject");
		Objects.requireNonNull(time, "time");
		Objects.requireNonNull(payload, "payload");
		if (priority < 0) {
			throw new IllegalArgumentException("priority must not be negative, was " + priority);
		}
	}

	public boolean expiredAt(Instant now) {
		return this.expiresAt != null && !now.isBefore(this.expiresAt);
	}

}
