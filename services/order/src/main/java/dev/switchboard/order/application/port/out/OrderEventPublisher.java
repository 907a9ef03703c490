package dev.switchboard.order.application.port.out;

import dev.switchboard.order.domain.Order;

/**
 * Announces what happened to an order. Must be called in the transaction that made it
 * happen: the events are published only if that transaction commits.
 */
public interface OrderEventPublisher {

	void created(Order order, String paymentToken);

	void paid(Order order, String paymentId);

	void completed(Order order, String shipmentId);

	void cancelled(Order order);

}
