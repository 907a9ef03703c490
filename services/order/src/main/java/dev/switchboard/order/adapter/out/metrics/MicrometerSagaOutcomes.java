package dev.switchboard.order.adapter.out.metrics;

import java.time.Duration;
import java.util.Locale;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import dev.switchboard.order.application.port.out.SagaOutcomes;
import dev.switchboard.order.domain.OrderStatus;
import dev.switchboard.order.domain.saga.SagaMode;

import dev.switchboard.platform.transaction.AfterCommit;

import org.springframework.stereotype.Component;

/**
 * Sagas' durations as the timer {@value #METER}, tagged with their {@code mode}
 * (orchestration, choreography) and {@code outcome} (completed, cancelled), with a
 * histogram for percentiles across services and instances. Recorded when the transaction
 * that ended the order commits: one that rolls back is tried again, and would otherwise
 * count twice.
 */
@Component
class MicrometerSagaOutcomes implements SagaOutcomes {

	static final String METER = "switchboard.saga.duration";

	private final MeterRegistry meters;

	MicrometerSagaOutcomes(MeterRegistry meters) {
		this.meters = meters;
	}

	@Override
	public void ended(SagaMode mode, OrderStatus outcome, Duration took) {
		Timer timer = Timer.builder(METER)
			.description("How long orders took from being placed to the end of their saga")
			.tag("mode", mode.name().toLowerCase(Locale.ROOT))
			.tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
			.publishPercentileHistogram()
			.register(this.meters);
		AfterCommit.run(() -> timer.record(took));
	}

}
