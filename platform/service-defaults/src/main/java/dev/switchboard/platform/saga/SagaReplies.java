package dev.switchboard.platform.saga;

import dev.switchboard.contracts.events.Topics;
import dev.switchboard.contracts.saga.v1.SagaStep;
import dev.switchboard.contracts.saga.v1.StepReply;
import dev.switchboard.platform.outbox.Outbox;

/**
 * How a saga participant answers the order service's commands: one {@link StepReply} per
 * command on {@link Topics#SAGA_REPLIES}, keyed by order id, written through the outbox
 * in the transaction that made the effect, so the answer goes out exactly when the effect
 * stays. Repeating a command repeats the reply; the orchestrator takes a step's first
 * answer and ignores the rest.
 */
public final class SagaReplies {

	private final Outbox outbox;

	public SagaReplies(Outbox outbox) {
		this.outbox = outbox;
	}

	/**
	 * The step was done; {@code reference} is the participant's id for its effect, or
	 * empty.
	 */
	public void succeeded(String orderId, SagaStep step, String reference) {
		send(reply(orderId, step, false, true, "").setReference(reference));
	}

	/** The step was refused for a business reason; the saga compensates. */
	public void failed(String orderId, SagaStep step, String reason) {
		send(reply(orderId, step, false, false, reason));
	}

	/** The step's outcome, done or refused, as one call. */
	public void step(String orderId, SagaStep step, boolean succeeded, String reasonIfFailed, String reference) {
		send(reply(orderId, step, false, succeeded, succeeded ? "" : reasonIfFailed).setReference(reference));
	}

	/** The step was undone (or there was nothing to undo). */
	public void compensated(String orderId, SagaStep step) {
		send(reply(orderId, step, true, true, ""));
	}

	/** The compensation's outcome, as one call. */
	public void compensation(String orderId, SagaStep step, boolean succeeded, String reasonIfFailed) {
		send(reply(orderId, step, true, succeeded, succeeded ? "" : reasonIfFailed));
	}

	private static StepReply.Builder reply(String orderId, SagaStep step, boolean compensation, boolean succeeded,
			String reason) {
		return StepReply.newBuilder()
			.setOrderId(orderId)
			.setStep(step)
			.setCompensation(compensation)
			.setSucceeded(succeeded)
			.setReason(reason == null ? "" : reason);
	}

	private void send(StepReply.Builder reply) {
		this.outbox.add(Topics.SAGA_REPLIES, reply.getOrderId(), reply.build());
	}

}
