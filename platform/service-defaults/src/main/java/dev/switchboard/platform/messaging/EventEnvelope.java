package dev.switchboard.platform.messaging;

import java.time.Instant;

/**
 * What a consumer knows about an event besides its content: its CloudEvents attributes
 * and where it was read from.
 *
 * @param id unique per event; the idempotency key for consumers
 * @param type the protobuf full name of the event message
 * @param source the service that published it
 * @param time when it was recorded in the outbox
 * @param subject the order id the event is about
 * @param dataschema its schema revision ({@link SchemaRevision}), {@code null} for
 * revision 1
 * @param traceparent the W3C trace context it was written in, or {@code null}
 */
public record EventEnvelope(String id, String type, String source, Instant time, String subject, String dataschema,
		String traceparent, String topic, int partition, long offset) {
}
