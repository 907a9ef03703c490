package dev.switchboard.order.application.port.out;

import dev.switchboard.order.domain.Order;

/**
 * The orchestrated saga's commands to payment, apart from the other participants' because
 * their transport is a setting ({@code switchboard.transports.payment}: a work queue, a
 * command stream, or a synchronous call); whichever it is, the answer comes back to the
 * saga as a reply would. Call in the transaction that stores the saga's decision: a
 * command is sent only if that transaction commits. Each returns the id the saga keeps as
 * the step's trigger.
 */
public interface PaymentCommands {

	/**
	 * How the trigger of a step made by a synchronous call begins: no participant's queue
	 * or topic holds it, so no participant can say where it stands, and an overdue step
	 * it triggered times out rather than waits.
	 */
	String CALL_TRIGGER_PREFIX = "call:";

	String charge(Order order, String paymentToken);

	String refund(String orderId);

}
