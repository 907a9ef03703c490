package dev.switchboard.order.adapter.out.tracing;

import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;

import dev.switchboard.order.application.port.out.SagaSpans;
import dev.switchboard.order.domain.saga.SagaMode;
import dev.switchboard.order.domain.saga.SagaStep;
import dev.switchboard.order.domain.saga.StepState;

import dev.switchboard.platform.transaction.AfterCommit;

import org.springframework.stereotype.Component;

/**
 * Each ended saga step as a span named {@code saga <step>} and each compensation as
 * {@code saga compensate <step>}, in the trace of whatever ended it (the participant's
 * reply, a timeout, a customer's cancellation), timed from the step's start to its end: a
 * step's span covers the command, the participant's work and the reply. Recorded once the
 * transaction that ended the step commits: one that rolls back is tried again and would
 * otherwise record the step twice.
 */
@Component
class TracerSagaSpans implements SagaSpans {

	/** The attribute every span about an order carries (as the platform's do). */
	static final String ORDER_ID = "switchboard.order.id";

	private final Tracer tracer;

	TracerSagaSpans(Tracer tracer) {
		this.tracer = tracer;
	}

	@Override
	public void ended(String orderId, SagaMode mode, SagaStep step) {
		TraceContext current = this.tracer.currentTraceContext().context();
		AfterCommit.run(() -> record(current, orderId, mode, step));
	}

	private void record(TraceContext parent, String orderId, SagaMode mode, SagaStep step) {
		boolean compensation = step.state() == StepState.COMPENSATED;
		Instant start = compensation ? step.compensationStartedAt() : step.startedAt();
		Instant end = compensation ? step.compensationEndedAt() : step.endedAt();
		if (start == null || end == null) {
			return;
		}
		String name = lower(step.name());
		Span.Builder builder = (parent != null) ? this.tracer.spanBuilder().setParent(parent)
				: this.tracer.spanBuilder().setNoParent();
		Span span = builder.name(compensation ? "saga compensate " + name : "saga " + name)
			.tag(ORDER_ID, orderId)
			.tag("switchboard.saga.mode", lower(mode))
			.tag("switchboard.saga.step", name)
			.tag("switchboard.saga.outcome", lower(step.state()))
			.tag("switchboard.saga.attempts",
					Integer.toString(compensation ? step.compensationAttempts() : step.attempts()))
			.startTimestamp(micros(start), TimeUnit.MICROSECONDS)
			.start();
		if (step.state() == StepState.FAILED || step.state() == StepState.TIMED_OUT) {
			span.tag("error", (step.detail() != null) ? step.detail() : lower(step.state()));
		}
		span.end(micros(end), TimeUnit.MICROSECONDS);
	}

	private static long micros(Instant instant) {
		return TimeUnit.SECONDS.toMicros(instant.getEpochSecond()) + instant.getNano() / 1_000;
	}

	private static String lower(Enum<?> value) {
		return value.name().toLowerCase(Locale.ROOT);
	}

}
