package dev.switchboard.order.domain.saga;

import java.time.Instant;

/**
 * One step of a saga with its attempts and timestamps, and those of its compensation.
 *
 * @param deadline when the saga stops waiting for the step's (or its compensation's)
 * answer; {@code null} when it waits for nothing
 * @param detail the participant's reference on success, the reason on failure
 * @param trigger the id of the message the participant acts on to take the running step
 * (a command, or in choreography the event before), to ask the participant where it is
 * with it; {@code null} when unknown
 */
public record SagaStep(StepName name, StepState state, int attempts, Instant startedAt, Instant endedAt,
		int compensationAttempts, Instant compensationStartedAt, Instant compensationEndedAt, Instant deadline,
		String detail, String trigger) {

	static SagaStep pending(StepName name) {
		return new SagaStep(name, StepState.PENDING, 0, null, null, 0, null, null, null, null, null);
	}

	SagaStep started(Instant now, Instant deadline) {
		return new SagaStep(this.name, StepState.RUNNING, this.attempts + 1, now, null, 0, null, null, deadline, null,
				null);
	}

	SagaStep triggeredBy(String messageId) {
		return new SagaStep(this.name, this.state, this.attempts, this.startedAt, this.endedAt,
				this.compensationAttempts, this.compensationStartedAt, this.compensationEndedAt, this.deadline,
				this.detail, messageId);
	}

	SagaStep waitingUntil(Instant deadline) {
		return new SagaStep(this.name, this.state, this.attempts, this.startedAt, this.endedAt,
				this.compensationAttempts, this.compensationStartedAt, this.compensationEndedAt, deadline, this.detail,
				this.trigger);
	}

	SagaStep ended(StepState state, Instant now, String detail) {
		return new SagaStep(this.name, state, this.attempts, this.startedAt, now, 0, null, null, null, detail, null);
	}

	SagaStep compensating(Instant now, Instant deadline) {
		return new SagaStep(this.name, StepState.COMPENSATING, this.attempts, this.startedAt, this.endedAt,
				this.compensationAttempts + 1, this.compensationStartedAt != null ? this.compensationStartedAt : now,
				null, deadline, this.detail, null);
	}

	SagaStep compensated(Instant now) {
		return new SagaStep(this.name, StepState.COMPENSATED, this.attempts, this.startedAt, this.endedAt,
				this.compensationAttempts, this.compensationStartedAt, now, null, this.detail, null);
	}

	boolean isDue(Instant now) {
		return this.deadline != null && !this.deadline.isAfter(now);
	}

}
