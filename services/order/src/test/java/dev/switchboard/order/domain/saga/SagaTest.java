package dev.switchboard.order.domain.saga;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.switchboard.order.domain.saga.SagaAction.Cancel;
import dev.switchboard.order.domain.saga.SagaAction.Compensate;
import dev.switchboard.order.domain.saga.SagaAction.Complete;
import dev.switchboard.order.domain.saga.SagaAction.Execute;
import dev.switchboard.order.domain.saga.SagaAction.StepSucceeded;

import static dev.switchboard.order.domain.saga.StepName.ALLOCATE;
import static dev.switchboard.order.domain.saga.StepName.CHARGE;
import static dev.switchboard.order.domain.saga.StepName.RESERVE;
import static dev.switchboard.order.domain.saga.StepName.SHIP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class SagaTest {

	private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

	private static Instant at(int seconds) {
		return T0.plusSeconds(seconds);
	}

	private static Saga orchestrated() {
		return Saga.begin("o-1", SagaMode.ORCHESTRATION, T0, T0, SagaTimeouts.DEFAULTS);
	}

	private static Saga choreographed() {
		return Saga.begin("o-1", SagaMode.CHOREOGRAPHY, T0, T0, SagaTimeouts.DEFAULTS);
	}

	@Test
	void aRestoredSagaKnowsWhichStepsItChanged() {
		Saga begun = orchestrated();
		Saga saga = Saga.restore("o-1", SagaMode.ORCHESTRATION, begun.status(), begun.reason(), begun.steps(),
				SagaTimeouts.DEFAULTS);
		assertThat(saga.changedSteps()).isEmpty();
		saga.stepSucceeded(CHARGE, "pay-1", T0.plusSeconds(1));
		assertThat(saga.changedSteps()).extracting(SagaStep::name).containsExactly(CHARGE, ALLOCATE);
	}

	@Test
	void aRestoredSagaKnowsWhichStepsRunsAndCompensationsEndedSinceForTheirSpans() {
		assertThat(orchestrated().endedSteps()).extracting(SagaStep::name).containsExactly(RESERVE);
		Saga charged = restored(orchestrated());
		charged.stepSucceeded(CHARGE, "pay-1", at(1));
		// The allocation started, and has not ended.
		assertThat(charged.endedSteps()).extracting(SagaStep::name, SagaStep::state)
			.containsExactly(tuple(CHARGE, StepState.SUCCEEDED));

		Saga failing = restored(charged);
		failing.stepFailed(ALLOCATE, "no stock", at(2));
		assertThat(failing.endedSteps()).extracting(SagaStep::name, SagaStep::state)
			.containsExactly(tuple(ALLOCATE, StepState.FAILED));
		assertThat(failing.step(CHARGE).state()).isEqualTo(StepState.COMPENSATING);

		Saga refunded = restored(failing);
		refunded.compensated(CHARGE, at(3));
		assertThat(refunded.endedSteps()).singleElement().satisfies((step) -> {
			assertThat(step.state()).isEqualTo(StepState.COMPENSATED);
			assertThat(step.compensationStartedAt()).isEqualTo(at(2));
			assertThat(step.compensationEndedAt()).isEqualTo(at(3));
		});
	}

	private static Saga restored(Saga saga) {
		return Saga.restore(saga.orderId(), saga.mode(), saga.status(), saga.reason(), saga.steps(),
				SagaTimeouts.DEFAULTS);
	}

	@Test
	void noDeadlineIsEverSetSoonerThanTheShortestTimeout() {
		SagaTimeouts timeouts = new SagaTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(4),
				Duration.ofSeconds(6), Duration.ofSeconds(2), Duration.ofSeconds(60), Duration.ofMinutes(5));
		assertThat(timeouts.shortest()).isEqualTo(Duration.ofSeconds(2));
		assertThat(SagaTimeouts.DEFAULTS.shortest()).isEqualTo(Duration.ofSeconds(5));
		Saga saga = Saga.begin("o-1", SagaMode.ORCHESTRATION, T0, T0, timeouts);
		assertThat(saga.deadline())
			.hasValueSatisfying((d) -> assertThat(d).isAfterOrEqualTo(T0.plus(timeouts.shortest())));
	}

	@Test
	void beginsWithTheReservationDoneAndTheChargeRunningUntilItsTimeout() {
		Saga saga = orchestrated();

		assertThat(saga.step(RESERVE).state()).isEqualTo(StepState.SUCCEEDED);
		assertThat(saga.step(CHARGE).state()).isEqualTo(StepState.RUNNING);
		assertThat(saga.firstActions()).containsExactly(new Execute(CHARGE));
		assertThat(saga.deadline()).contains(T0.plusSeconds(10));
	}

	@Test
	void runsEveryStepInOrderAndCompletes() {
		Saga saga = orchestrated();

		assertThat(saga.stepSucceeded(CHARGE, "p-1", at(1))).containsExactly(new StepSucceeded(CHARGE, "p-1"),
				new Execute(ALLOCATE));
		assertThat(saga.stepSucceeded(ALLOCATE, null, at(2))).containsExactly(new StepSucceeded(ALLOCATE, null),
				new Execute(SHIP));
		assertThat(saga.stepSucceeded(SHIP, "s-1", at(3))).containsExactly(new StepSucceeded(SHIP, "s-1"),
				new Complete());

		assertThat(saga.status()).isEqualTo(SagaStatus.COMPLETED);
		assertThat(saga.deadline()).isEmpty();
	}

	@Test
	void aRepeatedAnswerChangesNothing() {
		Saga saga = orchestrated();
		saga.stepSucceeded(CHARGE, "p-1", at(1));

		assertThat(saga.stepSucceeded(CHARGE, "p-1", at(2))).isEmpty();
		assertThat(saga.step(ALLOCATE).attempts()).isEqualTo(1);
	}

	@Test
	void aFailedShipmentCompensatesEveryEarlierStepOneAtATimeInReverse() {
		Saga saga = orchestrated();
		saga.stepSucceeded(CHARGE, "p-1", at(1));
		saga.stepSucceeded(ALLOCATE, null, at(2));

		assertThat(saga.stepFailed(SHIP, "we do not deliver to XX", at(3)))
			.containsExactly(new Cancel("ship failed: we do not deliver to XX"), new Compensate(ALLOCATE, 1));
		assertThat(saga.status()).isEqualTo(SagaStatus.COMPENSATING);
		assertThat(saga.compensated(ALLOCATE, at(4))).containsExactly(new Compensate(CHARGE, 1));
		assertThat(saga.compensated(CHARGE, at(5))).containsExactly(new Compensate(RESERVE, 1));
		assertThat(saga.compensated(RESERVE, at(6))).isEmpty();

		assertThat(saga.status()).isEqualTo(SagaStatus.CANCELLED);
		assertThat(saga.step(SHIP).state()).isEqualTo(StepState.FAILED);
		assertThat(saga.steps()).filteredOn((s) -> s.name() != SHIP)
			.allSatisfy((s) -> assertThat(s.state()).isEqualTo(StepState.COMPENSATED));
	}

	@Test
	void aDeclinedChargeOnlyReleasesTheReservation() {
		Saga saga = orchestrated();

		assertThat(saga.stepFailed(CHARGE, "card declined", at(1)))
			.containsExactly(new Cancel("charge failed: card declined"), new Compensate(RESERVE, 1));
		saga.compensated(RESERVE, at(2));

		assertThat(saga.status()).isEqualTo(SagaStatus.CANCELLED);
		assertThat(saga.step(ALLOCATE).state()).isEqualTo(StepState.PENDING);
	}

	@Test
	void aTimedOutStepIsCompensatedToo() {
		Saga saga = orchestrated();

		assertThat(saga.deadlinePassed(at(9))).isEmpty();
		assertThat(saga.deadlinePassed(at(10))).containsExactly(new Cancel("charge timed out after 10000 ms"),
				new Compensate(CHARGE, 1));
		assertThat(saga.step(CHARGE).state()).isEqualTo(StepState.COMPENSATING);
	}

	@Test
	void aLateAnswerAfterATimeoutDoesNotResurrectTheSaga() {
		Saga saga = orchestrated();
		saga.deadlinePassed(at(10));

		assertThat(saga.stepSucceeded(CHARGE, "p-1", at(11))).isEmpty();
		assertThat(saga.status()).isEqualTo(SagaStatus.COMPENSATING);
		assertThat(saga.step(ALLOCATE).state()).isEqualTo(StepState.PENDING);
		saga.compensated(CHARGE, at(12));
		saga.compensated(RESERVE, at(13));
		assertThat(saga.stepSucceeded(CHARGE, "p-1", at(14))).isEmpty();
		assertThat(saga.status()).isEqualTo(SagaStatus.CANCELLED);
		assertThat(saga.newEntries()).extracting(SagaEntry::event)
			.filteredOn((event) -> event.startsWith("late answer"))
			.hasSize(2);
	}

	@Test
	void anUnansweredCompensationIsRetriedWithGrowingBackoffUntilConfirmed() {
		Saga saga = orchestrated();
		saga.stepFailed(CHARGE, "card declined", at(0));
		Instant first = saga.deadline().orElseThrow();

		assertThat(first).isEqualTo(at(30));
		assertThat(saga.deadlinePassed(first)).containsExactly(new Compensate(RESERVE, 2));
		assertThat(saga.deadline()).contains(first.plusSeconds(60));
		assertThat(saga.deadlinePassed(first.plusSeconds(60))).containsExactly(new Compensate(RESERVE, 3));
		assertThat(saga.deadline()).contains(first.plusSeconds(180));
		saga.compensated(RESERVE, first.plusSeconds(61));

		assertThat(saga.status()).isEqualTo(SagaStatus.CANCELLED);
		assertThat(saga.step(RESERVE).compensationAttempts()).isEqualTo(3);
		assertThat(saga.deadline()).isEmpty();
	}

	@Test
	void compensationBackoffDoublesUpToItsCap() {
		SagaTimeouts timeouts = new SagaTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1),
				Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMinutes(5));

		assertThat(List.of(1, 2, 3, 4, 5).stream().map(timeouts::compensationBackoff)).containsExactly(
				Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(30),
				Duration.ofSeconds(30));
	}

	@Test
	void inChoreographyEveryStepAParticipantAnswersForIsCompensatingAtOnce() {
		Saga saga = choreographed();
		saga.stepSucceeded(CHARGE, "p-1", at(1));

		assertThat(saga.stepFailed(ALLOCATE, "no stock", at(2)))
			.containsExactly(new Cancel("allocate failed: no stock"));
		assertThat(saga.step(RESERVE).state()).isEqualTo(StepState.COMPENSATING);
		assertThat(saga.step(CHARGE).state()).isEqualTo(StepState.COMPENSATING);
		assertThat(saga.step(SHIP).state()).isEqualTo(StepState.COMPENSATING);

		saga.compensated(SHIP, at(3));
		saga.compensated(RESERVE, at(3));
		assertThat(saga.status()).isEqualTo(SagaStatus.COMPENSATING);
		saga.compensated(CHARGE, at(4));
		assertThat(saga.status()).isEqualTo(SagaStatus.CANCELLED);
		assertThat(saga.deadline()).isEmpty();
	}

	@Test
	void inChoreographyACompensationNobodyConfirmedIsAskedForAgainWithBackoff() {
		Saga saga = choreographed();
		saga.stepFailed(CHARGE, "card declined", at(0));
		saga.compensated(RESERVE, at(1));

		// Payment's refund (or void) is still unconfirmed when the first backoff ends:
		// the cancellation is announced again, and again after twice as long.
		assertThat(saga.deadline()).contains(at(30));
		assertThat(saga.deadlinePassed(at(30))).containsExactly(new Compensate(ALLOCATE, 2), new Compensate(SHIP, 2));
		assertThat(saga.deadline()).contains(at(90));
		saga.compensated(ALLOCATE, at(40));
		saga.compensated(SHIP, at(41));

		assertThat(saga.status()).isEqualTo(SagaStatus.CANCELLED);
		assertThat(saga.deadline()).isEmpty();
	}

	@Test
	void aStepWaitingForItsParticipantWaitsUpToTheScheduleToStartTimeout() {
		Saga saga = orchestrated();
		saga.triggered(CHARGE, "m-1");
		assertThat(saga.overdueTriggers(at(9))).isEmpty();
		assertThat(saga.overdueTriggers(at(10))).containsEntry(CHARGE, "m-1");
		StepProgress down = new StepProgress.Waiting("payment cannot be reached");

		// Payment is restarting: the charge waits, looked at again after its timeout.
		assertThat(saga.deadlinePassed(at(10), java.util.Map.of(CHARGE, down))).isEmpty();
		assertThat(saga.step(CHARGE).state()).isEqualTo(StepState.RUNNING);
		assertThat(saga.deadline()).contains(at(20));
		assertThat(saga.deadlinePassed(at(290), java.util.Map.of(CHARGE, down))).isEmpty();
		assertThat(saga.deadline()).as("never later than schedule-to-start").contains(at(300));

		// Five minutes without the participant taking it: now it is given up on.
		assertThat(saga.deadlinePassed(at(300), java.util.Map.of(CHARGE, down))).containsExactly(
				new Cancel("charge was not taken within 300000 ms (payment cannot be reached)"),
				new Compensate(CHARGE, 1));
		assertThat(saga.newEntries()).extracting(SagaEntry::event)
			.filteredOn((event) -> event.startsWith("waiting"))
			.as("noted once, not at every look")
			.hasSize(1);
	}

	@Test
	void aStepTakenLateTimesOutFromWhenItsParticipantTookIt() {
		Saga saga = orchestrated();
		saga.triggered(CHARGE, "m-1");

		// Taken at 25 s after waiting in a queue: its 10 s run from then.
		assertThat(saga.deadlinePassed(at(30), java.util.Map.of(CHARGE, new StepProgress.Started(at(25))))).isEmpty();
		assertThat(saga.deadline()).contains(at(35));
		assertThat(saga.stepSucceeded(CHARGE, "p-1", at(33))).contains(new Execute(ALLOCATE));

		Saga hung = orchestrated();
		hung.triggered(CHARGE, "m-1");
		assertThat(hung.deadlinePassed(at(10), java.util.Map.of(CHARGE, new StepProgress.Started(at(0)))))
			.containsExactly(new Cancel("charge timed out after 10000 ms"), new Compensate(CHARGE, 1));
	}

	@Test
	void inChoreographyAnAnswerThatOvertakesTheOneBeforeItImpliesIt() {
		Saga saga = choreographed();

		List<SagaAction> actions = saga.stepSucceeded(SHIP, "s-1", at(1));

		assertThat(actions).containsExactly(new StepSucceeded(CHARGE, null), new StepSucceeded(ALLOCATE, null),
				new StepSucceeded(SHIP, "s-1"), new Complete());
		assertThat(saga.status()).isEqualTo(SagaStatus.COMPLETED);
		assertThat(saga.stepSucceeded(CHARGE, "p-1", at(2))).isEmpty();
		assertThat(saga.stepSucceeded(ALLOCATE, null, at(2))).isEmpty();
	}

	@Test
	void inOrchestrationAnAnswerForAStepNotYetCommandedIsIgnored() {
		Saga saga = orchestrated();

		assertThat(saga.stepSucceeded(SHIP, "s-1", at(1))).isEmpty();
		assertThat(saga.step(CHARGE).state()).isEqualTo(StepState.RUNNING);
	}

}
