package dev.switchboard.order.application.port.out;

import dev.switchboard.order.domain.Order;

/**
 * The orchestrated saga's commands to its participants. Call in the transaction that
 * stores the saga's decision: a command is sent only if that transaction commits.
 */
public interface SagaCommands {

	void charge(Order order, String paymentToken);

	void refund(String orderId);

	void allocate(String orderId);

	void deallocate(String orderId);

	void release(String orderId);

	void ship(Order order);

	void cancelShipment(String orderId);

}
