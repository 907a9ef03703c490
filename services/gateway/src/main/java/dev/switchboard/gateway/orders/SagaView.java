package dev.switchboard.gateway.orders;

import java.util.Comparator;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.switchboard.contracts.order.v1.Saga;
import dev.switchboard.contracts.order.v1.SagaStep;

/**
 * An order's saga as the public API shows it: the mode, each step with its state,
 * attempts and timestamps, the compensations run (in the order they started) and the full
 * history. Absent values are left out.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record SagaView(String orderId, String mode, String status, String reason, List<Step> steps,
		List<Compensation> compensations, List<Entry> history, String createdAt, String updatedAt) {

	static SagaView of(Saga s) {
		return new SagaView(s.getOrderId(), s.getMode(), s.getStatus(), blankToNull(s.getReason()),
				s.getStepsList()
					.stream()
					.map((t) -> new Step(t.getName(), t.getState(), t.getAttempts(), blankToNull(t.getStartedAt()),
							blankToNull(t.getEndedAt()), blankToNull(t.getDeadline()), blankToNull(t.getDetail())))
					.toList(),
				s.getStepsList()
					.stream()
					.filter((t) -> t.getCompensationAttempts() > 0)
					.sorted(Comparator.comparing(SagaStep::getCompensationStartedAt)
						.thenComparing(SagaStep::getName, Comparator.reverseOrder()))
					.map((t) -> new Compensation(t.getName(), t.getState().equals("compensated") ? "done" : "running",
							t.getCompensationAttempts(), blankToNull(t.getCompensationStartedAt()),
							blankToNull(t.getCompensationEndedAt())))
					.toList(),
				s.getHistoryList()
					.stream()
					.map((h) -> new Entry(h.getAt(), blankToNull(h.getStep()), h.getEvent(),
							blankToNull(h.getDetail())))
					.toList(),
				s.getCreatedAt(), s.getUpdatedAt());
	}

	private static String blankToNull(String value) {
		return value.isEmpty() ? null : value;
	}

	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Step(String name, String state, int attempts, String startedAt, String endedAt, String deadline,
			String detail) {
	}

	/**
	 * @param state {@code running} until the participant confirmed it, then {@code done}
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Compensation(String step, String state, int attempts, String startedAt, String endedAt) {
	}

	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Entry(String at, String step, String event, String detail) {
	}

}
