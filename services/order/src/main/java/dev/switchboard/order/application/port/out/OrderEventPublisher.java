package dev.switchboard.order.application.port.out;

import dev.switchboard.order.domain.Order;
import dev.switchboard.order.domain.saga.SagaMode;

/**
 * Announces what happened to an order. Must be called in the transaction that made it
 * happen: the events are published only if that transaction commits.
 */
public interface OrderEventPublisher {

	/**
	 * @return the id of the event a choreographed saga's first participant acts on;
	 * {@code null} for an orchestrated one
	 */
	String created(Order order, String paymentToken, SagaMode mode);

	void completed(Order order, String shipmentId);

	void cancelled(Order order, SagaMode mode);

	/**
	 * Announces a choreographed order's cancellation to its participants once more, for
	 * those that have not confirmed their compensation; nobody else hears it twice.
	 */
	void cancellationRepeated(Order order);

}
