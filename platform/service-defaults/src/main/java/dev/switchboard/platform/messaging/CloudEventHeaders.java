package dev.switchboard.platform.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import dev.switchboard.platform.internal.tracing.MessageTracing;

/**
 * The CloudEvents Kafka protocol binding in binary mode: envelope attributes travel as
 * {@code ce_*} headers, the record value is the event itself (protobuf).
 */
public final class CloudEventHeaders {

	public static final String ID = "ce_id";

	public static final String TYPE = "ce_type";

	public static final String SOURCE = "ce_source";

	public static final String SPEC_VERSION = "ce_specversion";

	public static final String TIME = "ce_time";

	public static final String SUBJECT = "ce_subject";

	/**
	 * {@code urn:switchboard:schema:<type>:<revision>?readable-from=<n>}: see
	 * {@link SchemaRevision}.
	 */
	public static final String DATA_SCHEMA = "ce_dataschema";

	/**
	 * The W3C trace context of the span that wrote the event: the header name
	 * OpenTelemetry and Spring Kafka use on Kafka records, which is also the CloudEvents
	 * distributed-tracing attribute's.
	 */
	public static final String TRACEPARENT = MessageTracing.TRACEPARENT;

	public static final String CONTENT_TYPE = "content-type";

	private CloudEventHeaders() {
	}

	public static void write(Headers headers, String id, String type, String source, Instant time, String subject) {
		write(headers, id, type, source, time, subject, null, null);
	}

	/**
	 * Writes the envelope of a record.
	 * @param dataschema the schema revision, {@code null} for revision 1
	 * @param traceparent the trace the event belongs to, or {@code null}
	 */
	public static void write(Headers headers, String id, String type, String source, Instant time, String subject,
			String dataschema, String traceparent) {
		put(headers, ID, id);
		put(headers, TYPE, type);
		put(headers, SOURCE, source);
		put(headers, SPEC_VERSION, "1.0");
		put(headers, TIME, time.toString());
		put(headers, SUBJECT, subject);
		put(headers, CONTENT_TYPE, "application/protobuf");
		put(headers, DATA_SCHEMA, dataschema);
		put(headers, TRACEPARENT, traceparent);
	}

	/**
	 * Reads the envelope of a record.
	 * @throws MalformedEventException when {@code ce_id} or {@code ce_type} is missing
	 */
	public static EventEnvelope read(Headers headers, String topic, int partition, long offset) {
		String id = get(headers, ID);
		String type = get(headers, TYPE);
		if (id == null || type == null) {
			throw new MalformedEventException("record has no " + ((id == null) ? ID : TYPE) + " header");
		}
		String time = get(headers, TIME);
		Instant instant;
		try {
			instant = (time != null) ? Instant.parse(time) : null;
		}
		catch (DateTimeParseException ex) {
			throw new MalformedEventException("unreadable " + TIME + " header: " + time);
		}
		return new EventEnvelope(id, type, get(headers, SOURCE), instant, get(headers, SUBJECT),
				get(headers, DATA_SCHEMA), get(headers, TRACEPARENT), topic, partition, offset);
	}

	private static void put(Headers headers, String key, String value) {
		headers.remove(key);
		if (value != null) {
			headers.add(key, value.getBytes(StandardCharsets.UTF_8));
		}
	}

	private static String get(Headers headers, String key) {
		Header header = headers.lastHeader(key);
		return (header != null) ? new String(header.value(), StandardCharsets.UTF_8) : null;
	}

}
