package dev.switchboard.order.application.port.out;

import dev.switchboard.order.domain.Order;

/**
 * The orchestrated saga's commands to inventory and shipping (payment's are
 * {@link PaymentCommands}). Call in the transaction that stores the saga's decision: a
 * command is sent only if that transaction commits. Each returns the command's message
 * id.
 */
public interface SagaCommands {

	String allocate(String orderId);

	String deallocate(String orderId);

	String release(String orderId);

	String ship(Order order);

	String cancelShipment(String orderId);

}
