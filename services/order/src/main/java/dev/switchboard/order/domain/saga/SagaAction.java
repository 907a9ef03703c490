package dev.switchboard.order.domain.saga;

/**
 * What the saga decided must happen next. The application layer carries it out in the
 * same transaction that stores the saga.
 */
public sealed interface SagaAction {

	/** Run a step: in orchestration, send its command. */
	record Execute(StepName step) implements SagaAction {
	}

	/**
	 * Undo a step: in orchestration, send its compensating command; in choreography (a
	 * retry only), announce the cancellation again.
	 */
	record Compensate(StepName step, int attempt) implements SagaAction {
	}

	/** A step succeeded (the order can show its progress). */
	record StepSucceeded(StepName step, String reference) implements SagaAction {
	}

	/** Every step succeeded: the order is complete. */
	record Complete() implements SagaAction {
	}

	/** The saga will not complete: the order is cancelled, for this reason. */
	record Cancel(String reason) implements SagaAction {
	}

}
