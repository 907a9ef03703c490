package dev.switchboard.platform.internal.tracing;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.micrometer.tracing.Link;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.slf4j.MDC;

/**
 * Carries a trace across a broker. A message records the W3C {@code traceparent} of the
 * span that wrote it (into the outbox, inside the request or handler that caused it), and
 * its consumer handles it in a span that continues that trace. One order is then one
 * trace from the gateway's HTTP request through every service, topic and queue it
 * touches, and each log line says which trace it belongs to.
 *
 * <p>
 * The context is captured when the message is written, not when the outbox relay sends
 * it: the relay's own thread belongs to no request.
 */
public final class MessageTracing {

	/** The W3C trace context header (and CloudEvents distributed-tracing attribute). */
	public static final String TRACEPARENT = "traceparent";

	/** The span attribute naming the order a span works on. */
	public static final String ORDER_ID = "switchboard.order.id";

	/**
	 * Where each log line written while handling a message about an order names it
	 * (structured logs: a field of its own).
	 */
	public static final String ORDER_ID_LOGGED = "orderId";

	/** Version 00: trace id, parent span id, flags; later versions may append fields. */
	private static final Pattern TRACEPARENT_FORMAT = Pattern
		.compile("[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(?:-.*)?");

	private static final MessageTracing NONE = new MessageTracing(Tracer.NOOP, Propagator.NOOP);

	private final Tracer tracer;

	private final Propagator propagator;

	public MessageTracing(Tracer tracer, Propagator propagator) {
		this.tracer = tracer;
		this.propagator = propagator;
	}

	/** Tracing that records and carries nothing, for code running without a tracer. */
	public static MessageTracing none() {
		return NONE;
	}

	/** The {@code traceparent} of the current span, or {@code null} outside any trace. */
	public String currentTraceparent() {
		Span span = this.tracer.currentSpan();
		if (span == null) {
			return null;
		}
		// Unsampled spans record nothing but still have a context to hand on (with the
		// sampled flag off), so that a trace is sampled all or nothing.
		Map<String, String> carrier = new HashMap<>(2);
		this.propagator.inject(span.context(), carrier, Map::put);
		return carrier.get(TRACEPARENT);
	}

	/**
	 * Runs {@code work} in a consumer span that continues the trace of
	 * {@code traceparent}, or starts a trace when the message carries none (or an
	 * unreadable one: a bad header must not cost the message).
	 *
	 * <p>
	 * The span is a child of the context that wrote the message, so one order stays one
	 * trace in every backend (Zipkin shows no links), and also links to it, as
	 * OpenTelemetry's messaging conventions ask: a backend that draws links (Jaeger,
	 * Tempo) shows the hop as follows-from, the consumer running after its producer's
	 * request has ended.
	 * @param name the span's name, such as {@code process switchboard.payment.commands}
	 * @param messageType recorded on the span
	 * @param messageId recorded on the span
	 * @param orderId the order the message is about (every message is keyed by its order
	 * id), recorded on the span as {@value #ORDER_ID}; {@code null} when unknown
	 */
	public void continueTrace(String traceparent, String name, String messageType, String messageId, String orderId,
			Runnable work) {
		TraceContext producer = contextOf(traceparent);
		Span.Builder builder = (producer != null) ? this.tracer.spanBuilder().setParent(producer)
				: this.tracer.spanBuilder().setNoParent();
		if (producer != null) {
			builder.addLink(new Link(producer));
		}
		builder.name(name)
			.kind(Span.Kind.CONSUMER)
			.tag("messaging.message.id", messageId)
			.tag("switchboard.message.type", messageType);
		if (orderId != null) {
			builder.tag(ORDER_ID, orderId);
		}
		Span span = builder.start();
		try (Tracer.SpanInScope scope = this.tracer.withSpan(span);
				MDC.MDCCloseable logged = (orderId != null) ? MDC.putCloseable(ORDER_ID_LOGGED, orderId) : null) {
			work.run();
		}
		catch (RuntimeException | Error ex) {
			span.error(ex);
			throw ex;
		}
		finally {
			span.end();
		}
	}

	/**
	 * Records that the outbox relay handed a message to its broker: a producer span in
	 * the trace that wrote it, from the writer's commit to the broker's acknowledgement
	 * (the time the message spent in the outbox shows in the trace). Nothing for a
	 * message written outside any trace.
	 * @param destination the topic or queue
	 */
	public void published(String traceparent, String destination, String messageId, String orderId, Instant committed,
			Instant acknowledged) {
		TraceContext writer = contextOf(traceparent);
		if (writer == null || !Boolean.TRUE.equals(writer.sampled())) {
			return;
		}
		Span.Builder builder = this.tracer.spanBuilder()
			.setParent(writer)
			.name("publish " + destination)
			.kind(Span.Kind.PRODUCER)
			.tag("messaging.destination.name", destination)
			.tag("messaging.message.id", messageId)
			.startTimestamp(micros(committed), TimeUnit.MICROSECONDS);
		if (orderId != null) {
			builder.tag(ORDER_ID, orderId);
		}
		builder.start().end(micros(acknowledged), TimeUnit.MICROSECONDS);
	}

	private static long micros(Instant instant) {
		return TimeUnit.SECONDS.toMicros(instant.getEpochSecond()) + instant.getNano() / 1_000;
	}

	/**
	 * The context a W3C {@code traceparent} names, or {@code null} when it is absent or
	 * unreadable. Read here rather than through the propagator, whose result is a span
	 * builder, not a context a link can name.
	 */
	TraceContext contextOf(String traceparent) {
		if (traceparent == null) {
			return null;
		}
		Matcher parts = TRACEPARENT_FORMAT.matcher(traceparent);
		if (!parts.matches() || parts.group(1).matches("0+") || parts.group(2).matches("0+")) {
			return null;
		}
		return this.tracer.traceContextBuilder()
			.traceId(parts.group(1))
			.spanId(parts.group(2))
			.sampled((Integer.parseInt(parts.group(3), 16) & 1) == 1)
			.build();
	}

}
