package dev.switchboard.order.adapter.in.grpc;

import java.time.Instant;
import java.util.Locale;

import dev.switchboard.contracts.order.v1.Saga;
import dev.switchboard.contracts.order.v1.SagaHistoryEntry;
import dev.switchboard.contracts.order.v1.SagaStep;
import dev.switchboard.order.domain.saga.SagaRecord;

/** Maps a stored saga to the {@code order.v1.Saga} contract message. */
final class SagaMessages {

	private SagaMessages() {
	}

	static Saga toProto(SagaRecord stored) {
		var saga = stored.saga();
		Saga.Builder builder = Saga.newBuilder()
			.setOrderId(saga.orderId())
			.setMode(lower(saga.mode()))
			.setStatus(lower(saga.status()))
			.setReason(text(saga.reason()))
			.setCreatedAt(stored.createdAt().toString())
			.setUpdatedAt(stored.updatedAt().toString());
		saga.steps()
			.forEach((s) -> builder.addSteps(SagaStep.newBuilder()
				.setName(lower(s.name()))
				.setState(lower(s.state()))
				.setAttempts(s.attempts())
				.setStartedAt(text(s.startedAt()))
				.setEndedAt(text(s.endedAt()))
				.setCompensationAttempts(s.compensationAttempts())
				.setCompensationStartedAt(text(s.compensationStartedAt()))
				.setCompensationEndedAt(text(s.compensationEndedAt()))
				.setDeadline(text(s.deadline()))
				.setDetail(text(s.detail()))));
		stored.history()
			.forEach((e) -> builder.addHistory(SagaHistoryEntry.newBuilder()
				.setAt(e.at().toString())
				.setStep(e.step() == null ? "" : lower(e.step()))
				.setEvent(e.event())
				.setDetail(text(e.detail()))));
		return builder.build();
	}

	private static String lower(Enum<?> value) {
		return value.name().toLowerCase(Locale.ROOT);
	}

	private static String text(Object value) {
		return value == null ? "" : (value instanceof Instant i ? i.toString() : value.toString());
	}

}
