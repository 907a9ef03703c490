package dev.switchboard.order.domain.saga;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A customer's cancellation, in both modes, and when it comes too late. */
class SagaCancellationTest {

	private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");

	private static Saga begun(SagaMode mode) {
		return Saga.begin("o-1", mode, T0, T0, SagaTimeouts.DEFAULTS);
	}

	@Test
	void inOrchestrationTheChargeUnderWayIsStoppedAndUndoneFirstThenTheReservation() {
		Saga saga = begun(SagaMode.ORCHESTRATION);
		List<SagaAction> actions = saga.cancelRequested("changed my mind", T0.plusSeconds(1));

		assertThat(actions).containsExactly(new SagaAction.Cancel("changed my mind"),
				new SagaAction.Compensate(StepName.CHARGE, 1));
		assertThat(saga.status()).isEqualTo(SagaStatus.COMPENSATING);
		assertThat(saga.step(StepName.CHARGE).state()).isEqualTo(StepState.COMPENSATING);

		// The charge's late answer moves nothing forward.
		assertThat(saga.stepSucceeded(StepName.CHARGE, "p-1", T0.plusSeconds(2))).isEmpty();
		assertThat(saga.compensated(StepName.CHARGE, T0.plusSeconds(3)))
			.containsExactly(new SagaAction.Compensate(StepName.RESERVE, 1));
		saga.compensated(StepName.RESERVE, T0.plusSeconds(4));
		assertThat(saga.status()).isEqualTo(SagaStatus.CANCELLED);
		assertThat(saga.reason()).isEqualTo("changed my mind");
	}

	@Test
	void inChoreographyEveryParticipantUndoesItsPart() {
		Saga saga = begun(SagaMode.CHOREOGRAPHY);
		assertThat(saga.cancelRequested("changed my mind", T0.plusSeconds(1)))
			.containsExactly(new SagaAction.Cancel("changed my mind"));
		assertThat(saga.steps()).allSatisfy((step) -> assertThat(step.state()).isEqualTo(StepState.COMPENSATING));
	}

	@Test
	void onceTheShipmentHasBegunOrTheSagaHasEndedItIsRefused() {
		Saga shipping = begun(SagaMode.ORCHESTRATION);
		shipping.stepSucceeded(StepName.CHARGE, "p-1", T0.plusSeconds(1));
		shipping.stepSucceeded(StepName.ALLOCATE, null, T0.plusSeconds(2));
		assertThatThrownBy(() -> shipping.cancelRequested("too late", T0.plusSeconds(3)))
			.isInstanceOf(CancellationRefusedException.class)
			.hasMessageContaining("being shipped");

		shipping.stepSucceeded(StepName.SHIP, "s-1", T0.plusSeconds(4));
		assertThatThrownBy(() -> shipping.cancelRequested("too late", T0.plusSeconds(5)))
			.hasMessage("the order is completed");
		assertThat(shipping.status()).isEqualTo(SagaStatus.COMPLETED);

		Saga cancelling = begun(SagaMode.ORCHESTRATION);
		cancelling.cancelRequested("first", T0.plusSeconds(1));
		assertThatThrownBy(() -> cancelling.cancelRequested("again", T0.plusSeconds(2)))
			.hasMessage("the order is already being cancelled");
	}

	@Test
	void aNoteGoesOnTheTimelineWhateverTheState() {
		Saga saga = begun(SagaMode.ORCHESTRATION);
		saga.annotate("gift, wrap it", T0.plusSeconds(1));
		assertThat(saga.newEntries()).extracting(SagaEntry::event, SagaEntry::detail)
			.contains(org.assertj.core.groups.Tuple.tuple("note", "gift, wrap it"));
	}

}
