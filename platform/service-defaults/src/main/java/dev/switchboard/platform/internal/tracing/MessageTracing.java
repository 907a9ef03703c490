package dev.switchboard.platform.internal.tracing;

import java.util.HashMap;
import java.util.Map;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;

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
	 * @param name the span's name, such as {@code process switchboard.payment.commands}
	 * @param messageType recorded on the span
	 * @param messageId recorded on the span
	 */
	public void continueTrace(String traceparent, String name, String messageType, String messageId, Runnable work) {
		Span.Builder builder = (traceparent != null)
				? this.propagator.extract(Map.of(TRACEPARENT, traceparent), (carrier, key) -> carrier.get(key))
				: this.tracer.spanBuilder();
		Span span = builder.name(name)
			.kind(Span.Kind.CONSUMER)
			.tag("messaging.message.id", messageId)
			.tag("switchboard.message.type", messageType)
			.start();
		try (Tracer.SpanInScope scope = this.tracer.withSpan(span)) {
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

}
