package dev.switchboard.order.application.port.out;

import java.util.Collection;
import java.util.Map;

import dev.switchboard.order.domain.saga.StepProgress;
import dev.switchboard.order.domain.saga.StepName;

/**
 * Asks the participant of a step where it is with the messages that trigger that step,
 * for sagas whose answer is overdue. Never called in a transaction: it waits on the
 * network.
 */
public interface ParticipantProgress {

	/**
	 * What the participant of {@code step} says of each message, by message id; a message
	 * left out is one nothing can be said of (the step then times out as it always did).
	 */
	Map<String, StepProgress> of(StepName step, Collection<String> messageIds);

}
