package dev.switchboard.order.application.port.out;

import dev.switchboard.order.domain.Order;
import dev.switchboard.order.domain.saga.SagaMode;

/**
 * Announces what happened to an order. Must be called in the transaction that made it
 * happen: the events are published only if that transaction commits.
 */
public interface OrderEventPublisher {

	void created(Order order, String paymentToken, SagaMode mode);

	void completed(Order order, String shipmentId);

	void cancelled(Order order, SagaMode mode);

}
