package dev.switchboard.order.application.port.in;

import java.time.Instant;

import dev.switchboard.order.domain.saga.StepName;

/**
 * Applies what participants report about an order's saga step: a reply to a command in
 * orchestration, an event in choreography. Reports for an unknown order are errors; late,
 * repeated or out-of-place reports are recorded and change nothing.
 */
public interface TrackSagaUseCase {

	/**
	 * @param reportId the id of the message that reported it: in choreography, the event
	 * the next step's participant acts on
	 */
	void stepSucceeded(String orderId, StepName step, String reference, String reportId);

	void stepFailed(String orderId, StepName step, String reason);

	void compensated(String orderId, StepName step);

	void compensationFailed(String orderId, StepName step, String reason);

	/**
	 * Gives up on every answer that is overdue; returns how many sagas moved.
	 * @param answersHeardSince since when this service has been reading its participants'
	 * answers without a break: no step its participant took is given up on sooner than
	 * its timeout after that, since its answer may be waiting to be read
	 */
	int expireOverdue(Instant answersHeardSince);

	/**
	 * When {@link #expireOverdue} may next have something to do: the earliest deadline
	 * stored, but no later than the shortest timeout from now (a saga written from now on
	 * cannot have an earlier deadline than that).
	 */
	Instant nextExpiryCheck();

}
